import { skuText } from "../../models/api/printableText.js";
import { ApiError } from "../errors.js";
import type { LoadedModel } from "../model/readModel.js";

/** The catalog index of an anchor SKU, or a 4xx. */
export function anchorIndex(model: LoadedModel, raw: string): number {
  const parsed = skuText.safeParse(raw);
  if (!parsed.success) throw new ApiError(400, "invalid_sku", "a SKU is 1–200 printable characters");
  const index = model.catalog.indexOf(parsed.data);
  if (index === undefined) {
    throw new ApiError(
      404,
      "unknown_sku",
      `no product ${JSON.stringify(parsed.data)} in model ${model.manifest.version}`,
    );
  }
  return index;
}

/** Known SKUs as catalog indices; unknown ones cannot be suggested anyway and are ignored. */
export function indicesOf(model: LoadedModel, skus: readonly string[]): Set<number> {
  const found = new Set<number>();
  for (const sku of skus) {
    const index = model.catalog.indexOf(sku);
    if (index !== undefined) found.add(index);
  }
  return found;
}

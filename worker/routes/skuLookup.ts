import { pathSkuText } from "../../models/api/printableText.js";
import { ApiError } from "../errors.js";
import type { PageSession } from "../model/pageSession.js";

/** An anchor SKU from the path, or a 400. */
export function anchorSku(raw: string): string {
  const parsed = pathSkuText.safeParse(raw);
  if (!parsed.success) throw new ApiError(400, "invalid_sku", "a SKU is 1–200 printable characters");
  return parsed.data;
}

/** The anchor's and the excluded SKUs' catalog indices (one round of SKU pages); a 404 for an unknown anchor. */
export async function lookupAnchor(
  session: PageSession,
  version: string,
  anchor: string,
  exclude: readonly string[],
): Promise<{ anchor: number; exclude: Set<number> }> {
  const found = await session.lookup([anchor, ...exclude]);
  const index = found.get(anchor);
  if (index === undefined) {
    throw new ApiError(404, "unknown_sku", `no product ${JSON.stringify(anchor)} in model ${version}`);
  }
  return { anchor: index, exclude: knownIndices(found, exclude) };
}

/** Known SKUs as catalog indices; unknown ones cannot be suggested anyway and are ignored. */
export function knownIndices(found: ReadonlyMap<string, number>, skus: readonly string[]): Set<number> {
  const indices = new Set<number>();
  for (const sku of skus) {
    const index = found.get(sku);
    if (index !== undefined) indices.add(index);
  }
  return indices;
}

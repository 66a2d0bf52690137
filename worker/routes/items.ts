import { Hono } from "hono";
import { z } from "zod";
import { selectCrossSells } from "../../models/rules/crossSell.js";
import { ApiError } from "../errors.js";
import type { AppEnv } from "../middleware/withModel.js";
import type { LoadedModel } from "../model/readModel.js";
import { validQuery } from "../validate.js";

const alsoBoughtQuery = z.object({
  limit: z.coerce.number().int().min(1).max(50).default(6),
});

/** Product ids are opaque text; bound their size and refuse control characters. */
function anchorIndex(model: LoadedModel, raw: string): number {
  if (raw.length === 0 || raw.length > 200 || /[\u0000-\u001f\u007f]/.test(raw)) {
    throw new ApiError(400, "invalid_sku", "a SKU is 1–200 printable characters");
  }
  const index = model.catalog.indexOf(raw);
  if (index === undefined)
    throw new ApiError(404, "unknown_sku", `no product ${JSON.stringify(raw)} in model ${model.manifest.version}`);
  return index;
}

function describeItem(model: LoadedModel, index: number) {
  const { catalog } = model;
  return { sku: catalog.sku.get(index), title: catalog.title.get(index), price: catalog.priceOf(index) };
}

export function itemRoutes() {
  return new Hono<AppEnv>().get("/:sku/also-bought", validQuery(alsoBoughtQuery), async (c) => {
    const model = c.var.model;
    const anchor = anchorIndex(model, c.req.param("sku"));
    const { limit } = c.req.valid("query");
    const candidates = await model.scorer.score([anchor], [1], model.manifest.model.neighbours);
    const chosen = selectCrossSells(model.catalog, anchor, candidates, { limit });
    const version = model.manifest.version;
    c.header("Cache-Control", "public, max-age=60");
    c.header("ETag", `"${version}"`);
    c.header("X-Sidecart-Model", version);
    return c.json({
      anchor: describeItem(model, anchor),
      items: chosen.map(({ index, score }) => ({
        ...describeItem(model, index),
        score: Math.round(score * 1e6) / 1e6,
      })),
      currency: model.catalog.currency,
      model: { version },
    });
  });
}

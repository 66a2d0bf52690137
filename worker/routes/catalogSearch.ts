import { Hono } from "hono";
import { z } from "zod";
import { textUpTo } from "../../models/api/printableText.js";
import type { AppEnv } from "../appEnv.js";
import { withModel } from "../middleware/withModel.js";
import { clientIp, rateLimit } from "../middleware/rateLimit.js";
import type { ModelSource } from "../model/modelSource.js";
import type { LoadedModel } from "../model/readModel.js";
import { describeItem } from "../recommend/present.js";
import { needle, rowHas } from "../recommend/titleSearch.js";
import { validQuery } from "../validate.js";
import { setAnswerHeaders } from "../http/answerHeaders.js";

export const searchQuery = z.object({
  /** Words of the title, or the start of a SKU, any case; empty for the most bought products. */
  q: textUpTo(100).default(""),
  limit: z.coerce.number().int().min(1).max(50).default(10),
});

/** The `limit` products with the most baskets, most first (a bounded insertion, not a full sort). */
function mostBought(model: LoadedModel, limit: number, keep: (i: number) => boolean): number[] {
  const best: number[] = [];
  const baskets = model.evidence.itemBaskets;
  for (let i = 0; i < model.catalog.size; i++) {
    const n = baskets[i] ?? 0;
    if (!keep(i) || (best.length === limit && n <= (baskets[best[limit - 1] ?? 0] ?? 0))) continue;
    let at = best.length === limit ? limit - 1 : best.length;
    best[at] = i;
    while (at > 0 && (baskets[best[at - 1] ?? 0] ?? 0) < n) {
      best[at] = best[at - 1] ?? 0;
      best[--at] = i;
    }
  }
  return best;
}

/**
 * Product lookup for storefront search boxes and the demo page: every word of `q` in the title, or a
 * SKU starting with it (letters in any case); best sellers first. A linear pass over the catalog's
 * bytes, off the recommendation hot path, and rate-limited per client.
 */
export function catalogRoutes(source: ModelSource) {
  const limit = rateLimit<AppEnv>({ limiter: (c) => c.env.SEARCH_LIMITER, keys: (c) => [`ip:${clientIp(c)}`] });
  return new Hono<AppEnv>().get("/search", limit, validQuery(searchQuery), withModel({ source }), (c) => {
    const model = c.get("model");
    const { q, limit } = c.req.valid("query");
    const query = q.trim();
    const words = query
      .split(/\s+/)
      .filter((w) => w !== "")
      .map(needle);
    const whole = needle(query);
    const { catalog } = model;
    const matches = (i: number) =>
      words.length === 0 || rowHas(catalog.sku, i, whole, true) || words.every((w) => rowHas(catalog.title, i, w));
    setAnswerHeaders(c, model, false);
    return c.json({
      items: mostBought(model, limit, matches).map((i) => describeItem(model, i)),
      currency: catalog.currency,
      model: { version: model.manifest.version },
    });
  });
}

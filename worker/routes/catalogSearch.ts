import { Hono } from "hono";
import { z } from "zod";
import { textUpTo } from "../../models/api/printableText.js";
import type { AppEnv } from "../appEnv.js";
import { withModel } from "../middleware/withModel.js";
import { clientIp, rateLimit } from "../middleware/rateLimit.js";
import type { ModelSource } from "../model/modelSource.js";
import { ApiError } from "../errors.js";
import { PageSession } from "../model/pageSession.js";
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
function mostBought(baskets: Int32Array, limit: number, keep: (i: number) => boolean): number[] {
  const best: number[] = [];
  for (let i = 0; i < baskets.length; i++) {
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
 * SKU starting with it (letters in any case); best sellers first; no words: the best sellers. A
 * linear pass over every title, off the recommendation hot path and rate-limited per client, so it
 * needs every page in the isolate: a model whose pages do not fit the page cache answers only an
 * exact SKU, and otherwise a 501 with the code search_needs_whole_catalog.
 */
export function catalogRoutes(source: ModelSource) {
  const limit = rateLimit<AppEnv>({ limiter: (c) => c.env.SEARCH_LIMITER, keys: (c) => [`ip:${clientIp(c)}`] });
  return new Hono<AppEnv>().get("/search", limit, validQuery(searchQuery), withModel({ source }), async (c) => {
    const model = c.get("model");
    const { q, limit } = c.req.valid("query");
    const query = q.trim();
    const words = query
      .split(/\s+/)
      .filter((w) => w !== "")
      .map(needle);
    const whole = needle(query);
    const session = new PageSession(model);
    const { catalog } = session.shop;
    const { itemBaskets, itemPages, pageItems } = model.head;
    let found: number[];
    if (words.length === 0) {
      found = mostBought(itemBaskets, limit, () => true);
    } else if (model.pages.wholeFits) {
      await session.complete(() => {
        for (let p = 0; p < itemPages; p++) session.itemPage(p * pageItems);
      });
      const matches = (i: number) => {
        const page = session.itemPage(i);
        if (page === null) return false;
        const row = i - page.first;
        return rowHas(page.sku, row, whole, true) || words.every((w) => rowHas(page.title, row, w));
      };
      found = mostBought(itemBaskets, limit, matches);
    } else {
      const exact = (await session.lookup([query])).get(query);
      if (exact === undefined) {
        throw new ApiError(
          501,
          "search_needs_whole_catalog",
          `model ${model.manifest.version} has ${model.head.itemCount} products in pages larger than this isolate's page cache; search by exact SKU, or by no words for the best sellers`,
        );
      }
      found = [exact];
    }
    const items = await session.complete(() => found.map((i) => describeItem(catalog, i)));
    setAnswerHeaders(c, model, false);
    return c.json({ items, currency: catalog.currency, model: { version: model.manifest.version } });
  });
}

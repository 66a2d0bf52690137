import { Hono, type Context } from "hono";
import type { AppEnv } from "../appEnv.js";
import { z } from "zod";
import { runOneNode } from "../recommend/benchScorer.js";
import { validQuery } from "../validate.js";

// The shape and size of a six-item also-bought answer, fixed: the serving benchmark's reference
// for what this stack (workerd, Hono, the config middleware, JSON out) costs with no work at all.
const BODY = JSON.stringify({
  anchor: { sku: "85123A", title: "WHITE HANGING HEART T-LIGHT HOLDER", price: 2.95, category: null },
  stage: "product",
  items: Array.from({ length: 6 }, (_, i) => ({
    sku: `2121${i}`,
    title: "PACK OF 72 RETROSPOT CAKE CASES",
    price: 0.55,
    category: null,
    score: 0.001228,
    evidence: { support: 157, confidence: 0.1228, lift: 1.6 },
  })),
  reasons: [],
  experiments: [],
  currency: "GBP",
  model: { version: "20261125T155718Z-4664f69b" },
});

/** The fixed answer, never stored by a cache. */
function staticAnswer(c: Context<AppEnv>): Response {
  c.header("Cache-Control", "no-store");
  c.header("Content-Type", "application/json");
  return c.body(BODY);
}

/** Mounted only when SIDECART_BENCH is "1" (npm run bench:serve); absent in a normal deploy. */
export function benchStaticRoutes() {
  return (
    new Hono<AppEnv>()
      .get("/static", staticAnswer)
      // The static answer after `runs` runs of a one-node ONNX graph (npm run bench:ort-runs): what a
      // request's first run costs against the runs after it in the same request, and (with `evict`
      // KiB written over before each of the first `evictions` steps) against a run met with cold caches.
      .get(
        "/ort-runs",
        validQuery(
          z.object({
            runs: z.coerce.number().int().min(0).max(100),
            evictions: z.coerce.number().int().min(0).max(100).default(0),
            evict: z.coerce.number().int().min(0).max(65536).default(0),
          }),
        ),
        async (c) => {
          const { runs, evictions, evict } = c.req.valid("query");
          await runOneNode(runs, evictions, evict * 1024);
          return staticAnswer(c);
        },
      )
  );
}

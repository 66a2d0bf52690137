import { Hono } from "hono";
import type { AppEnv } from "../appEnv.js";
import { buildOpenApi } from "../openapi.js";
import { cartLineLimit } from "./cart.js";

/** A document is rebuilt this often at most for the same config, so its event date window moves on. */
const REBUILD_MS = 3600_000;

/**
 * GET /openapi.json: the document for the live config (its cart line limit is the config's), built
 * when the config changes or the document is an hour old, and kept for the isolate otherwise.
 */
export function openApiRoutes() {
  let built: { digest: string; at: number; document: object } | null = null;
  return new Hono<AppEnv>().get("/openapi.json", (c) => {
    const config = c.get("config");
    const now = Date.now();
    if (built === null || built.digest !== config.digest || now - built.at > REBUILD_MS) {
      built = { digest: config.digest, at: now, document: buildOpenApi({ cartMaxLines: cartLineLimit(config), now }) };
    }
    c.header("Cache-Control", "public, max-age=300");
    return c.json(built.document);
  });
}

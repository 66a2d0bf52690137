import { Hono, type Context } from "hono";
import type { AppEnv } from "../appEnv.js";
import { ApiError } from "../errors.js";

/** The paths the asset binding serves through the worker (wrangler.toml's run_worker_first). */
export const STATIC_PATHS = ["/widget/*", "/demo", "/demo/*"] as const;

/** Whether a request is for a static file: it passes through untouched (its own headers, no API CSP). */
export const isStaticPath = (path: string): boolean =>
  path.startsWith("/widget/") || path === "/demo" || path.startsWith("/demo/");

/**
 * The widget and the demo page, from the ASSETS binding, for GET (and HEAD, which hono answers as GET
 * without the body). They run through the worker only so that any other method gets the API's 405
 * with Allow (methodNotAllowed) instead of the asset layer's bare one.
 */
export function staticFileRoutes() {
  const serve = (c: Context<AppEnv>) => {
    // Miniflare without assets (the serving benchmark) has no binding: nothing to serve there.
    const assets = (c.env as Partial<Env>).ASSETS;
    if (assets === undefined) throw new ApiError(404, "not_found", `no static files in this worker (${c.req.path})`);
    return assets.fetch(c.req.raw);
  };
  const routes = new Hono<AppEnv>();
  for (const path of STATIC_PATHS) routes.get(path, serve);
  return routes;
}

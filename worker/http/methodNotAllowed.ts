import type { Hono } from "hono";
import type { AppEnv } from "../appEnv.js";
import type { ErrorBody } from "../errors.js";

/**
 * Answers a method a path does not serve with 405 and an Allow header, for every path the app has
 * routes for (call it after the routes are mounted). HEAD is served wherever GET is (hono answers it
 * as GET without a body) and OPTIONS everywhere (the CORS middleware answers it).
 */
export function methodNotAllowed(app: Hono<AppEnv>): void {
  const served = new Map<string, Set<string>>();
  for (const { path, method } of app.routes) {
    if (method === "ALL") continue; // middleware
    served.set(path, (served.get(path) ?? new Set()).add(method));
  }
  for (const [path, methods] of served) {
    const allow = [...methods, ...(methods.has("GET") ? ["HEAD"] : []), "OPTIONS"].join(", ");
    app.all(path, (c) => {
      c.header("Allow", allow);
      return c.json<ErrorBody>(
        { error: { code: "method_not_allowed", message: `${c.req.method} is not served here; use ${allow}` } },
        405,
      );
    });
  }
}

import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../appEnv.js";
import { ApiError } from "../errors.js";
import { pseudonym } from "../privacy/pseudonym.js";

export interface RateLimitOptions<E extends AppEnv> {
  /** The limiter binding (wrangler.toml [[ratelimits]]); absent (a test app without it): no limit. */
  limiter: (c: Context<E>) => RateLimit | undefined;
  /** Keys to count this request against (client IP, unit ids); each has its own budget. */
  keys: (c: Context<E>) => string[];
}

/** The client's address as Cloudflare gives it; "local" under wrangler dev and in tests without one. */
export const clientIp = (c: Context) => c.req.header("CF-Connecting-IP") ?? "local";

/**
 * Refuses a request with 429 rate_limited when any of its keys is over budget. Keys name IPs and unit
 * ids, so the limiter only ever sees their salted hashes.
 */
export function rateLimit<E extends AppEnv>({ limiter, keys }: RateLimitOptions<E>) {
  return createMiddleware<E>(async function rateLimit(c, next) {
    const binding = limiter(c);
    if (binding !== undefined) {
      const salt = c.env.UNIT_HASH_SALT;
      const results = await Promise.all(keys(c).map(async (key) => binding.limit({ key: await pseudonym(key, salt) })));
      if (results.some((r) => !r.success)) {
        c.header("Retry-After", "60");
        throw new ApiError(429, "rate_limited", "too many requests from this client; retry in a minute");
      }
    }
    await next();
  });
}

import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import type { Surface } from "../../models/config/configDocument.js";
import { armsFor, labelsHeader } from "../../models/experiments/assign.js";
import type { AppEnv } from "../appEnv.js";
import { clientIp } from "./rateLimit.js";
import { pseudonym } from "../privacy/pseudonym.js";
import { issueUnit } from "../tokens/issuedUnit.js";
import { tokenKeys } from "../tokens/tokenKeys.js";

export const UNIT_HEADER = "X-Sidecart-Unit";
export const EXPERIMENTS_HEADER = "X-Sidecart-Experiments";

export interface WithArmsOptions<E extends AppEnv> {
  surface: Surface;
  /** The unit id the request carries besides the header (a query parameter, a body field). */
  unitParam?: (c: Context<E>) => string | undefined;
}

/**
 * The unit a request asks the worker to issue (`unit=new`, or the header): a request that names no
 * unit stays anonymous, so its answer stays public and shared by caches.
 */
export const NEW_UNIT = "new";

/**
 * A unit for a request that asks for one: issued and signed by the worker, while the client is within
 * UNITS_LIMITER's budget of new units (over it, or without a token key, the answer goes out without
 * a unit: no arms, no token).
 */
async function newUnit<E extends AppEnv>(c: Context<E>): Promise<string | undefined> {
  const keys = await tokenKeys(c.env);
  if (keys === null) return undefined;
  const limiter = c.env.UNITS_LIMITER;
  if (limiter !== undefined) {
    const { success } = await limiter.limit({ key: await pseudonym(`units:${clientIp(c)}`, c.env.UNIT_HASH_SALT) });
    if (!success) return undefined;
  }
  return issueUnit(keys);
}

/**
 * Assigns the request's unit to the arms of the experiments running on a surface. The header wins over
 * the parameter so a storefront's server can set it for every call. Answers that can differ by arm say
 * so to caches: Vary on the unit header (and setAnswerHeaders gives each arm its own ETag).
 */
export function withArms<E extends AppEnv = AppEnv>({ surface, unitParam }: WithArmsOptions<E>) {
  return createMiddleware<E>(async function withArms(c, next) {
    const header = c.req.header(UNIT_HEADER)?.trim();
    const named = header !== undefined && header !== "" ? header.slice(0, 128) : unitParam?.(c);
    const unit = named === NEW_UNIT ? await newUnit(c) : named === "" ? undefined : named;
    if (unit !== undefined && unit !== named) c.set("issuedUnit", unit);
    const arms = armsFor(c.get("config").document.experiments, surface, unit);
    c.set("arms", arms);
    c.set("unit", unit);
    if (arms.labels.length > 0) {
      c.header(EXPERIMENTS_HEADER, labelsHeader(arms.labels));
      c.header("Vary", UNIT_HEADER, { append: true });
    }
    await next();
  });
}

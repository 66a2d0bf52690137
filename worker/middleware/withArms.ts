import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import type { Surface } from "../../models/config/configDocument.js";
import { armsFor, labelsHeader } from "../../models/experiments/assign.js";
import type { AppEnv } from "../appEnv.js";

export const UNIT_HEADER = "X-Sidecart-Unit";
export const EXPERIMENTS_HEADER = "X-Sidecart-Experiments";

export interface WithArmsOptions<E extends AppEnv> {
  surface: Surface;
  /** The unit id the request carries besides the header (a query parameter, a body field). */
  unitParam?: (c: Context<E>) => string | undefined;
}

/**
 * Assigns the request's unit to the arms of the experiments running on a surface. The header wins over
 * the parameter so a storefront's server can set it for every call. Answers that can differ by arm say
 * so to caches: Vary on the unit header (and setAnswerHeaders gives each arm its own ETag).
 */
export function withArms<E extends AppEnv = AppEnv>({ surface, unitParam }: WithArmsOptions<E>) {
  return createMiddleware<E>(async function withArms(c, next) {
    const header = c.req.header(UNIT_HEADER)?.trim();
    const unit = header !== undefined && header !== "" ? header.slice(0, 128) : unitParam?.(c);
    const arms = armsFor(c.get("config").document.experiments, surface, unit);
    c.set("arms", arms);
    c.set("unit", unit === "" ? undefined : unit);
    if (arms.labels.length > 0) {
      c.header(EXPERIMENTS_HEADER, labelsHeader(arms.labels));
      c.header("Vary", UNIT_HEADER, { append: true });
    }
    await next();
  });
}

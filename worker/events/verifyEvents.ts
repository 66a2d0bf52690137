import type { EventsConfig } from "../../models/events/eventsConfig.js";
import type { ShopEvent } from "../../models/events/event.js";
import { ApiError } from "../errors.js";
import { checkToken, type TokenKeys } from "../tokens/eventToken.js";
import { isIssuedUnit } from "../tokens/issuedUnit.js";

/**
 * A batch as it may be stored: every event vouched for by its answer's token, purchases clamped to the
 * configured cap. One bad token refuses the whole batch (403, its code, the event's index), so a batch is
 * stored whole or not at all, as it is written.
 *
 * Clamped, not refused, over the cap: a real order above it still counts as a purchase, with its weight
 * limited (winsorised, as experiment platforms cap revenue outliers), and a widget's batch is not lost
 * for one large order. A forged value can then move an arm by at most the cap per event, and only with
 * a token the worker issued for that unit.
 */
export async function verifiedEvents(
  events: readonly ShopEvent[],
  keys: TokenKeys,
  config: EventsConfig,
  now: number,
): Promise<ShopEvent[]> {
  const ttlMs = config.tokenTtlHours * 3_600_000;
  // A widget's batch repeats one token: check each distinct claim once.
  const checked = new Map<string, Promise<Awaited<ReturnType<typeof checkToken>>>>();
  const results = await Promise.all(
    events.map((e) => {
      const key = JSON.stringify([e.token, e.unit, e.surface, e.anchor ?? null, e.experiment, e.variant]);
      let check = checked.get(key);
      if (check === undefined) {
        check = checkToken(keys, e.token, e, now, ttlMs);
        checked.set(key, check);
      }
      return check;
    }),
  );
  results.forEach((result, i) => {
    if (!result.ok) throw new ApiError(403, result.code, `events.${i}.token: ${result.message}`);
  });
  if (config.units === "issued") {
    const issued = await Promise.all(events.map((e) => isIssuedUnit(keys, e.unit)));
    const named = issued.indexOf(false);
    if (named >= 0) {
      throw new ApiError(
        403,
        "unit_not_issued",
        `events.${named}.unit: events.units is "issued" and this unit was named by the caller (ask with unit=new)`,
      );
    }
  }
  return events.map((e) =>
    e.type === "purchase" && e.value !== undefined && e.value > config.maxPurchaseValue
      ? { ...e, value: config.maxPurchaseValue }
      : e,
  );
}

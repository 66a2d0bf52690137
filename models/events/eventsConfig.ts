import { z } from "zod";

/** How long an answer's event token is accepted, by default: a shopper's session and a next-day purchase. */
export const DEFAULT_TOKEN_TTL_HOURS = 24;
/**
 * The most one purchase event may add to an arm's revenue, by default, in the catalog's currency. A shop
 * whose orders are larger (cars, plans) raises it in the config document.
 */
export const DEFAULT_MAX_PURCHASE_VALUE = 10_000;

/** The config document's `events` section: what POST /v1/events accepts. */
export const eventsConfigSchema = z
  .object({
    /**
     * Hours after the start of its hour of issue that an answer's token still vouches for events (2 to
     * 720; tokens name the hour, so a 1 h life could end the minute an answer was given).
     */
    tokenTtlHours: z.number().min(2).max(720).default(DEFAULT_TOKEN_TTL_HOURS),
    /** A purchase event's value is clamped to this (winsorised), so no single event can swing revenue. */
    maxPurchaseValue: z.number().positive().max(1e9).default(DEFAULT_MAX_PURCHASE_VALUE),
    /**
     * Whose unit ids events may carry: "any" (a shop's server may name its own shopper ids), or
     * "issued", only ids the worker issued (`unit=new`; the widget asks for one), which nobody can
     * pick, so nobody can keep the ids that landed in one arm faster than the new-unit limit allows.
     */
    units: z.enum(["any", "issued"]).default("any"),
  })
  .strict();
export type EventsConfig = z.infer<typeof eventsConfigSchema>;

export const DEFAULT_EVENTS_CONFIG: EventsConfig = {
  tokenTtlHours: DEFAULT_TOKEN_TTL_HOURS,
  maxPurchaseValue: DEFAULT_MAX_PURCHASE_VALUE,
  units: "any",
};

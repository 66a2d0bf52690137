import { Hono } from "hono";
import { eventBatchSchema, MAX_EVENTS_PER_BATCH } from "../../models/events/event.js";
import { finishAfterAnswer, schedulerOf, type AppEnv } from "../appEnv.js";
import type { EventStore } from "../events/eventStore.js";
import { pseudonym } from "../privacy/pseudonym.js";
import { verifiedEvents } from "../events/verifyEvents.js";
import { eventsBlocked, tokenKeys } from "../tokens/tokenKeys.js";
import { ApiError } from "../errors.js";
import { clientIp, rateLimit } from "../middleware/rateLimit.js";
import { validatedJson, validJson } from "../validate.js";

/** A batch's JSON, in bytes (the byte limit is in /openapi.json beside the schema). */
export const EVENTS_MAX_BYTES = MAX_EVENTS_PER_BATCH * 1024;

/** At most this many distinct tokens of one batch are counted (a batch is about one answer, usually). */
const TOKEN_KEYS = 5;

/** Storefront events for the experiment report: validated now, written after the answer. */
export function eventRoutes(store: EventStore) {
  return new Hono<AppEnv>().post(
    "/",
    ...validJson(eventBatchSchema, { maxBytes: EVENTS_MAX_BYTES }),
    rateLimit<AppEnv>({
      limiter: (c) => c.env.EVENTS_LIMITER,
      // Keys nobody can pick for someone else: the client's address (Cloudflare sets it) and the tokens,
      // which only the shopper who got the answer holds. A unit id is anyone's to type, so counting it
      // would let a stranger use up a shopper's budget.
      keys: (c) => [
        `ip:${clientIp(c)}`,
        ...[...new Set(validatedJson(c, eventBatchSchema).events.map((e) => e.token))]
          .slice(0, TOKEN_KEYS)
          .map((t) => `token:${t}`),
      ],
    }),
    async (c) => {
      const blocked = eventsBlocked(c.env);
      const keys = await tokenKeys(c.env);
      if (blocked !== null || keys === null) {
        const { code, message } = blocked ?? { code: "token_key_missing", message: "no token key" };
        throw new ApiError(503, code, `events are not taken: ${message}`);
      }
      const salt = c.env.UNIT_HASH_SALT;
      const now = Date.now();
      // Only events an answer vouches for are kept; one that is not refuses the batch (403, nothing stored).
      const vouched = await verifiedEvents(c.req.valid("json").events, keys, c.get("config").document.events, now);
      const events = await Promise.all(vouched.map(async (e) => ({ ...e, unit: await pseudonym(e.unit, salt) })));
      const write = store.write(c.env.EVENTS, events, now).catch((error: unknown) => {
        // The caller has its 202 already; the loss is logged where operators look (wrangler tail).
        console.error(`events: a batch of ${events.length} was not written`, error);
      });
      await finishAfterAnswer(schedulerOf(c), write);
      c.header("Cache-Control", "no-store");
      return c.json({ accepted: events.length }, 202);
    },
  );
}

import { Hono } from "hono";
import { eventBatchSchema, MAX_EVENTS_PER_BATCH } from "../../models/events/event.js";
import { schedulerOf, type AppEnv } from "../appEnv.js";
import { jsonBody } from "../middleware/jsonBody.js";
import type { EventStore } from "../events/eventStore.js";

/** Storefront events for the experiment report: validated now, written after the answer. */
export function eventRoutes(store: EventStore) {
  return new Hono<AppEnv>().post(
    "/",
    jsonBody(eventBatchSchema, { maxBytes: MAX_EVENTS_PER_BATCH * 1024 }),
    async (c) => {
      const { events } = c.get("body");
      const write = store.write(c.env.EVENTS, events, Date.now()).catch((error: unknown) => {
        // The caller has its 202 already; the loss is logged where operators look (wrangler tail).
        console.error(`events: a batch of ${events.length} was not written`, error);
      });
      const schedule = schedulerOf(c);
      if (schedule) schedule(write);
      else await write;
      c.header("Cache-Control", "no-store");
      return c.json({ accepted: events.length }, 202);
    },
  );
}

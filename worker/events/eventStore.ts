import { EVENTS_SCHEMA, INSERT_EVENT, type ShopEvent } from "../../models/events/event.js";

/**
 * Writes event batches to D1. The table is made once per isolate; a failure to make it is retried by
 * the next batch rather than remembered.
 */
export class EventStore {
  private ready: Promise<unknown> | null = null;

  async write(db: D1Database, events: readonly ShopEvent[], receivedAt: number): Promise<void> {
    this.ready ??= db.batch(EVENTS_SCHEMA.map((sql) => db.prepare(sql))).catch((error: unknown) => {
      this.ready = null;
      throw error;
    });
    await this.ready;
    const insert = db.prepare(INSERT_EVENT);
    // One batch is one transaction: a batch lands whole or not at all.
    await db.batch(
      events.map((e) =>
        insert.bind(
          receivedAt,
          e.ts ?? receivedAt,
          e.type,
          e.sku,
          e.anchor ?? null,
          e.surface,
          e.experiment,
          e.variant,
          e.unit,
          e.value ?? null,
        ),
      ),
    );
  }
}

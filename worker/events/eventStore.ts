import {
  ANSWER_COLUMN,
  answerOf,
  EVENTS_SCHEMA,
  INSERT_EVENT,
  ONCE_INDEX,
  type ShopEvent,
} from "../../models/events/event.js";

/** Makes the table, and brings one made before events counted once up to date. */
async function prepareTable(db: D1Database): Promise<void> {
  await db.batch(EVENTS_SCHEMA.map((sql) => db.prepare(sql)));
  const { results } = await db.prepare("PRAGMA table_info(events)").all<{ name: string }>();
  if (!results.some((column) => column.name === "answer")) await db.prepare(ANSWER_COLUMN).run();
  await db.prepare(ONCE_INDEX).run();
}

/**
 * Writes event batches to D1. The table is made once per isolate; a failure to make it is retried by
 * the next batch rather than remembered.
 */
export class EventStore {
  private ready: Promise<unknown> | null = null;

  async write(db: D1Database, events: readonly ShopEvent[], receivedAt: number): Promise<void> {
    this.ready ??= prepareTable(db).catch((error: unknown) => {
      this.ready = null;
      throw error;
    });
    await this.ready;
    const insert = db.prepare(INSERT_EVENT);
    // One batch is one transaction: a batch lands whole or not at all; an event already stored is skipped.
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
          answerOf(e.token),
        ),
      ),
    );
  }
}

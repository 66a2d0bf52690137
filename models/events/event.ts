import { z } from "zod";
import { printableText } from "../api/printableText.js";
import { SURFACES } from "../config/configDocument.js";
import { experimentName } from "../names.js";

export const EVENT_TYPES = ["impression", "click", "add_to_cart", "purchase"] as const;
export type EventType = (typeof EVENT_TYPES)[number];

const text = printableText;
const label = experimentName;

// Events older than this or from the future are someone's clock or replay bug, not data.
// Exported for /openapi.json, which publishes the window.
export const EARLIEST_MS = Date.UTC(2020, 0, 1);
export const FUTURE_SLACK_MS = 24 * 3600 * 1000;

/**
 * The `token` of the answer the event is about, passed through untouched: the worker's signature over
 * the unit, surface, anchor, arms, model version and hour of that answer (worker/tokens/eventToken.ts).
 */
export const eventToken = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,8000}\.[A-Za-z0-9_-]{16}$/, "must be the token of the answer the event is about")
  .meta({ minLength: 18, maxLength: 8017 });

export const eventSchema = z
  .object({
    type: z.enum(EVENT_TYPES),
    sku: text(200),
    anchor: text(200).optional(),
    surface: z.enum(SURFACES),
    experiment: label,
    /** The variant the answer named, "unassigned" and "excluded" included. */
    variant: label,
    unit: text(128),
    /** The answer's token (required for every event type: each one moves the report). */
    token: eventToken,
    /** Money for add_to_cart and purchase, in the catalog's currency. */
    value: z.number().min(0).max(1e9).optional(),
    /** When it happened: epoch milliseconds or an ISO 8601 timestamp; the time received when left out. */
    ts: z
      .union([z.int(), z.iso.datetime({ offset: true }).transform((iso) => Date.parse(iso))])
      .optional()
      .refine(
        (ms) => ms === undefined || (ms >= EARLIEST_MS && ms <= Date.now() + FUTURE_SLACK_MS),
        "must lie between 2020 and tomorrow",
      ),
  })
  .strict();
export type ShopEvent = z.infer<typeof eventSchema>;

export const MAX_EVENTS_PER_BATCH = 500;
export const eventBatchSchema = z.object({ events: z.array(eventSchema).min(1).max(MAX_EVENTS_PER_BATCH) }).strict();

/**
 * One row per event in D1. The worker creates the table on first use (IF NOT EXISTS), so a fresh local
 * store or a fresh database needs no migration step before events can be written.
 */
export const EVENTS_SCHEMA = [
  `CREATE TABLE IF NOT EXISTS events (
    id INTEGER PRIMARY KEY,
    received_at INTEGER NOT NULL,
    ts INTEGER NOT NULL,
    type TEXT NOT NULL,
    sku TEXT NOT NULL,
    anchor TEXT,
    surface TEXT NOT NULL,
    experiment TEXT NOT NULL,
    variant TEXT NOT NULL,
    unit TEXT NOT NULL,
    value REAL,
    answer TEXT
  )`,
  "CREATE INDEX IF NOT EXISTS events_by_arm ON events (experiment, variant, unit)",
] as const;

/** A table made before events counted once lacks the answer column: it is added (rows before it stay NULL). */
export const ANSWER_COLUMN = "ALTER TABLE events ADD COLUMN answer TEXT";

/**
 * Each event counts once: one row per (answer, type, SKU), where the answer is its token's MAC (the
 * same unit, surface, anchor, arms, hour and shown SKUs give the same one). A replayed batch, or one
 * event sent twice, changes nothing. So an answer's impression, click, add to cart or purchase of one
 * SKU counts once each: a second add of the same SKU is a quantity change, not another add.
 */
export const ONCE_INDEX = "CREATE UNIQUE INDEX IF NOT EXISTS events_once ON events (answer, type, sku)";

export const INSERT_EVENT =
  "INSERT OR IGNORE INTO events (received_at, ts, type, sku, anchor, surface, experiment, variant, unit, value, answer) " +
  "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

/** The answer an event is about: its token's MAC, which no two answers share. */
export const answerOf = (token: string): string => token.slice(token.lastIndexOf(".") + 1);

/** Per experiment, variant and unit: the sums every report metric is a ratio of. */
export const UNIT_TOTALS = `SELECT experiment, variant, unit,
    SUM(type = 'impression') AS impressions,
    SUM(type = 'click') AS clicks,
    SUM(type = 'add_to_cart') AS adds,
    SUM(CASE WHEN type = 'purchase' THEN COALESCE(value, 0) ELSE 0 END) AS revenue
  FROM events GROUP BY experiment, variant, unit`;

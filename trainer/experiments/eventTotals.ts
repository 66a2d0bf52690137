import { UNIT_TOTALS } from "../../models/events/event.js";
import { UserError } from "../errors.js";
import type { UnitTotals } from "./report.js";

interface D1Like {
  prepare(sql: string): { all<T>(): Promise<{ results: T[] }> };
}

function isD1(value: unknown): value is D1Like {
  return typeof value === "object" && value !== null && "prepare" in value && "batch" in value;
}

/** Every unit's totals per experiment arm, from the events database; empty before the first event. */
export async function readUnitTotals(env: Record<string, unknown>, binding: string, configPath: string) {
  const db = env[binding];
  if (!isD1(db)) throw new UserError(`${configPath}: no D1 database bound as ${binding}`);
  try {
    const { results } = await db.prepare(UNIT_TOTALS).all<UnitTotals>();
    return results.map((r) => ({
      ...r,
      impressions: Number(r.impressions),
      clicks: Number(r.clicks),
      adds: Number(r.adds),
      revenue: Number(r.revenue),
    }));
  } catch (error) {
    // The worker makes the table with the first event batch.
    if (error instanceof Error && /no such table/i.test(error.message)) return [];
    throw error;
  }
}

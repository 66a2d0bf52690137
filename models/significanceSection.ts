import type { ColumnInput, DecodedContainer, Meta } from "./blobContainer.js";
import { count } from "./evidenceColumns.js";
import { P_VALUE_GRID, type PValueCounts } from "./rules/significance.js";

/**
 * How each level's p-values fell (models/rules/significance.ts), in the evidence blob and in a paged
 * model's head: the pairs tried and the cumulative counts under the p-value grid, 1 KiB a level. A
 * blob without them (trained before) reads as null, and its pairs are then tested one by one.
 */
export interface LevelSignificance {
  pairs: PValueCounts | null;
  categories: PValueCounts | null;
}

const LEVELS = [
  { key: "pairs", tests: "pairTests", column: "pairPValueCounts" },
  { key: "categories", tests: "categoryTests", column: "categoryPValueCounts" },
] as const;

export const NO_SIGNIFICANCE: LevelSignificance = { pairs: null, categories: null };

/** The header fields and columns of the levels that have counts. */
export function significanceSection(levels: LevelSignificance): { meta: Meta; columns: ColumnInput[] } {
  const meta: Meta = {};
  const columns: ColumnInput[] = [];
  for (const level of LEVELS) {
    const counts = levels[level.key];
    if (counts === null) continue;
    meta[level.tests] = counts.tests;
    columns.push({ name: level.column, type: "u32", values: counts.atMost });
  }
  return { meta, columns };
}

/** The levels' counts, checked: cumulative, never above the pairs tried. */
export function readSignificance(blob: DecodedContainer): LevelSignificance {
  const read = (level: (typeof LEVELS)[number]): PValueCounts | null => {
    if (blob.meta[level.tests] === undefined) return null;
    const tests = count(blob.meta[level.tests], level.tests);
    const atMost = blob.numeric(level.column, "u32", P_VALUE_GRID);
    for (let i = 0; i < P_VALUE_GRID; i++) {
      const here = atMost[i] ?? 0;
      if (here > tests || (i > 0 && here > (atMost[i - 1] ?? 0)))
        throw new Error(`evidence: ${level.column} is not a cumulative count of ${tests} tests`);
    }
    return { tests, atMost };
  };
  const [pairs, categories] = LEVELS;
  return { pairs: read(pairs), categories: read(categories) };
}

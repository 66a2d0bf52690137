import { z } from "zod";
import { historySchema, pointerSchema, type Pointer } from "../../models/manifest.js";

/**
 * Every time the CLI moved the pointer, oldest first. Publish order alone cannot say which version
 * was serving before the live one (a rollback moves the pointer without publishing), nor which
 * versions an operator already rolled back from; these entries can.
 */
export const moveSchema = pointerSchema.extend({
  /** The version the pointer named before this move (null: nothing was published). */
  from: z.string().nullable(),
  /**
   * `rollback` is a plain rollback: the operator said the version it left is bad. `rollback --to`
   * picks a version by name and says nothing about the one it leaves.
   */
  by: z.enum(["publish", "rollback", "rollback --to"]),
});
export type Move = z.infer<typeof moveSchema>;

/** The history document: what retention keeps (`versions`) and how the pointer moved (`moves`). */
export const historyDocumentSchema = historySchema.extend({ moves: z.array(moveSchema).optional() });
export type HistoryDocument = z.infer<typeof historyDocumentSchema>;

/** Moves beyond this are forgotten: rollback and retention only look at the recent past. */
const MAX_MOVES = 200;

export function withMove(history: HistoryDocument, move: Move): HistoryDocument {
  return { ...history, moves: [...movesOf(history), move].slice(-MAX_MOVES) };
}

/** The recorded moves, or for a history older tooling wrote, one publish per listed version. */
export function movesOf(history: HistoryDocument): Move[] {
  if (history.moves !== undefined) return history.moves;
  return history.versions.map((v: Pointer, i) => ({
    ...v,
    from: history.versions[i - 1]?.version ?? null,
    by: "publish" as const,
  }));
}

/**
 * Versions a plain rollback left, unless the pointer was sent back to them on purpose later
 * (published again or named with --to): the worker refused them or served them badly.
 */
export function rolledBackFrom(moves: readonly Move[]): Set<string> {
  const bad = new Set<string>();
  for (const move of moves) {
    bad.delete(move.version);
    if (move.by === "rollback" && move.from !== null) bad.add(move.from);
  }
  return bad;
}

/**
 * Where a plain rollback from `live` may go, best first: the versions the pointer named before,
 * most recent first, without the live one and without versions rolled back from. The caller takes
 * the first whose manifest is still in KV.
 */
export function rollbackCandidates(history: HistoryDocument, live: string | null): string[] {
  const moves = movesOf(history);
  const bad = rolledBackFrom(moves);
  const seen = new Set<string>();
  const candidates: string[] = [];
  for (const move of [...moves].reverse()) {
    for (const version of [move.version, move.from]) {
      if (version === null || version === live || bad.has(version) || seen.has(version)) continue;
      seen.add(version);
      candidates.push(version);
    }
  }
  return candidates;
}

/** The version the pointer named just before the live one: edges may still read it for a while. */
export function lastLeft(history: HistoryDocument, live: string | null): string | null {
  const last = movesOf(history).at(-1);
  return last !== undefined && last.version === live ? last.from : null;
}

import { KvKeys } from "../../models/contract.js";
import type { Pointer } from "../../models/manifest.js";
import { readJson, readManifest, readPointer, StoredValueError } from "../../models/versionStore.js";
import { UserError } from "../errors.js";
import type { KvStore } from "./kvStore.js";
import {
  historyDocumentSchema,
  rolledBackFrom,
  movesOf,
  rollbackCandidates,
  withMove,
  type HistoryDocument,
  type Move,
} from "./pointerMoves.js";

/** The history document (empty when nothing was published); a value that is not one is an error, never "empty". */
export async function readHistory(kv: KvStore): Promise<HistoryDocument> {
  const value = await readJson(kv, KvKeys.history);
  if (value === null) return { versions: [] };
  const parsed = historyDocumentSchema.safeParse(value);
  if (!parsed.success) throw new StoredValueError("invalid_history", `${KvKeys.history} is not a history document`);
  return parsed.data;
}

/** Records a publish: the version joins the kept list (newest last) and the pointer's moves. */
export async function appendHistory(kv: KvStore, pointer: Pointer, from: string | null): Promise<HistoryDocument> {
  const history = await readHistory(kv);
  const versions = [...history.versions.filter((v) => v.version !== pointer.version), pointer];
  const next = withMove({ ...history, versions }, { ...pointer, from, by: "publish" });
  await kv.put(KvKeys.history, JSON.stringify(next));
  return next;
}

/** The new pointer, with what it replaced. */
export interface RollbackResult extends Pointer {
  /** The version the pointer named before (null: none). */
  from: string | null;
  /** Set when --to names a version a plain rollback once left: going back is allowed, but worth a word. */
  warning: string | null;
}

/** The plain rollback's target: the newest version that was pointed to before, not rolled back from, still in KV. */
async function previousServed(kv: KvStore, history: HistoryDocument, live: string | null): Promise<string> {
  for (const version of rollbackCandidates(history, live)) {
    if ((await readManifest(kv, version)) !== null) return version;
  }
  const skipped = [...rolledBackFrom(movesOf(history))].filter((v) => v !== live);
  throw new UserError(
    `no version before ${live ?? "(none)"} to roll back to${skipped.length > 0 ? ` (rolled back from before: ${skipped.join(", ")}; name one with --to to use it anyway)` : ""}`,
  );
}

/**
 * Moves the pointer back: to `to`, or to the version the pointer named before the live one,
 * skipping versions a plain rollback already left (the worker refused them or they served badly).
 * The target's manifest must still be in KV. The move is recorded in the history.
 */
export async function rollback(kv: KvStore, to?: string, now = new Date()): Promise<RollbackResult> {
  const history = await readHistory(kv);
  const live = (await readPointer(kv))?.version ?? null;
  // A plain rollback's target was found by its manifest; a named one is checked here, once.
  const target = to ?? (await previousServed(kv, history, live));
  if (target === live) throw new UserError(`${target} is already live`);
  if (to !== undefined && (await readManifest(kv, target)) === null) {
    const known = history.versions.map((v) => v.version).join(", ") || "none";
    throw new UserError(`version ${target} is not in KV (kept versions: ${known})`);
  }
  const leftBefore = movesOf(history).findLast((m) => m.by === "rollback" && m.from === target);
  const warning =
    to !== undefined && rolledBackFrom(movesOf(history)).has(target)
      ? `${target} was rolled back from${leftBefore ? ` at ${leftBefore.publishedAt}` : ""}; going back to it because --to names it`
      : null;
  const pointer: Pointer = { version: target, publishedAt: now.toISOString() };
  await kv.put(KvKeys.pointer, JSON.stringify(pointer));
  const move: Move = { ...pointer, from: live, by: to === undefined ? "rollback" : "rollback --to" };
  await kv.put(KvKeys.history, JSON.stringify(withMove(history, move)));
  return { ...pointer, from: live, warning };
}

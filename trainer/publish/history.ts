import { KvKeys } from "../../models/contract.js";
import { parseManifest, parsePointer, type Manifest, type Pointer } from "../../models/manifest.js";
import { UserError } from "../errors.js";
import { getText, type KvStore } from "./kvStore.js";
import {
  historyDocumentSchema,
  rolledBackFrom,
  movesOf,
  rollbackCandidates,
  withMove,
  type HistoryDocument,
  type Move,
} from "./pointerMoves.js";

export async function readHistory(kv: KvStore): Promise<HistoryDocument> {
  const text = await getText(kv, KvKeys.history);
  if (text === null) return { versions: [] };
  const parsed = historyDocumentSchema.safeParse(JSON.parse(text));
  if (!parsed.success) throw new Error(`${KvKeys.history} is not a history document`);
  return parsed.data;
}

export async function readLivePointer(kv: KvStore): Promise<Pointer | null> {
  const text = await getText(kv, KvKeys.pointer);
  return text === null ? null : parsePointer(JSON.parse(text));
}

export async function readManifest(kv: KvStore, version: string): Promise<Manifest | null> {
  const text = await getText(kv, KvKeys.manifest(version));
  return text === null ? null : parseManifest(JSON.parse(text));
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
  const live = (await readLivePointer(kv))?.version ?? null;
  const target = to ?? (await previousServed(kv, history, live));
  if (target === live) throw new UserError(`${target} is already live`);
  if ((await readManifest(kv, target)) === null) {
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

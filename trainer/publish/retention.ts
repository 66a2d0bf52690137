import { KvKeys } from "../../models/contract.js";
import { pinnedVersions, readPushedConfig } from "../config/configStore.js";
import { readPointer } from "../../models/versionStore.js";
import { readHistory } from "./history.js";
import { lastLeft, rollbackCandidates, withMove, type HistoryDocument } from "./pointerMoves.js";
import { deleteAll, type KvStore } from "./kvStore.js";

/** Where every version's keys live: KvKeys.versionPrefix(v) is this plus `${v}/`. */
const VERSIONS_ROOT = KvKeys.versionPrefix("").replace(/\/$/, "");

/** What retention decides from: the namespace as it is (or as it will be after a publish). */
export interface RetentionState {
  /** Published versions, oldest first (the history document's list). */
  history: string[];
  /** The whole history document: how the pointer moved decides what rollback needs. */
  document: HistoryDocument;
  live: string | null;
  /** Versions the pushed config's experiment variants serve. */
  pinned: string[];
  /** Every version with keys under sidecart/versions/, with those keys. */
  stored: Map<string, string[]>;
}

export interface RetentionPlan {
  kept: string[];
  /** Versions to delete with their keys, oldest first. */
  deleted: { version: string; keys: string[] }[];
}

export async function readRetentionState(kv: KvStore): Promise<RetentionState> {
  const stored = new Map<string, string[]>();
  for (const key of await kv.list(VERSIONS_ROOT)) {
    const version = key.slice(VERSIONS_ROOT.length).split("/")[0] ?? "";
    if (version === "") continue;
    stored.set(version, [...(stored.get(version) ?? []), key]);
  }
  const config = await readPushedConfig(kv);
  const document = await readHistory(kv);
  return {
    history: document.versions.map((v) => v.version),
    document,
    live: (await readPointer(kv))?.version ?? null,
    pinned: config ? pinnedVersions(config).map((p) => p.version) : [],
    stored,
  };
}

/** The state a publish of `version` leads to, for a dry run's "what would retention delete". */
export function afterPublishing(state: RetentionState, version: string): RetentionState {
  const stored = new Map(state.stored);
  stored.set(version, stored.get(version) ?? []);
  const document = withMove(state.document, {
    version,
    publishedAt: new Date().toISOString(),
    from: state.live,
    by: "publish",
  });
  return {
    ...state,
    history: [...state.history.filter((v) => v !== version), version],
    document,
    live: version,
    stored,
  };
}

/** Where a plain rollback would go now: the newest earlier target still stored with its manifest. */
function rollbackTarget(state: RetentionState): string | undefined {
  return rollbackCandidates(state.document, state.live).find((v) => state.stored.get(v)?.includes(KvKeys.manifest(v)));
}

/**
 * Keeps the newest `keep` published versions, and always the live one, the one the pointer named
 * just before it (KV is eventually consistent: an edge may still read the previous pointer for up to
 * a minute) and the one `rollback` without --to would go to. Versions a pushed config pins stay too.
 * Anything else under sidecart/versions/ goes, including the leftovers of an interrupted publish
 * (keys of a version that never reached the history).
 */
export function planRetention(state: RetentionState, keep: number): RetentionPlan {
  const kept = new Set(state.history.slice(-keep));
  if (state.live !== null) {
    kept.add(state.live);
    const previous = lastLeft(state.document, state.live);
    if (previous !== null) kept.add(previous);
    const target = rollbackTarget(state);
    if (target !== undefined) kept.add(target);
  }
  for (const version of state.pinned) kept.add(version);
  const order = (version: string) => {
    const at = state.history.indexOf(version);
    return at < 0 ? -1 : at;
  };
  const deleted = [...state.stored.entries()]
    .filter(([version]) => !kept.has(version))
    .sort((a, b) => order(a[0]) - order(b[0]) || a[0].localeCompare(b[0]))
    .map(([version, keys]) => ({ version, keys }));
  return { kept: state.history.filter((v) => kept.has(v)), deleted };
}

/**
 * Applies retention to any KvStore. The history is rewritten first, so a version is never listed
 * (and offered to rollback) after its keys start going; then manifests go before blobs, so a
 * half-deleted version is never one whose manifest says it is complete. An interrupted run leaves
 * only unlisted keys, which the next run finds by listing and deletes.
 */
export async function applyRetention(kv: KvStore, keep: number): Promise<RetentionPlan> {
  const state = await readRetentionState(kv);
  const plan = planRetention(state, keep);
  const history = await readHistory(kv);
  const kept = new Set(plan.kept);
  const listed = history.versions.filter((v) => kept.has(v.version));
  if (listed.length !== history.versions.length) {
    await kv.put(KvKeys.history, JSON.stringify({ ...history, versions: listed }));
  }
  const manifests = new Set(plan.deleted.map((d) => KvKeys.manifest(d.version)));
  const keys = plan.deleted.flatMap((d) => d.keys);
  await deleteAll(
    kv,
    keys.filter((k) => manifests.has(k)),
  );
  await deleteAll(
    kv,
    keys.filter((k) => !manifests.has(k)),
  );
  return plan;
}

import { KvKeys } from "../../models/contract.js";
import {
  historySchema,
  parseManifest,
  parsePointer,
  type History,
  type Manifest,
  type Pointer,
} from "../../models/manifest.js";
import { UserError } from "../errors.js";
import { getText, type KvStore } from "./kvStore.js";

export async function readHistory(kv: KvStore): Promise<History> {
  const text = await getText(kv, KvKeys.history);
  if (text === null) return { versions: [] };
  const parsed = historySchema.safeParse(JSON.parse(text));
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

export async function appendHistory(kv: KvStore, pointer: Pointer): Promise<History> {
  const history = await readHistory(kv);
  history.versions = [...history.versions.filter((v) => v.version !== pointer.version), pointer];
  await kv.put(KvKeys.history, JSON.stringify(history));
  return history;
}

/**
 * Moves the pointer back: to `to`, or to the version published before the live one. The target's
 * manifest must still be in KV. Returns the new pointer.
 */
export async function rollback(kv: KvStore, to?: string, now = new Date()): Promise<Pointer> {
  const history = await readHistory(kv);
  const live = (await readLivePointer(kv))?.version;
  let target = to;
  if (target === undefined) {
    const at = history.versions.findIndex((v) => v.version === live);
    target = at > 0 ? history.versions[at - 1]?.version : undefined;
    if (target === undefined) throw new UserError(`no version before ${live ?? "(none)"} to roll back to`);
  }
  if (target === live) throw new UserError(`${target} is already live`);
  if ((await readManifest(kv, target)) === null) {
    const known = history.versions.map((v) => v.version).join(", ") || "none";
    throw new UserError(`version ${target} is not in KV (kept versions: ${known})`);
  }
  const pointer: Pointer = { version: target, publishedAt: now.toISOString() };
  await kv.put(KvKeys.pointer, JSON.stringify(pointer));
  return pointer;
}

import { KvKeys } from "../../models/contract.js";
import type { BlobEntry, Pointer } from "../../models/manifest.js";
import { blobChunks, readBlob, readPointer } from "../../models/versionStore.js";
import { manifestBlobs, type Artifacts } from "../artifacts.js";
import { appendHistory } from "./history.js";
import { putAll, type KvStore } from "./kvStore.js";

function blobsOf(artifacts: Artifacts): [BlobEntry, Uint8Array][] {
  return manifestBlobs(artifacts.manifest).map(([name, entry]) => {
    const bytes = artifacts.blobs[name];
    if (bytes === undefined) throw new Error(`${artifacts.dir}: the manifest lists ${name}, which was not read`);
    return [entry, bytes];
  });
}

/**
 * Every KV value of one version in the order they must be written: blob chunks, the manifest, and
 * the pointer last.
 */
export function versionEntries(artifacts: Artifacts, now = new Date()): [string, Uint8Array | string][] {
  const entries: [string, Uint8Array | string][] = [];
  for (const [entry, bytes] of blobsOf(artifacts)) entries.push(...blobChunks(entry, bytes));
  entries.push([KvKeys.manifest(artifacts.manifest.version), JSON.stringify(artifacts.manifest)]);
  const pointer: Pointer = { version: artifacts.manifest.version, publishedAt: now.toISOString() };
  entries.push([KvKeys.pointer, JSON.stringify(pointer)]);
  return entries;
}

/** Reads a blob back as the worker will, with the same checks: a publish that would not load stops here. */
async function verifyBlob(kv: KvStore, entry: BlobEntry): Promise<void> {
  await readBlob(kv, entry).catch((error: unknown) => {
    const problem = error instanceof Error ? error.message : String(error);
    throw new Error(`read back from KV right after writing: ${problem}; the pointer was not moved`);
  });
}

/** The new pointer, and the version it replaced (null: the first publish). */
export interface PublishedVersion extends Pointer {
  was: string | null;
}

/**
 * Publishes one version: blobs under versioned keys, then the manifest, a read-back check of every
 * blob, and only then the pointer. A reader that follows the pointer always finds a complete
 * version; a publish that fails midway leaves the previous pointer (and so the live model) untouched.
 * A store with batch writes gets the blob chunks in as few requests as it allows; the manifest still
 * goes after them on its own, since a batch promises no order and a manifest in KV must mean its
 * blobs are there (rollback --to trusts it).
 */
export async function publishVersion(kv: KvStore, artifacts: Artifacts, now = new Date()): Promise<PublishedVersion> {
  const entries = versionEntries(artifacts, now);
  const pointer = entries.pop();
  const manifest = entries.pop();
  if (pointer === undefined || manifest === undefined) throw new Error("nothing to publish");
  await putAll(kv, entries);
  await kv.put(...manifest);
  for (const [entry] of blobsOf(artifacts)) await verifyBlob(kv, entry);
  // What the pointer named before, for the history: rollback goes back along these moves.
  const before = (await readPointer(kv))?.version ?? null;
  await kv.put(...pointer);
  const published = { version: artifacts.manifest.version, publishedAt: now.toISOString() };
  await appendHistory(kv, published, before);
  return { ...published, was: before };
}

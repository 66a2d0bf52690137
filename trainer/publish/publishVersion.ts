import { createHash } from "node:crypto";
import { BlobName, KvKeys } from "../../models/contract.js";
import type { BlobEntry, Pointer } from "../../models/manifest.js";
import { decodeHead, SHA256_BYTES } from "../../models/paging/headBlob.js";
import { blobChunks, readBlob, readPointer, StoredValueError } from "../../models/versionStore.js";
import { readPages, servedBlobs, type Artifacts } from "../artifacts.js";
import { boundedParallel } from "./boundedParallel.js";
import { appendHistory } from "./history.js";
import { putAll, type KvStore } from "./kvStore.js";

function blobsOf(artifacts: Artifacts): [BlobEntry, Uint8Array][] {
  return servedBlobs(artifacts.manifest).map(([name, entry]) => {
    const bytes = artifacts.blobs[name];
    if (bytes === undefined) throw new Error(`${artifacts.dir}: the manifest lists ${name}, which was not read`);
    return [entry, bytes];
  });
}

const sameBytes = (a: Uint8Array, b: Uint8Array) =>
  a.length === b.length && Buffer.from(a.buffer, a.byteOffset, a.length).equals(b);

/**
 * pages.bin cut into its pages (views, no copies), each checked against the size and sha256 the head
 * lists, so a folder whose pages were damaged on disk is never published.
 */
export async function pageEntries(artifacts: Artifacts, pages: Uint8Array): Promise<[string, Uint8Array][]> {
  const headBytes = artifacts.blobs[BlobName.head];
  const entry = artifacts.manifest.blobs.pages;
  if (headBytes === undefined || entry === undefined) throw new Error(`${artifacts.dir}: no head or pages to publish`);
  const head = decodeHead(headBytes);
  const entries: [string, Uint8Array][] = [];
  for (let p = 0; p < head.pageBytes.length; p++) {
    const bytes = pages.subarray(head.pageOffsets[p], head.pageOffsets[p + 1]);
    const digest = createHash("sha256").update(bytes).digest();
    if (
      bytes.length !== head.pageBytes[p] ||
      !sameBytes(digest, head.pageSha256.subarray(p * SHA256_BYTES, (p + 1) * SHA256_BYTES))
    )
      throw new StoredValueError(
        "page_corrupt",
        `${artifacts.dir}: page ${p} of pages.bin does not match its head; train again`,
      );
    entries.push([`${entry.key}${p}`, bytes]);
  }
  return entries;
}

/**
 * Every KV value of one version in the order they must be written: blob chunks and pages, the
 * manifest, and the pointer last.
 */
export async function versionEntries(artifacts: Artifacts, now = new Date()): Promise<[string, Uint8Array | string][]> {
  const entries: [string, Uint8Array | string][] = [];
  for (const [entry, bytes] of blobsOf(artifacts)) entries.push(...blobChunks(entry, bytes));
  entries.push(...(await pageEntries(artifacts, await readPages(artifacts))));
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

/** Page reads in flight while checking a publish. */
const READ_BACK_CONCURRENCY = 16;

/** Reads every page back (a publish that would 503 on a missing page stops here, before the pointer). */
async function verifyPages(kv: KvStore, entries: readonly [string, Uint8Array | string][]): Promise<void> {
  const pages = entries.filter(([key]) => key.includes("/pages/"));
  await boundedParallel(pages, READ_BACK_CONCURRENCY, async ([key, expected]) => {
    const found = await kv.get(key);
    if (found === null || typeof expected === "string" || !sameBytes(found, expected))
      throw new Error(
        `read back from KV right after writing: ${key} is ${found === null ? "missing" : "not what was written"}; the pointer was not moved`,
      );
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
  const entries = await versionEntries(artifacts, now);
  const pointer = entries.pop();
  const manifest = entries.pop();
  if (pointer === undefined || manifest === undefined) throw new Error("nothing to publish");
  await putAll(kv, entries);
  await kv.put(...manifest);
  for (const [entry] of blobsOf(artifacts)) await verifyBlob(kv, entry);
  await verifyPages(kv, entries);
  // What the pointer named before, for the history: rollback goes back along these moves.
  const before = (await readPointer(kv))?.version ?? null;
  await kv.put(...pointer);
  const published = { version: artifacts.manifest.version, publishedAt: now.toISOString() };
  await appendHistory(kv, published, before);
  return { ...published, was: before };
}

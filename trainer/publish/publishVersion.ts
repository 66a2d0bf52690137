import { KV_CHUNK_BYTES, KvKeys } from "../../models/contract.js";
import { sha256Hex } from "../../models/digest.js";
import type { BlobEntry, Pointer } from "../../models/manifest.js";
import type { Artifacts } from "../artifacts.js";
import type { KvStore } from "./kvStore.js";

async function putBlob(kv: KvStore, entry: BlobEntry, bytes: Uint8Array): Promise<void> {
  for (let i = 0; i < entry.chunks; i++) {
    await kv.put(KvKeys.chunk(entry.key, i), bytes.subarray(i * KV_CHUNK_BYTES, (i + 1) * KV_CHUNK_BYTES));
  }
}

async function verifyBlob(kv: KvStore, entry: BlobEntry): Promise<void> {
  const parts: Uint8Array[] = [];
  for (let i = 0; i < entry.chunks; i++) {
    const part = await kv.get(KvKeys.chunk(entry.key, i));
    if (part === null) throw new Error(`KV lost ${KvKeys.chunk(entry.key, i)} right after writing it`);
    parts.push(part);
  }
  const bytes = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    bytes.set(part, at);
    at += part.length;
  }
  if (bytes.length !== entry.bytes || (await sha256Hex(bytes)) !== entry.sha256) {
    throw new Error(`${entry.key}: read back from KV does not match what was written`);
  }
}

/**
 * Publishes one version: blobs under versioned keys, then the manifest, a read-back check of both,
 * and only then the pointer. A reader that follows the pointer always finds a complete version; a
 * publish that fails midway leaves the previous pointer (and so the live model) untouched.
 */
export async function publishVersion(kv: KvStore, artifacts: Artifacts, now = new Date()): Promise<Pointer> {
  const { manifest, blobs } = artifacts;
  await putBlob(kv, manifest.blobs.model, blobs.model);
  await putBlob(kv, manifest.blobs.catalog, blobs.catalog);
  await kv.put(KvKeys.manifest(manifest.version), JSON.stringify(manifest));
  await verifyBlob(kv, manifest.blobs.model);
  await verifyBlob(kv, manifest.blobs.catalog);
  const pointer: Pointer = { version: manifest.version, publishedAt: now.toISOString() };
  await kv.put(KvKeys.pointer, JSON.stringify(pointer));
  return pointer;
}

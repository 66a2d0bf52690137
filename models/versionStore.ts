/**
 * The KV layout of a published version, read and written in one place: blobs cut into chunks, joined
 * back, checked for size and sha256 against the manifest; the manifest and the pointer read as
 * validated JSON. Every reader (the worker at load, the publisher's read-back check, rollback and
 * retention) goes through here over an injected `get`, so none of them trusts a value it has not checked.
 */
import { KV_CHUNK_BYTES, KvKeys } from "./contract.js";
import { sha256Hex } from "./digest.js";
import { parseManifest, parsePointer, type BlobEntry, type Manifest, type Pointer } from "./manifest.js";

/** What a reader needs of a key-value store: a Workers KV binding (adapted), the trainer's KvStore, a Map. */
export interface ValueReader {
  /** The value's bytes, or null when the key is absent. */
  get(key: string): Promise<Uint8Array | null>;
}

/**
 * A stored value that cannot be used, with a code (/healthz shows it): missing_blob,
 * blob_size_mismatch, blob_checksum_mismatch, corrupt_json, invalid_pointer, invalid_manifest,
 * invalid_history; the worker's load adds missing_manifest and its decoders' invalid_catalog,
 * invalid_evidence, invalid_tables and invalid_model, and model_needs_retraining for a version trained
 * before graph contract v2 (no tables blob).
 */
export class StoredValueError extends Error {
  override name = "StoredValueError";
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** How many KV values a blob of this size is cut into (KV refuses values above 25 MiB). */
export function chunkCount(bytes: number): number {
  return Math.max(1, Math.ceil(bytes / KV_CHUNK_BYTES));
}

/** A blob's manifest entry: its key under the version, size, sha256 and chunk count. */
export async function blobEntry(version: string, name: string, bytes: Uint8Array<ArrayBuffer>): Promise<BlobEntry> {
  return {
    key: KvKeys.blob(version, name),
    bytes: bytes.length,
    sha256: await sha256Hex(bytes),
    chunks: chunkCount(bytes.length),
  };
}

/** The KV values a blob is stored as, in order: views into `bytes`, no copies. */
export function blobChunks(entry: BlobEntry, bytes: Uint8Array): [string, Uint8Array][] {
  return Array.from({ length: entry.chunks }, (_, i) => [
    KvKeys.chunk(entry.key, i),
    bytes.subarray(i * KV_CHUNK_BYTES, (i + 1) * KV_CHUNK_BYTES),
  ]);
}

/** The same bytes on a plain ArrayBuffer (Web Crypto and the decoders want one): a view when they are already. */
function onArrayBuffer(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return bytes.buffer instanceof ArrayBuffer
    ? new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    : new Uint8Array(bytes);
}

/** Throws unless `bytes` has the size and sha256 the manifest entry names; returns them for chaining. */
export async function checkBlob(entry: BlobEntry, bytes: Uint8Array<ArrayBuffer>): Promise<Uint8Array<ArrayBuffer>> {
  if (bytes.byteLength !== entry.bytes) {
    throw new StoredValueError(
      "blob_size_mismatch",
      `${entry.key} has ${bytes.byteLength} bytes, manifest says ${entry.bytes}`,
    );
  }
  if ((await sha256Hex(bytes)) !== entry.sha256) {
    throw new StoredValueError("blob_checksum_mismatch", `${entry.key} does not match its sha256`);
  }
  return bytes;
}

/** Reads a blob's chunks (all at once), joins them and checks size and sha256 before anything uses it. */
export async function readBlob(store: ValueReader, entry: BlobEntry): Promise<Uint8Array<ArrayBuffer>> {
  const parts = await Promise.all(
    Array.from({ length: entry.chunks }, (_, i) => store.get(KvKeys.chunk(entry.key, i))),
  );
  const missing = parts.findIndex((part) => part === null);
  if (missing >= 0) throw new StoredValueError("missing_blob", `${KvKeys.chunk(entry.key, missing)} is missing`);
  // One chunk is used as it came: a copy would double the blob's memory while the model loads.
  const only = parts.length === 1 ? parts[0] : undefined;
  if (only) return checkBlob(entry, onArrayBuffer(only));
  const bytes = new Uint8Array(entry.bytes);
  let at = 0;
  for (const part of parts) {
    if (part === null) continue; // ruled out above
    if (at + part.byteLength > entry.bytes) {
      throw new StoredValueError("blob_size_mismatch", `${entry.key} is larger than its manifest says`);
    }
    bytes.set(part, at);
    at += part.byteLength;
  }
  return checkBlob(entry, bytes.subarray(0, at));
}

/** JSON text parsed, or a corrupt_json error naming where it came from. */
export function parseJsonText(text: string, where: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new StoredValueError("corrupt_json", `${where} is not valid JSON`);
  }
}

/** A JSON value from the store, or null when the key is absent. */
export async function readJson(store: ValueReader, key: string): Promise<unknown> {
  const bytes = await store.get(key);
  return bytes === null ? null : parseJsonText(new TextDecoder().decode(bytes), key);
}

/** `build`'s result, or its error as a StoredValueError with `code` (a value that does not decode). */
export function validated<T>(code: string, build: () => T): T {
  try {
    return build();
  } catch (error) {
    throw new StoredValueError(code, error instanceof Error ? error.message : String(error));
  }
}

/** The published pointer, or null when nothing was ever published. */
export async function readPointer(store: ValueReader): Promise<Pointer | null> {
  const value = await readJson(store, KvKeys.pointer);
  return value === null ? null : validated("invalid_pointer", () => parsePointer(value));
}

/** A manifest's text (from KV or a version folder) validated, and checked to name `version` when given. */
export function manifestFromText(text: string, where: string, version?: string): Manifest {
  const value = parseJsonText(text, where);
  const manifest = validated("invalid_manifest", () => parseManifest(value));
  if (version !== undefined && manifest.version !== version) {
    throw new StoredValueError("invalid_manifest", `manifest under ${version} names version ${manifest.version}`);
  }
  return manifest;
}

/** One version's manifest, validated, or null when the version has none in the store. */
export async function readManifest(store: ValueReader, version: string): Promise<Manifest | null> {
  const key = KvKeys.manifest(version);
  const bytes = await store.get(key);
  return bytes === null ? null : manifestFromText(new TextDecoder().decode(bytes), key, version);
}

import { Catalog } from "../../models/catalog.js";
import { Evidence } from "../../models/evidence.js";
import { LadderIndex } from "../../models/rules/ladder.js";
import { KvKeys } from "../../models/contract.js";
import { sha256Hex } from "../../models/digest.js";
import { parseManifest, parsePointer, type BlobEntry, type Manifest, type Pointer } from "../../models/manifest.js";
import { ortStartMs } from "../ort/ortRuntime.js";
import { Scorer } from "./scorer.js";

export interface LoadedModel {
  manifest: Manifest;
  catalog: Catalog;
  evidence: Evidence;
  ladders: LadderIndex;
  scorer: Scorer;
  loadedAt: string;
  /** Where the load's time went, in ms (cold start, step by step). */
  timings: LoadTimings;
}

export interface LoadTimings {
  manifest: number;
  /** KV reads of every blob chunk, with size and sha256 checks. */
  blobs: number;
  /** Catalog, evidence and ladder decoding. */
  decode: number;
  /** Instantiating ORT's wasm: only the isolate's first model pays it. */
  ortStart: number;
  /** ORT session creation (graph parse, optimisation, initializer folding). */
  session: number;
  total: number;
}

/** A model version that cannot be served, with a code for /healthz. */
export class ModelLoadError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

async function readJson(kv: KVNamespace, key: string): Promise<unknown> {
  const text = await kv.get(key, "text");
  if (text === null) return null;
  try {
    return JSON.parse(text);
  } catch {
    throw new ModelLoadError("corrupt_json", `${key} is not valid JSON`);
  }
}

/** The published pointer, or null when nothing was ever published. */
export async function readPointer(kv: KVNamespace): Promise<Pointer | null> {
  const value = await readJson(kv, KvKeys.pointer);
  if (value === null) return null;
  try {
    return parsePointer(value);
  } catch (error) {
    throw new ModelLoadError("invalid_pointer", error instanceof Error ? error.message : String(error));
  }
}

/** Reads a blob's chunks and checks size and sha256 against the manifest before anything uses it. */
async function readBlob(kv: KVNamespace, entry: BlobEntry): Promise<Uint8Array<ArrayBuffer>> {
  const parts = await Promise.all(
    Array.from({ length: entry.chunks }, (_, i) => kv.get(KvKeys.chunk(entry.key, i), "arrayBuffer")),
  );
  // One chunk is used as it came: a copy would double the blob's memory while the model loads.
  const only = parts.length === 1 ? parts[0] : undefined;
  if (only !== undefined) return checked(entry, only === null ? null : new Uint8Array(only));
  const bytes = new Uint8Array(entry.bytes);
  let at = 0;
  for (const [i, part] of parts.entries()) {
    if (part === null) throw new ModelLoadError("missing_blob", `${KvKeys.chunk(entry.key, i)} is missing`);
    if (at + part.byteLength > entry.bytes)
      throw new ModelLoadError("blob_size_mismatch", `${entry.key} is larger than its manifest says`);
    bytes.set(new Uint8Array(part), at);
    at += part.byteLength;
  }
  return checked(entry, bytes.subarray(0, at));
}

async function checked(entry: BlobEntry, bytes: Uint8Array<ArrayBuffer> | null): Promise<Uint8Array<ArrayBuffer>> {
  if (bytes === null) throw new ModelLoadError("missing_blob", `${KvKeys.chunk(entry.key, 0)} is missing`);
  if (bytes.byteLength !== entry.bytes)
    throw new ModelLoadError(
      "blob_size_mismatch",
      `${entry.key} has ${bytes.byteLength} bytes, manifest says ${entry.bytes}`,
    );
  if ((await sha256Hex(bytes)) !== entry.sha256) {
    throw new ModelLoadError("blob_checksum_mismatch", `${entry.key} does not match its sha256`);
  }
  return bytes;
}

/** Loads and validates one version completely; any failure leaves nothing half-built. */
export async function readModel(kv: KVNamespace, version: string): Promise<LoadedModel> {
  const started = performance.now();
  const raw = await readJson(kv, KvKeys.manifest(version));
  if (raw === null) throw new ModelLoadError("missing_manifest", `no manifest for version ${version}`);
  let manifest: Manifest;
  try {
    manifest = parseManifest(raw);
  } catch (error) {
    throw new ModelLoadError("invalid_manifest", error instanceof Error ? error.message : String(error));
  }
  if (manifest.version !== version) {
    throw new ModelLoadError("invalid_manifest", `manifest under ${version} names version ${manifest.version}`);
  }
  const manifestDone = performance.now();
  const { modelData } = manifest.blobs;
  const [modelBytes, modelDataBytes, catalogBytes, evidenceBytes] = await Promise.all([
    readBlob(kv, manifest.blobs.model),
    modelData ? readBlob(kv, modelData) : null,
    readBlob(kv, manifest.blobs.catalog),
    readBlob(kv, manifest.blobs.evidence),
  ]);
  const blobsDone = performance.now();
  const parse = <T>(code: string, build: () => T): T => {
    try {
      return build();
    } catch (error) {
      throw new ModelLoadError(code, error instanceof Error ? error.message : String(error));
    }
  };
  const catalog = parse("invalid_catalog", () => new Catalog(catalogBytes));
  if (catalog.size !== manifest.model.itemCount) {
    throw new ModelLoadError(
      "invalid_catalog",
      `catalog has ${catalog.size} items, manifest says ${manifest.model.itemCount}`,
    );
  }
  const evidence = parse("invalid_evidence", () => new Evidence(evidenceBytes, catalog.size));
  const ladders = new LadderIndex(catalog);
  const decodeDone = performance.now();
  // The session last: its wasm memory is not reclaimed if a later step fails.
  const ortBefore = ortStartMs();
  let scorer: Scorer;
  try {
    scorer = await Scorer.create(modelBytes, modelDataBytes);
  } catch (error) {
    throw new ModelLoadError("invalid_model", error instanceof Error ? error.message : String(error));
  }
  const done = performance.now();
  const ortStart = ortBefore === null ? (ortStartMs() ?? 0) : 0;
  const round = (ms: number) => Math.round(ms * 10) / 10;
  const timings: LoadTimings = {
    manifest: round(manifestDone - started),
    blobs: round(blobsDone - manifestDone),
    decode: round(decodeDone - blobsDone),
    ortStart: round(ortStart),
    session: round(done - decodeDone - ortStart),
    total: round(done - started),
  };
  return { manifest, catalog, evidence, ladders, scorer, loadedAt: new Date().toISOString(), timings };
}

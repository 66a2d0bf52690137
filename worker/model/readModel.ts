import { Catalog } from "../../models/catalog.js";
import { Evidence } from "../../models/evidence.js";
import { LadderIndex } from "../../models/rules/ladder.js";
import { BlobName } from "../../models/contract.js";
import type { Manifest, Pointer } from "../../models/manifest.js";
import { decodeTables, tablesBytes } from "../../models/tablesBlob.js";
import {
  readBlob,
  readManifest,
  readPointer as readStoredPointer,
  StoredValueError,
  validated,
  type ValueReader,
} from "../../models/versionStore.js";
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
  /** Catalog, evidence, tables and ladder decoding. */
  decode: number;
  /** Instantiating ORT's wasm: only the isolate's first model pays it. */
  ortStart: number;
  /** ORT session creation (graph parse, optimisation, initializer folding). */
  session: number;
  total: number;
}

/** The worker's KV binding as the blob format's reader: values as bytes (viewed, not copied). */
export function kvReader(kv: KVNamespace): ValueReader {
  return {
    async get(key) {
      const bytes = await kv.get(key, "arrayBuffer");
      return bytes === null ? null : new Uint8Array(bytes);
    },
  };
}

/**
 * What a loaded model holds in this isolate's JS memory: its catalog, evidence, scoring tables and
 * ladder index (ORT's wasm memory, shared by every session, is counted once by the caller).
 */
export function heldBytes(model: LoadedModel): number {
  return (
    model.catalog.heldBytes + model.evidence.heldBytes + tablesBytes(model.scorer.tables) + model.ladders.heldBytes
  );
}

/** The published pointer, or null when nothing was ever published. */
export function readPointer(kv: KVNamespace): Promise<Pointer | null> {
  return readStoredPointer(kvReader(kv));
}

/** Loads and validates one version completely; any failure leaves nothing half-built. */
export async function readModel(kv: KVNamespace, version: string): Promise<LoadedModel> {
  const started = performance.now();
  const store = kvReader(kv);
  const manifest = await readManifest(store, version);
  if (manifest === null) throw new StoredValueError("missing_manifest", `no manifest for version ${version}`);
  const manifestDone = performance.now();
  const { tables: tablesEntry } = manifest.blobs;
  if (tablesEntry === undefined) {
    // Trained before graph contract v2: its graph takes catalog indices and holds the tables itself.
    throw new StoredValueError(
      "model_needs_retraining",
      `version ${version} has no ${BlobName.tables} (its graph predates contract v2); train and publish it again`,
    );
  }
  const [modelBytes, tablesBytes, catalogBytes, evidenceBytes] = await Promise.all([
    readBlob(store, manifest.blobs.model),
    readBlob(store, tablesEntry),
    readBlob(store, manifest.blobs.catalog),
    readBlob(store, manifest.blobs.evidence),
  ]);
  const blobsDone = performance.now();
  const catalog = validated("invalid_catalog", () => new Catalog(catalogBytes));
  if (catalog.size !== manifest.model.itemCount) {
    throw new StoredValueError(
      "invalid_catalog",
      `catalog has ${catalog.size} items, manifest says ${manifest.model.itemCount}`,
    );
  }
  const evidence = validated("invalid_evidence", () => new Evidence(evidenceBytes, catalog.size));
  const tables = validated("invalid_tables", () => decodeTables(tablesBytes));
  const { itemCount, neighbours, dimension } = manifest.model;
  if (tables.itemCount !== itemCount || tables.neighbours !== neighbours || tables.dimension !== dimension) {
    throw new StoredValueError(
      "invalid_tables",
      `tables are ${tables.itemCount}×${tables.neighbours} (d ${tables.dimension}), manifest says ${itemCount}×${neighbours} (d ${dimension})`,
    );
  }
  const ladders = new LadderIndex(catalog);
  const decodeDone = performance.now();
  // The session last: its wasm memory is not reclaimed if a later step fails.
  const ortBefore = ortStartMs();
  let scorer: Scorer;
  try {
    scorer = await Scorer.create(modelBytes, tables);
  } catch (error) {
    throw new StoredValueError("invalid_model", error instanceof Error ? error.message : String(error));
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

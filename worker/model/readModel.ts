import { decodeHead } from "../../models/paging/headBlob.js";
import { PagedCatalog, PagedResident } from "../../models/paging/pagedViews.js";
import { LadderIndex } from "../../models/rules/ladder.js";
import { BlobName } from "../../models/contract.js";
import type { Manifest, Pointer } from "../../models/manifest.js";
import {
  readBlob,
  readManifest,
  readPointer as readStoredPointer,
  StoredValueError,
  validated,
  type ValueReader,
} from "../../models/versionStore.js";
import { ortStartMs } from "../ort/ortRuntime.js";
import type { PageCache } from "./pageCache.js";
import type { PagedParts } from "./pageSession.js";
import { PageStore, type DecodedPage } from "./pageStore.js";
import { Scorer } from "./scorer.js";

/** A loaded version: its resident part (head, ladders) and its pages, read on demand, and its graph. */
export interface LoadedModel extends PagedParts {
  manifest: Manifest;
  scorer: Scorer;
  loadedAt: string;
  /** Where the load's time went, in ms (cold start, step by step). */
  timings: LoadTimings;
}

export interface LoadTimings {
  manifest: number;
  /** KV reads of the graph and the head (every chunk), with size and sha256 checks. */
  blobs: number;
  /** Decoding and checking the head. */
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
 * What a loaded model holds in this isolate's JS memory apart from its pages (the page cache is
 * shared by every version and counted once by the caller, as is ORT's wasm memory).
 */
export function heldBytes(model: LoadedModel): number {
  return model.resident.heldBytes;
}

/** The published pointer, or null when nothing was ever published. */
export function readPointer(kv: KVNamespace): Promise<Pointer | null> {
  return readStoredPointer(kvReader(kv));
}

/**
 * Loads one version's resident part: manifest, graph and head, each checked before use; the pages
 * come later, as requests need them. Any failure leaves nothing half-built.
 */
export async function readModel(kv: KVNamespace, version: string, cache: PageCache<DecodedPage>): Promise<LoadedModel> {
  const started = performance.now();
  const store = kvReader(kv);
  const manifest = await readManifest(store, version);
  if (manifest === null) throw new StoredValueError("missing_manifest", `no manifest for version ${version}`);
  const manifestDone = performance.now();
  const { head: headEntry, pages: pagesEntry } = manifest.blobs;
  if (headEntry === undefined || pagesEntry === undefined) {
    // Trained before paging (or before graph contract v2): nothing here the worker can serve from.
    throw new StoredValueError(
      "model_needs_retraining",
      `version ${version} has no ${BlobName.head} (trained before paged models); train and publish it again`,
    );
  }
  const [modelBytes, headBytes] = await Promise.all([
    readBlob(store, manifest.blobs.model),
    readBlob(store, headEntry),
  ]);
  const blobsDone = performance.now();
  const head = validated("invalid_head", () => decodeHead(headBytes));
  const { itemCount, neighbours, dimension } = manifest.model;
  if (
    head.version !== version ||
    head.itemCount !== itemCount ||
    head.neighbours !== neighbours ||
    head.dimension !== dimension ||
    head.itemPages + head.skuPages !== pagesEntry.pages
  ) {
    throw new StoredValueError(
      "invalid_head",
      `head of ${head.version} is ${head.itemCount}×${head.neighbours} (d ${head.dimension}) in ${head.itemPages + head.skuPages} pages, manifest says ${version} ${itemCount}×${neighbours} (d ${dimension}) in ${pagesEntry.pages}`,
    );
  }
  const resident = new PagedResident(head);
  const ladders = new LadderIndex(new PagedCatalog(resident, { head, itemPage: () => null }), head.ladders);
  const decodeDone = performance.now();
  // The session last: its wasm memory is not reclaimed if a later step fails.
  const ortBefore = ortStartMs();
  let scorer: Scorer;
  try {
    scorer = await Scorer.create(modelBytes);
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
  const pages = new PageStore(kv, head, cache);
  return { manifest, head, resident, ladders, pages, scorer, loadedAt: new Date().toISOString(), timings };
}

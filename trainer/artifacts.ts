import { mkdir, open, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Catalog, encodeCatalog } from "../models/catalog.js";
import { encodeEvidence, Evidence } from "../models/evidence.js";
import { BlobName, KvKeys, MANIFEST_SCHEMA_VERSION, ONNX_OPSET } from "../models/contract.js";
import { buildPages } from "../models/paging/buildPages.js";
import { parseManifest, type BlobEntry, type Manifest } from "../models/manifest.js";
import { blobEntry, checkBlob, manifestFromText } from "../models/versionStore.js";
import { decodeTables, encodeTables } from "../models/tablesBlob.js";
import { buildScoringModel } from "./onnx/scoringGraph.js";
import type { TrainedModel } from "./train.js";
import { UserError } from "./errors.js";

export interface Artifacts {
  dir: string;
  manifest: Manifest;
  /**
   * Every blob the manifest lists, by name (modelData only in versions trained before contract v2),
   * except pages.bin: hundreds of MB at a million items, read from the folder when published (readPages).
   */
  blobs: Partial<Record<BlobName, Uint8Array<ArrayBuffer>>>;
}

/** The manifest's blob entries with their file names (pages.bin aside: it is checked page by page against the head). */
export function manifestBlobs(manifest: Manifest): [BlobName, BlobEntry][] {
  const { model, tables, modelData, catalog, evidence, head } = manifest.blobs;
  const optional = (name: BlobName, entry: BlobEntry | undefined): [BlobName, BlobEntry][] =>
    entry ? [[name, entry]] : [];
  return [
    [BlobName.model, model],
    ...optional(BlobName.tables, tables),
    ...optional(BlobName.modelData, modelData),
    [BlobName.catalog, catalog],
    [BlobName.evidence, evidence],
    ...optional(BlobName.head, head),
  ];
}

/**
 * The blobs the worker reads, in publishing order: the graph and the head (the pages go beside them).
 * The catalog, evidence and tables stay in the version folder for the eval and the CLI.
 */
export function servedBlobs(manifest: Manifest): [BlobName, BlobEntry][] {
  const { model, head } = manifest.blobs;
  return head === undefined
    ? []
    : [
        [BlobName.model, model],
        [BlobName.head, head],
      ];
}

/** A version folder's pages.bin, checked for its size (each page's sha256 is checked as it is cut, against the head). */
export async function readPages(artifacts: Artifacts): Promise<Uint8Array<ArrayBuffer>> {
  const entry = artifacts.manifest.blobs.pages;
  const path = join(artifacts.dir, BlobName.pages);
  if (entry === undefined)
    throw new UserError(`${artifacts.dir}: trained before paged models (no ${BlobName.pages}); train it again`);
  const bytes = new Uint8Array(
    await readFile(path).catch(() => {
      throw new UserError(`${path}: missing`);
    }),
  );
  if (bytes.byteLength !== entry.bytes)
    throw new UserError(
      `${path}: ${bytes.byteLength} bytes, its manifest says ${entry.bytes}; retrain or pick another version`,
    );
  return bytes;
}

function newVersion(now: Date, fingerprint: string): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d+Z$/, "Z");
  return `${stamp}-${fingerprint.slice(0, 8)}`;
}

/**
 * Writes model, catalog and manifest into outRoot/<version>/. Files go to a temporary folder that is
 * renamed into place only when complete, so a crash never leaves a half-written version behind.
 */
export async function writeArtifacts(
  trained: TrainedModel,
  outRoot: string,
  now = new Date(),
  metrics?: Record<string, number>,
): Promise<Artifacts> {
  const version = newVersion(now, trained.dataFingerprint);
  const model = buildScoringModel(trained.tables, { version, trainingWindow: trained.window });
  const tables = encodeTables(trained.tables);
  const catalog = encodeCatalog(trained.catalog);
  const evidence = encodeEvidence(trained.evidence);
  const n = trained.tables.itemCount;
  const dir = join(outRoot, version);
  const partial = `${dir}.partial`;
  await rm(partial, { recursive: true, force: true });
  await mkdir(partial, { recursive: true });
  // The pages are built from the blobs as the worker would decode them, straight into the file.
  const pagesFile = await open(join(partial, BlobName.pages), "w");
  const paged = await buildPages(
    { version, catalog: new Catalog(catalog), evidence: new Evidence(evidence, n), tables: decodeTables(tables) },
    async (page) => void (await pagesFile.write(page)),
  ).finally(() => pagesFile.close());
  const blobs = {
    [BlobName.model]: model,
    [BlobName.tables]: tables,
    [BlobName.catalog]: catalog,
    [BlobName.evidence]: evidence,
    [BlobName.head]: paged.head,
  };
  const manifest = parseManifest({
    schemaVersion: MANIFEST_SCHEMA_VERSION,
    version,
    createdAt: now.toISOString(),
    trainingWindow: trained.window,
    dataFingerprint: trained.dataFingerprint,
    model: {
      itemCount: n,
      dimension: trained.tables.dimension,
      neighbours: trained.tables.neighbours,
      opset: ONNX_OPSET,
      // What the worker's KV holds per item: the graph, the head and the pages.
      bytesPerItem: Math.round(((model.length + paged.head.length + paged.pageBytes) / Math.max(n, 1)) * 10) / 10,
      learner: trained.learner,
    },
    blobs: {
      model: await blobEntry(version, BlobName.model, model),
      tables: await blobEntry(version, BlobName.tables, tables),
      catalog: await blobEntry(version, BlobName.catalog, catalog),
      evidence: await blobEntry(version, BlobName.evidence, evidence),
      head: await blobEntry(version, BlobName.head, paged.head),
      pages: { key: KvKeys.pagesPrefix(version), bytes: paged.pageBytes, pages: paged.pages },
    },
    stats: trained.stats,
    ...(metrics ? { metrics } : {}),
  });
  for (const [name, bytes] of Object.entries(blobs)) await writeFile(join(partial, name), bytes);
  await writeFile(join(partial, "manifest.json"), `${JSON.stringify(manifest, null, 2)}\n`);
  await rename(partial, dir);
  return { dir, manifest, blobs };
}

/**
 * A version folder's manifest, validated; a UserError when there is none or it is not one sidecart
 * wrote (callers that only look, like versionFolders, skip the folder instead).
 */
export async function readManifestFile(dir: string): Promise<Manifest> {
  const manifestPath = join(dir, "manifest.json");
  const text = await readFile(manifestPath, "utf8").catch(() => {
    throw new UserError(`${manifestPath}: no manifest here (is --from a trained model folder?)`);
  });
  try {
    return manifestFromText(text, "the file");
  } catch (error) {
    throw new UserError(`${manifestPath}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** Reads a version folder back, checking every blob against the manifest's size and sha256. */
export async function readArtifacts(dir: string): Promise<Artifacts> {
  const manifest = await readManifestFile(dir);
  if (manifest.blobs.tables === undefined) {
    // The worker would refuse it (model_needs_retraining): its graph takes catalog indices, not rows.
    throw new UserError(`${dir}: trained before graph contract v2 (no ${BlobName.tables}); train it again`);
  }
  if (manifest.blobs.head === undefined || manifest.blobs.pages === undefined) {
    // The worker would refuse it too: it serves from a head and pages only.
    throw new UserError(`${dir}: trained before paged models (no ${BlobName.head}); train it again`);
  }
  const load = async (name: BlobName, expected: BlobEntry): Promise<Uint8Array<ArrayBuffer>> => {
    const path = join(dir, name);
    const bytes = new Uint8Array(
      await readFile(path).catch(() => {
        throw new UserError(`${path}: missing`);
      }),
    );
    return checkBlob(expected, bytes).catch(() => {
      throw new UserError(`${path}: does not match its manifest (size or sha256); retrain or pick another version`);
    });
  };
  const blobs: Artifacts["blobs"] = {};
  for (const [name, entry] of manifestBlobs(manifest)) blobs[name] = await load(name, entry);
  return { dir, manifest, blobs };
}

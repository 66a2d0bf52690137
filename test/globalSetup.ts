import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { BlobName } from "../models/contract.js";
import { writeArtifacts } from "../trainer/artifacts.js";
import { createReporter } from "../trainer/progress.js";
import { versionEntries } from "../trainer/publish/publishVersion.js";
import { train, TRAIN_DEFAULTS, type TrainOptions } from "../trainer/train.js";
import { journeyCatalog, journeyOrders, sampleCatalog, sampleOrders } from "./fixtures.js";
import type { SeedModel } from "./seedModel.js";

const base64 = (bytes: ArrayBufferView) =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");

async function seed(root: string, options: Partial<TrainOptions> & Pick<TrainOptions, "catalog">): Promise<SeedModel> {
  const trained = await train({
    ...TRAIN_DEFAULTS,
    orders: null,
    reporter: createReporter({ quiet: true }),
    ...options,
  });
  const artifacts = await writeArtifacts(trained, root);
  const { tables } = trained;
  return {
    dir: artifacts.dir,
    version: artifacts.manifest.version,
    entries: (await versionEntries(artifacts)).map(([key, value]) => [
      key,
      base64(typeof value === "string" ? new TextEncoder().encode(value) : value),
    ]),
    wholeBlobs: {
      catalog: base64(artifacts.blobs[BlobName.catalog] ?? new Uint8Array(0)),
      evidence: base64(artifacts.blobs[BlobName.evidence] ?? new Uint8Array(0)),
    },
    tables: {
      itemCount: tables.itemCount,
      neighbours: tables.neighbours,
      dimension: tables.dimension,
      embeddingWeight: tables.embeddingWeight,
      neighbourItems: base64(tables.neighbourItems),
      neighbourWeights: base64(tables.neighbourWeights),
      neighbourScales: base64(tables.neighbourScales),
      confidenceWeights: base64(tables.confidenceWeights),
      confidenceScales: base64(tables.confidenceScales),
      confidenceBlend: tables.confidenceBlend,
      blendPower: tables.blendPower,
      embeddings: base64(tables.embeddings),
      embeddingScales: base64(tables.embeddingScales),
    },
  };
}

/** Trains once per run; every project gets the folders, KV entries and tables. */
export async function setup(project: TestProject) {
  const root = await mkdtemp(join(tmpdir(), "sidecart-test-"));
  project.provide("seedModel", await seed(root, { orders: sampleOrders, catalog: sampleCatalog, currency: "GBP" }));
  project.provide(
    "journeyModel",
    await seed(root, {
      orders: journeyOrders,
      catalog: journeyCatalog,
      currency: "USD",
    }),
  );
  return async () => {
    await rm(root, { recursive: true, force: true });
  };
}

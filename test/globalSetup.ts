import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { KV_CHUNK_BYTES, KvKeys } from "../models/contract.js";
import { writeArtifacts } from "../trainer/artifacts.js";
import { createReporter } from "../trainer/progress.js";
import { train } from "../trainer/train.js";
import { sampleCatalog, sampleOrders } from "./fixtures.js";
import "./seedModel.js";

export async function setup(project: TestProject) {
  const root = await mkdtemp(join(tmpdir(), "sidecart-test-"));
  const trained = await train({
    orders: sampleOrders,
    catalog: sampleCatalog,
    currency: "GBP",
    dimension: 32,
    neighbours: 32,
    minSupport: 5,
    maxBasket: 100,
    addonSlots: 16,
    addonPriceRatio: 0.5,
    embeddingWeight: 0.05,
    maxRejectRate: 0.01,
    seed: 1,
    reporter: createReporter({ quiet: true }),
  });
  const artifacts = await writeArtifacts(trained, root);
  const { manifest, blobs } = artifacts;
  const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString("base64");
  const chunks = (key: string, bytes: Uint8Array): [string, string][] =>
    Array.from({ length: Math.max(1, Math.ceil(bytes.length / KV_CHUNK_BYTES)) }, (_, i) => [
      KvKeys.chunk(key, i),
      base64(bytes.subarray(i * KV_CHUNK_BYTES, (i + 1) * KV_CHUNK_BYTES)),
    ]);
  project.provide("seedModel", {
    dir: artifacts.dir,
    version: manifest.version,
    entries: [
      ...chunks(manifest.blobs.model.key, blobs.model),
      ...chunks(manifest.blobs.catalog.key, blobs.catalog),
      [KvKeys.manifest(manifest.version), base64(new TextEncoder().encode(JSON.stringify(manifest)))],
      [
        KvKeys.pointer,
        base64(
          new TextEncoder().encode(
            JSON.stringify({ version: manifest.version, publishedAt: new Date().toISOString() }),
          ),
        ),
      ],
    ],
  });
  return async () => {
    await rm(root, { recursive: true, force: true });
  };
}

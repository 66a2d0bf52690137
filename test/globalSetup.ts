import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { writeArtifacts } from "../trainer/artifacts.js";
import { createReporter } from "../trainer/progress.js";
import { versionEntries } from "../trainer/publish/publishVersion.js";
import { train, TRAIN_DEFAULTS } from "../trainer/train.js";
import { sampleCatalog, sampleOrders } from "./fixtures.js";
import "./seedModel.js";

/** Trains once on the bundled sample; every project gets the folder and the KV entries to seed. */
export async function setup(project: TestProject) {
  const root = await mkdtemp(join(tmpdir(), "sidecart-test-"));
  const trained = await train({
    ...TRAIN_DEFAULTS,
    orders: sampleOrders,
    catalog: sampleCatalog,
    currency: "GBP",
    reporter: createReporter({ quiet: true }),
  });
  const artifacts = await writeArtifacts(trained, root);
  project.provide("seedModel", {
    dir: artifacts.dir,
    version: artifacts.manifest.version,
    entries: versionEntries(artifacts).map(([key, value]) => [
      key,
      Buffer.from(typeof value === "string" ? new TextEncoder().encode(value) : value).toString("base64"),
    ]),
  });
  return async () => {
    await rm(root, { recursive: true, force: true });
  };
}

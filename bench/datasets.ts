import { execFile } from "node:child_process";
import { createReadStream, existsSync } from "node:fs";
import { readdir, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { promisify } from "node:util";
import { createGunzip } from "node:zlib";
import { BlobName } from "../models/contract.js";
import { localEnv } from "./benchWorker.js";
import { synthShop, writeSynth } from "./synth.js";

const run = promisify(execFile);

export interface Dataset {
  name: string;
  orders: string;
  catalog: string;
  currency: string;
  /** Items to generate with bench:synth when the files are missing. */
  synthItems?: number;
  /** Baskets to generate with them (default 5 per item). */
  synthBaskets?: number;
}

export const DATASETS: Dataset[] = [
  { name: "sample", orders: "data/orders.csv.gz", catalog: "data/catalog.csv.gz", currency: "GBP" },
  ...[50_000, 200_000, 1_000_000].map((items) => ({
    name: items >= 1_000_000 ? `${items / 1_000_000}M` : `${items / 1000}k`,
    orders: synthShop(items).orders,
    catalog: synthShop(items).catalog,
    currency: "USD",
    synthItems: items,
    // The million-item shop has the training check's 20 M order lines (issue 28: ≤ 180 s, ≤ 4 GiB).
    ...(items >= 1_000_000 ? { synthBaskets: 5_800_000 } : {}),
  })),
];

export interface PreparedModel {
  dir: string;
  items: number;
  /** Bytes in KV: graph, head and pages. */
  blobBytes: number;
  /** KV values a version's load reads (the graph's and the head's chunks). */
  headChunks: number;
}

/** Trains a dataset with the real CLI into `out/<version>/`; returns the new version folder. */
export async function trainDataset(dataset: Dataset, out: string): Promise<string> {
  const before = new Set(existsSync(out) ? await readdir(out) : []);
  await run(
    process.execPath,
    [
      "bin/sidecart.mjs",
      "train",
      "--orders",
      dataset.orders,
      "--catalog",
      dataset.catalog,
      "--currency",
      dataset.currency,
      "--out",
      out,
    ],
    { env: localEnv, maxBuffer: 1 << 24 },
  );
  const made = (await readdir(out)).filter((v) => !before.has(v)).sort();
  const version = made.at(-1);
  if (version === undefined) throw new Error(`${dataset.name}: training wrote no version into ${out}`);
  return join(out, version);
}

/** The dataset's trained model folder: the data generated if missing, trained once (cached under bench/out). */
export async function trainedModelDir(dataset: Dataset, log: (line: string) => void): Promise<string> {
  if (!existsSync(dataset.orders) && dataset.synthItems !== undefined) {
    log(`${dataset.name}: generating ${dataset.synthItems} items (bench:synth)`);
    await writeSynth({
      items: dataset.synthItems,
      baskets: dataset.synthBaskets ?? 5 * dataset.synthItems,
      seed: 42,
      out: join(dataset.orders, ".."),
    });
  }
  const modelsDir = join("bench", "out", `models-${dataset.name}`);
  // Only versions this release can publish: one cached before paged models has no head.
  const usable = async () =>
    existsSync(modelsDir)
      ? (await readdir(modelsDir)).filter((v) => existsSync(join(modelsDir, v, BlobName.head))).sort()
      : [];
  let versions = await usable();
  if (versions.length === 0) {
    log(`${dataset.name}: training`);
    await trainDataset(dataset, modelsDir);
    versions = await usable();
  }
  return join(modelsDir, versions[versions.length - 1] ?? "");
}

/** The dataset's trained model (trainedModelDir), published to a fresh store. */
export async function prepare(dataset: Dataset, persist: string, log: (line: string) => void): Promise<PreparedModel> {
  const dir = await trainedModelDir(dataset, log);
  await rm(persist, { recursive: true, force: true });
  await run(process.execPath, ["bin/sidecart.mjs", "publish", "--local", "--from", dir, "--persist-to", persist], {
    env: localEnv,
  });
  const manifest = JSON.parse(await readFile(join(dir, "manifest.json"), "utf8")) as {
    model: { itemCount: number };
    blobs: Record<"model" | "head" | "pages", { bytes: number; chunks?: number }>;
  };
  // What the worker's KV holds: the graph, the head and the pages (the rest stays in the folder).
  const { model, head, pages } = manifest.blobs;
  const blobBytes = model.bytes + head.bytes + pages.bytes;
  return { dir, items: manifest.model.itemCount, blobBytes, headChunks: (head.chunks ?? 1) + (model.chunks ?? 1) };
}

/** The most-ordered SKUs among the first lines of the orders file: the anchors shoppers look at. */
export async function popularSkus(orders: string, count: number, lines = 300_000): Promise<string[]> {
  const input = createInterface({ input: createReadStream(orders).pipe(createGunzip()) });
  const counts = new Map<string, number>();
  let column = -1;
  let seen = 0;
  for await (const line of input) {
    const cells = line.split(",");
    if (column < 0) {
      column = cells.indexOf("product_id");
      continue;
    }
    const sku = cells[column];
    if (sku !== undefined) counts.set(sku, (counts.get(sku) ?? 0) + 1);
    if (++seen >= lines) break;
  }
  input.close();
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([sku]) => sku);
}

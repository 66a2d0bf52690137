import { stat } from "node:fs/promises";
import { cpus, platform } from "node:os";
import { join } from "node:path";
import type { Manifest } from "../models/manifest.js";
import { buildWidget } from "./build.mjs";
import type { Figures } from "./readmeFigures.markers.js";

/** Models trained with the trainer's defaults on the two bundled data sets (as `npm start` does). */
export interface BundledModels {
  sample: Manifest;
  journey: Manifest;
}

const SAMPLE = ["data/orders.csv.gz", "data/catalog.csv.gz"];
const JOURNEY = ["data/completejourney/orders.csv.gz", "data/completejourney/catalog.csv.gz"];

const count = (n: number) => n.toLocaleString("en-GB");
const stat0 = (manifest: Manifest, name: string) => manifest.stats[name] ?? Number.NaN;

async function megabytes(root: string, paths: readonly string[]): Promise<string> {
  let bytes = 0;
  for (const path of paths) bytes += (await stat(join(root, path))).size;
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

/**
 * The README's figures that are cheap to measure and the same on every machine: sizes and counts of
 * the bundled data, its model and the widget. Timings are benchmarks and are quoted with their run.
 */
export async function measureFigures(root: string, models: BundledModels): Promise<Figures> {
  const widget = await buildWidget({ quiet: true });
  const { sample, journey } = models;
  return {
    "widget-gzip": `${count(widget.gzip)} bytes`,
    "sample-bytes-per-item": sample.model.bytesPerItem.toFixed(1),
    "sample-items": count(sample.model.itemCount),
    "sample-data-size": await megabytes(root, SAMPLE),
    "sample-orders": count(stat0(sample, "orders")),
    "sample-lines": count(stat0(sample, "rowsRead")),
    "sample-sold": count(stat0(sample, "itemsSold")),
    "journey-data-size": await megabytes(root, JOURNEY),
    "journey-products": count(stat0(journey, "items")),
    "journey-lines": count(stat0(journey, "rowsRead")),
    "journey-lines-per-basket": (stat0(journey, "rowsAccepted") / stat0(journey, "orders")).toFixed(1),
  };
}

/** When and where: quoted beside the figures, never compared (it changes with every run). */
export function measuredOn(now = new Date()): string {
  const cpu = cpus();
  return `${now.toISOString().slice(0, 10)} on ${platform()} with ${cpu.length} cores (${cpu[0]?.model.trim() ?? "unknown CPU"}), Node ${process.version}`;
}

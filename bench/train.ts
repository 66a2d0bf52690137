/**
 * npm run bench:train — the nightly job at scale: 10,000,000 order lines over 200,000 products
 * (generated once, seeded, into bench/data/synth-200k-2900kb), trained and published to a fresh local KV
 * store by the real CLI, as two processes like the nightly job. Prints where the time goes, step by
 * step, and ends with one JSON line {lines, seconds, linesPerSecond, peakRssMiB, items, …}.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { localEnv } from "./benchWorker.js";
import { writeSynth } from "./synth.js";

const ITEMS = Number(process.env.BENCH_ITEMS ?? 200_000);
// 3.45 lines a basket on average with this generator: 2,900,000 baskets ≈ 10 million lines.
const BASKETS = Number(process.env.BENCH_BASKETS ?? 2_900_000);
const data = join("bench", "data", `synth-${ITEMS / 1000}k-${BASKETS / 1000}kb`);
const out = join("bench", "out", "train");
const persist = join(out, "kv");

const log = (line: string) => process.stderr.write(`${line}\n`);

interface Measured {
  seconds: number;
  peakRssMiB: number;
  events: Record<string, unknown>[];
  stdout: string;
}

/** Runs the CLI in a child process, collecting its JSON event lines, wall time and peak RSS. */
function measure(args: string[]): Promise<Measured> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, ["--import", "./bench/peakRss.mjs", "bin/sidecart.mjs", ...args], {
      env: localEnv,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("exit", (code) => {
      const seconds = (performance.now() - started) / 1000;
      const events = stderr
        .split("\n")
        .filter((line) => line.startsWith("{"))
        .map((line) => JSON.parse(line) as Record<string, unknown>);
      if (code !== 0) return reject(new Error(`sidecart ${args[0]} exited ${code}:\n${stderr.slice(-2000)}`));
      const rusage = events.find((e) => e.event === "rusage");
      resolve({ seconds, peakRssMiB: Number(rusage?.maxRssKiB ?? NaN) / 1024, events, stdout });
    });
  });
}

if (!existsSync(join(data, "orders.csv.gz"))) {
  const started = performance.now();
  log(`generating ${ITEMS} products, ${BASKETS} baskets into ${data} (kept for later runs)`);
  await writeSynth({ items: ITEMS, baskets: BASKETS, seed: 42, out: data });
  log(`  ${((performance.now() - started) / 1000).toFixed(1)} s`);
}
await rm(out, { recursive: true, force: true });

const orders = join(data, "orders.csv.gz");
const catalog = join(data, "catalog.csv.gz");
const trainRun = await measure([
  "train",
  "--orders",
  orders,
  "--catalog",
  catalog,
  "--currency",
  "USD",
  "--out",
  join(out, "models"),
  "--json",
]);
const manifest = JSON.parse(trainRun.stdout) as { version: string; model: { itemCount: number; learner?: string } };
const publishRun = await measure([
  "publish",
  "--local",
  "--from",
  join(out, "models", manifest.version),
  "--persist-to",
  persist,
  "--json",
]);

const steps: Record<string, number> = {};
for (const event of trainRun.events) {
  if (event.event === "step") {
    steps[String(event.step)] = Number(event.seconds);
    log(
      `  ${String(event.step).padEnd(24)} ${Number(event.seconds).toFixed(2).padStart(7)} s  ${String(event.summary)}`,
    );
  }
}
const accounted = Object.values(steps).reduce((a, b) => a + b, 0);
steps["other (start, catalog, export, write)"] = Math.round((trainRun.seconds - accounted) * 100) / 100;
steps.publish = Math.round(publishRun.seconds * 100) / 100;
log(
  `  train ${trainRun.seconds.toFixed(1)} s (peak RSS ${trainRun.peakRssMiB.toFixed(0)} MiB), publish ${publishRun.seconds.toFixed(1)} s (peak RSS ${publishRun.peakRssMiB.toFixed(0)} MiB)`,
);

const validation = trainRun.events.find((e) => e.event === "validation") as { rowsRead?: number } | undefined;
const lines = Number(validation?.rowsRead ?? NaN);
const seconds = trainRun.seconds + publishRun.seconds;
const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;
process.stdout.write(
  `${JSON.stringify({
    lines,
    seconds: round(seconds),
    linesPerSecond: Math.round(lines / seconds),
    peakRssMiB: round(Math.max(trainRun.peakRssMiB, publishRun.peakRssMiB)),
    items: manifest.model.itemCount,
    learner: manifest.model.learner ?? "unknown",
    trainSeconds: round(trainRun.seconds),
    publishSeconds: round(publishRun.seconds),
    steps,
  })}\n`,
);

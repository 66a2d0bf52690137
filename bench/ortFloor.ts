/**
 * npm run bench:ort-floor: what ORT's run costs a request in workerd, on the 50k shop. Three workers of
 * the same bundle, driven in turn, round by round: one scoring with the published graph, one whose
 * graph run is replaced by a run of a one-node graph, one with no ORT run at all
 * (worker/recommend/benchScorer.ts; everything around the run is the real work). Each worker's
 * also-bought and 10-item cart throughput is a ratio to its own /bench/static in the same round, as in
 * `npm run bench:serve`; the per-request CPU each step adds follows from the request rates (workerd's
 * one JS thread is the bottleneck). Ends with one JSON line.
 */
import { join } from "node:path";
import { buildBundle, startWorker, type RunningWorker } from "./benchWorker.js";
import { DATASETS, popularSkus, prepare } from "./datasets.js";
import { drive, type LoadTarget } from "./load.js";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 4);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = 4;
const MODES = ["graph", "one-node", "none"] as const;
type Mode = (typeof MODES)[number];

const log = (line: string) => process.stderr.write(`${line}\n`);
const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const round = (x: number, digits = 3) => Math.round(x * 10 ** digits) / 10 ** digits;

const dataset = DATASETS.find((d) => d.name === "50k");
if (dataset === undefined) throw new Error("no 50k dataset");
const persist = join("bench", "out", "kv-50k");
await prepare(dataset, persist, log);
const bundle = await buildBundle(join("bench", "out", "bundle"));
const skus = await popularSkus(dataset.orders, 2000);
const carts = Array.from({ length: 500 }, (_, c) =>
  JSON.stringify({ items: Array.from({ length: 10 }, (_, i) => ({ sku: skus[(c * 7 + i * 13) % skus.length] })) }),
);
let anchor = 0;
let cart = 0;
const targets: LoadTarget[] = [
  { name: "static", next: () => ({ path: "/bench/static" }) },
  {
    name: "alsoBought",
    next: () => ({ path: `/v1/items/${encodeURIComponent(skus[anchor++ % skus.length] ?? "")}/also-bought` }),
  },
  { name: "cart", method: "POST", next: () => ({ path: "/v1/cart/suggestions", body: carts[cart++ % carts.length] }) },
];

const workers = new Map<Mode, RunningWorker>();
for (const mode of MODES) workers.set(mode, await startWorker(bundle, persist, { vars: { BENCH_SCORER: mode } }));
/** Requests per second by mode and target, round by round. */
const rates = new Map<string, number[]>();
try {
  for (const [, worker] of workers) for (const target of targets) await drive(worker.url, target, 1, CONNECTIONS);
  for (let r = 0; r < ROUNDS; r++) {
    for (const [mode, worker] of workers) {
      for (const target of targets) {
        const result = await drive(worker.url, target, SECONDS, CONNECTIONS);
        if (result.errors + result.non2xx > 0)
          throw new Error(`${mode} ${target.name}: ${result.non2xx} non-2xx, ${result.errors} errors`);
        const key = `${mode} ${target.name}`;
        rates.set(key, [...(rates.get(key) ?? []), result.requestsPerSecond]);
      }
    }
    log(`round ${r + 1} of ${ROUNDS}`);
  }
} finally {
  for (const worker of workers.values()) await worker.stop();
}

const figures: Record<string, number> = {};
for (const mode of MODES) {
  const statics = rates.get(`${mode} static`) ?? [];
  for (const target of ["alsoBought", "cart"]) {
    const runs = rates.get(`${mode} ${target}`) ?? [];
    const ratio = median(runs.map((rps, r) => rps / (statics[r] ?? NaN)));
    // µs of the JS thread a request takes: static's own µs ÷ the ratio (the thread is saturated in both).
    const micros = 1e6 / median(statics) / ratio;
    figures[`${target}Ratio_${mode}`] = round(ratio);
    figures[`${target}Us_${mode}`] = Math.round(micros);
    log(`${mode.padEnd(8)} ${target.padEnd(10)} ratio ${round(ratio)}, ~${Math.round(micros)} µs a request`);
  }
  figures[`staticRps_${mode}`] = Math.round(median(statics));
}
for (const target of ["alsoBought", "cart"]) {
  // What the scoring graph's run costs a request, and how much of it any ORT run costs.
  figures[`${target}OrtRunUs`] = (figures[`${target}Us_graph`] ?? NaN) - (figures[`${target}Us_none`] ?? NaN);
  figures[`${target}OneNodeRunUs`] = (figures[`${target}Us_one-node`] ?? NaN) - (figures[`${target}Us_none`] ?? NaN);
}
process.stdout.write(`${JSON.stringify(figures)}\n`);

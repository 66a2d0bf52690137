/**
 * npm run bench:ort-runs: whether ORT's fixed cost in workerd is a run's or a request's. One worker
 * (the 50k shop's, as bench:ort-floor) is driven on /bench/ort-runs?runs=n, the static answer after n
 * runs of a one-node ONNX graph one after the other in the same request, for n = 0, 1, 2, 10 and 50,
 * round by round (4 connections, BENCH_SECONDS a target). The JS thread is saturated, so µs a request
 * is 1e6 ÷ requests per second: a request's first run costs t(1) − t(0), each run after it
 * (t(50) − t(1)) ÷ 49. BENCH_V8_FLAGS runs workerd with those V8 flags (as bench:cold). Ends with
 * one JSON line.
 */
import { join } from "node:path";
import { buildBundle, startWorker, useV8Flags } from "./benchWorker.js";
import { DATASETS, prepare } from "./datasets.js";
import { drive } from "./load.js";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = 4;
const RUNS = [0, 1, 2, 10, 50] as const;

const log = (line: string) => process.stderr.write(`${line}\n`);
const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

const v8Flags = process.env.BENCH_V8_FLAGS;
useV8Flags(v8Flags);
const dataset = DATASETS.find((d) => d.name === "50k");
if (dataset === undefined) throw new Error("no 50k dataset");
const persist = join("bench", "out", "kv-50k");
await prepare(dataset, persist, log);
const bundle = await buildBundle(join("bench", "out", "bundle"));
const worker = await startWorker(bundle, persist);
const micros = new Map<number, number[]>();
try {
  for (const runs of RUNS)
    await drive(
      worker.url,
      { name: `warm ${runs}`, next: () => ({ path: `/bench/ort-runs?runs=${runs}` }) },
      1,
      CONNECTIONS,
    );
  for (let r = 0; r < ROUNDS; r++) {
    for (const runs of RUNS) {
      const result = await drive(
        worker.url,
        { name: `runs ${runs}`, next: () => ({ path: `/bench/ort-runs?runs=${runs}` }) },
        SECONDS,
        CONNECTIONS,
      );
      if (result.errors + result.non2xx > 0)
        throw new Error(`runs=${runs}: ${result.non2xx} non-2xx, ${result.errors} errors`);
      micros.set(runs, [...(micros.get(runs) ?? []), 1e6 / result.requestsPerSecond]);
    }
    log(
      `round ${r + 1} of ${ROUNDS}: ${RUNS.map((n) => `${n} runs ${Math.round(micros.get(n)?.[r] ?? NaN)} µs`).join(", ")}`,
    );
  }
} finally {
  await worker.stop();
}
const at = (runs: number) => median(micros.get(runs) ?? []);
const figures: Record<string, number | string | null> = { v8Flags: v8Flags ?? null };
for (const runs of RUNS) figures[`requestUs_${runs}Runs`] = Math.round(at(runs));
figures.firstRunUs = Math.round(at(1) - at(0));
figures.secondRunUs = Math.round(at(2) - at(1));
figures.laterRunUs = Math.round(((at(50) - at(1)) / 49) * 10) / 10;
log(`first run in a request ${figures.firstRunUs} µs, each later run ${figures.laterRunUs} µs`);
process.stdout.write(`${JSON.stringify(figures)}\n`);

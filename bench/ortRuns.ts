/**
 * npm run bench:ort-runs: whether ORT's fixed cost in workerd is a run's or a request's. One worker
 * (the 50k shop's, as bench:ort-floor) is driven on /bench/ort-runs?runs=n, the static answer after n
 * runs of a one-node ONNX graph one after the other in the same request, for n = 0, 1, 2, 10 and 50,
 * round by round (4 connections, BENCH_SECONDS a target). The JS thread is saturated, so µs a request
 * is 1e6 ÷ requests per second: a request's first run costs t(1) − t(0), each run after it
 * (t(50) − t(1)) ÷ 49. Then whether the first run's extra is the CPU's caches: the same ten runs, each
 * after the request writes over BENCH_EVICT_KIB of memory (4 MiB: more than a core's L2 here), against
 * those ten writes with no run, so a run met with cold caches costs (t(10 runs, evicted) −
 * t(no run, 10 evictions)) ÷ 10. BENCH_V8_FLAGS runs workerd with those V8 flags (as bench:cold).
 * Ends with one JSON line.
 */
import { join } from "node:path";
import { buildBundle, startWorker, useV8Flags } from "./benchWorker.js";
import { DATASETS, prepare } from "./datasets.js";
import { drive } from "./load.js";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = 4;
const RUNS = [0, 1, 2, 10, 50] as const;
const EVICT_KIB = Number(process.env.BENCH_EVICT_KIB ?? 4096);
const EVICTIONS = 10;

/** What one target asks: n runs in a row, and how many of its steps first write over EVICT_KIB. */
interface Target {
  label: string;
  runs: number;
  evictions: number;
}
const targets: Target[] = [
  ...RUNS.map((runs) => ({ label: `${runs} runs`, runs, evictions: 0 })),
  { label: `${EVICTIONS} runs evicted`, runs: EVICTIONS, evictions: EVICTIONS },
  { label: `${EVICTIONS} evictions`, runs: 0, evictions: EVICTIONS },
];
const pathOf = ({ runs, evictions }: Target) =>
  `/bench/ort-runs?runs=${runs}&evictions=${evictions}&evict=${EVICT_KIB}`;

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
const micros = new Map<string, number[]>();
try {
  for (const target of targets)
    await drive(worker.url, { name: `warm ${target.label}`, next: () => ({ path: pathOf(target) }) }, 1, CONNECTIONS);
  for (let r = 0; r < ROUNDS; r++) {
    for (const target of targets) {
      const result = await drive(
        worker.url,
        { name: target.label, next: () => ({ path: pathOf(target) }) },
        SECONDS,
        CONNECTIONS,
      );
      if (result.errors + result.non2xx > 0)
        throw new Error(`${target.label}: ${result.non2xx} non-2xx, ${result.errors} errors`);
      micros.set(target.label, [...(micros.get(target.label) ?? []), 1e6 / result.requestsPerSecond]);
    }
    log(
      `round ${r + 1} of ${ROUNDS}: ${targets.map(({ label }) => `${label} ${Math.round(micros.get(label)?.[r] ?? NaN)} µs`).join(", ")}`,
    );
  }
} finally {
  await worker.stop();
}
const at = (label: string) => median(micros.get(label) ?? []);
const runsAt = (runs: number) => at(`${runs} runs`);
const figures: Record<string, number | string | null> = { v8Flags: v8Flags ?? null };
for (const runs of RUNS) figures[`requestUs_${runs}Runs`] = Math.round(runsAt(runs));
figures.firstRunUs = Math.round(runsAt(1) - runsAt(0));
figures.secondRunUs = Math.round(runsAt(2) - runsAt(1));
figures.laterRunUs = Math.round(((runsAt(50) - runsAt(1)) / 49) * 10) / 10;
figures.evictKiB = EVICT_KIB;
figures[`requestUs_${EVICTIONS}Evictions`] = Math.round(at(`${EVICTIONS} evictions`));
figures[`requestUs_${EVICTIONS}RunsEvicted`] = Math.round(at(`${EVICTIONS} runs evicted`));
figures.evictedRunUs =
  Math.round(((at(`${EVICTIONS} runs evicted`) - at(`${EVICTIONS} evictions`)) / EVICTIONS) * 10) / 10;
log(
  `first run in a request ${figures.firstRunUs} µs, each later run ${figures.laterRunUs} µs, a run after ${EVICT_KIB} KiB written over ${figures.evictedRunUs} µs`,
);
process.stdout.write(`${JSON.stringify(figures)}\n`);

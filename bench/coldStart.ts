/**
 * npm run bench:cold — a fresh isolate's first also-bought answer, again and again: bench:serve takes
 * one cold start per catalog, which moves by ±15 ms between runs on this shared machine; this starts
 * BENCH_ISOLATES (5) fresh workerd isolates per catalog (BENCH_DATASETS, 50k and 1M by default) on
 * the KV bench:serve published, times each first answer (KV reads included) and reads its load steps
 * from /healthz. Reports the median and the range of each figure. Ends with one JSON line.
 * BENCH_V8_FLAGS="--no-flush-liftoff-code" (say) runs workerd with those V8 flags (scripts/workerd-v8.sh),
 * to see what of a cold start is the runtime's: a deploy cannot set them.
 */
import { join } from "node:path";
import { buildBundle, startWorker, useV8Flags } from "./benchWorker.js";
import { DATASETS, popularSkus, prepare } from "./datasets.js";
import { answeredAnchor } from "./pagedEquality.js";

const ISOLATES = Number(process.env.BENCH_ISOLATES ?? 5);
const NAMES = (process.env.BENCH_DATASETS ?? "50k,1M").split(",");

const log = (line: string) => process.stderr.write(`${line}\n`);
const sorted = (xs: readonly number[]) => [...xs].sort((a, b) => a - b);
const median = (xs: readonly number[]) => sorted(xs)[Math.floor(xs.length / 2)] ?? NaN;

interface Health {
  model: { loadTimings: Record<string, number> | null; pages: { reads: number } | null };
}

const v8Flags = process.env.BENCH_V8_FLAGS;
useV8Flags(v8Flags);

const bundle = await buildBundle(join("bench", "out", "bundle"));
const figures: Record<string, unknown> = { isolates: ISOLATES, v8Flags: v8Flags ?? null };
for (const name of NAMES) {
  const dataset = DATASETS.find((d) => d.name === name);
  if (dataset === undefined) throw new Error(`no dataset ${name}`);
  const persist = join("bench", "out", `kv-${name}`);
  const model = await prepare(dataset, persist, log);
  const { sku } = await answeredAnchor(model.dir, await popularSkus(dataset.orders, 2000));
  log(`${name}: first answer for ${sku}`);
  const firsts: number[] = [];
  const steps = new Map<string, number[]>();
  for (let i = 0; i < ISOLATES; i++) {
    const worker = await startWorker(bundle, persist);
    try {
      // The isolate starts (and ORT warms up) on the static route; the first suggestion loads the model.
      await (await fetch(`${worker.url}/bench/static`)).arrayBuffer();
      const started = performance.now();
      const first = await fetch(`${worker.url}/v1/items/${encodeURIComponent(sku)}/also-bought`);
      await first.arrayBuffer();
      const ms = performance.now() - started;
      if (first.status !== 200) throw new Error(`${name}: first answer ${first.status}`);
      const health = (await (await fetch(`${worker.url}/healthz`)).json()) as Health;
      firsts.push(ms);
      for (const [step, value] of Object.entries(health.model.loadTimings ?? {}))
        steps.set(step, [...(steps.get(step) ?? []), value]);
      log(`${name} isolate ${i + 1}: ${ms.toFixed(0)} ms ${JSON.stringify(health.model.loadTimings)}`);
    } finally {
      await worker.stop();
    }
  }
  const range = (xs: readonly number[]) => [Math.round(sorted(xs)[0] ?? NaN), Math.round(sorted(xs).at(-1) ?? NaN)];
  figures[`coldStart${name}Ms`] = Math.round(median(firsts));
  figures[`coldStart${name}RangeMs`] = range(firsts);
  figures[`coldStart${name}Steps`] = Object.fromEntries([...steps].map(([step, xs]) => [step, median(xs)]));
  log(`${name}: median ${Math.round(median(firsts))} ms, range ${JSON.stringify(range(firsts))}`);
}
process.stdout.write(`${JSON.stringify(figures)}\n`);

/**
 * npm run bench:batching — could concurrent requests share one graph run in workerd? ORT's run has a
 * fixed cost per call (bench:ort-floor), and inference servers share it by batching the requests that
 * wait together. A stand-in worker (no model: a loop stands for a request's own work and another for
 * one graph run) is driven with bench:serve's load (4 connections) in three ways:
 *   direct — every request does its own work, then its own "run";
 *   yield  — the same, but each request first yields to the event loop (a setTimeout(0) or
 *            scheduler.wait(0)), which any batching needs so that other requests can arrive;
 *   batch  — each request queues and yields; the first one's timer runs one "run" for every request
 *            queued by then and resolves their promises;
 *   batch-own — the same, but every request keeps a timer of its own pending, and whichever fires
 *            first runs the queue (so no request waits on another's timer alone).
 * Reports throughput relative to direct, the batch sizes seen and the requests that failed: workerd
 * cancels a request whose promise another request resolved ("the Worker's code had hung", a 500).
 * Ends with one JSON line.
 */
import { Miniflare } from "miniflare";
import { drive } from "./load.js";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = 4;

// Loop counts, not times: workerd's clock does not move while JS runs. On this machine a request's
// own work is ~3x a run, as the 50k shop's also-bought answer is next to its graph run.
const WORKER = `
const REQUEST_WORK = 30000;
const RUN_WORK = 10000;
// Into a global, so that V8 cannot drop a loop whose result nobody reads.
let sink = 0;
function work(n) { let x = 0; for (let i = 0; i < n; i++) x += Math.sqrt(i + sink); sink = x % 2; }
const queue = [];
let scheduled = false;
const sizes = new Map();
const yields = {
  timeout: (f) => setTimeout(f, 0),
  wait: (f) => { scheduler.wait(0).then(f); },
};
function runQueued() {
  scheduled = false;
  const batch = queue.splice(0);
  sizes.set(batch.length, (sizes.get(batch.length) ?? 0) + 1);
  work(RUN_WORK);
  for (const resolve of batch) resolve();
}
export default {
  async fetch(request) {
    const [, mode, how] = new URL(request.url).pathname.split("/");
    if (mode === "sizes") {
      const seen = Object.fromEntries(sizes);
      sizes.clear();
      return Response.json(seen);
    }
    work(REQUEST_WORK / 2);
    if (mode === "batch") {
      await new Promise((resolve) => {
        queue.push(resolve);
        if (!scheduled) { scheduled = true; yields[how](runQueued); }
      });
    } else if (mode === "batch-own") {
      await new Promise((resolve) => {
        queue.push(resolve);
        yields[how](() => { if (queue.length > 0) runQueued(); });
      });
    } else {
      if (mode === "yield") await new Promise((resolve) => yields[how](resolve));
      work(RUN_WORK);
    }
    work(REQUEST_WORK / 2);
    return new Response("ok");
  },
};`;

const TARGETS = ["direct", "yield/timeout", "yield/wait", "batch/timeout", "batch-own/timeout", "batch/wait"] as const;
const log = (line: string) => process.stderr.write(`${line}\n`);
const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const round = (x: number) => Math.round(x * 1000) / 1000;

const mf = new Miniflare({
  modules: true,
  script: WORKER,
  compatibilityDate: "2026-04-20",
  host: "127.0.0.1",
  port: 0,
});
const url = (await mf.ready).toString().replace(/\/$/, "");
const ratios = new Map<string, number[]>();
const failed = new Map<string, number>();
const batchSizes = new Map<string, Record<string, number>>();
try {
  for (let round = 0; round < ROUNDS; round++) {
    let direct = NaN;
    for (const target of TARGETS) {
      const result = await drive(url, { name: target, next: () => ({ path: `/${target}` }) }, SECONDS, CONNECTIONS);
      const sizes = (await (await fetch(`${url}/sizes`)).json()) as Record<string, number>;
      if (target === "direct") direct = result.requestsPerSecond;
      ratios.set(target, [...(ratios.get(target) ?? []), result.requestsPerSecond / direct]);
      failed.set(target, (failed.get(target) ?? 0) + result.errors + result.non2xx);
      const seen = batchSizes.get(target) ?? {};
      for (const [size, count] of Object.entries(sizes)) seen[size] = (seen[size] ?? 0) + count;
      batchSizes.set(target, seen);
      log(`round ${round + 1} ${target}: ${result.requestsPerSecond.toFixed(0)} req/s, ${result.non2xx} failed`);
    }
  }
} finally {
  await mf.dispose();
}
const figures = Object.fromEntries(
  TARGETS.map((target) => [
    target,
    {
      ratioToDirect: round(median(ratios.get(target) ?? [])),
      failed: failed.get(target) ?? 0,
      ...(target.startsWith("batch") ? { batchSizes: batchSizes.get(target) ?? {} } : {}),
    },
  ]),
);
process.stdout.write(`${JSON.stringify({ connections: CONNECTIONS, seconds: SECONDS, rounds: ROUNDS, ...figures })}\n`);

/**
 * npm run bench:fuzz — 100,000 generated hostile requests (test/fuzzRequests.ts, seeded) against the
 * built worker in workerd on 127.0.0.1 with the sample model, 16 at a time. Counts 5xx answers (must
 * be 0) and answers that break the error contract (a 4xx without a JSON error code, a missing
 * nosniff). Ends with one JSON line {requests, status5xx, errors, seconds, …}.
 */
import { join } from "node:path";
import fc from "fast-check";
import { fuzzRequest, requestInit } from "../test/fuzzRequests.js";
import { buildBundle, startWorker } from "./benchWorker.js";
import { DATASETS, prepare } from "./datasets.js";

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 100_000);
const CONCURRENCY = 16;
const SEED = Number(process.env.BENCH_SEED ?? 20261126);
const log = (line: string) => process.stderr.write(`${line}\n`);

const sample = DATASETS.find((d) => d.name === "sample");
if (!sample) throw new Error("no sample dataset");
const persist = join("bench", "out", "kv-fuzz");
await prepare(sample, persist, log);
const bundle = await buildBundle(join("bench", "out", "bundle"));
const worker = await startWorker(bundle, persist);

const statuses = new Map<number, number>();
const problems: string[] = [];
let status5xx = 0;
let errors = 0;
let sent = 0;
const started = performance.now();
try {
  // Generated in slices so 100,000 requests never sit in memory at once; each slice has its own seed.
  for (let slice = 0; sent < REQUESTS; slice++) {
    const requests = fc.sample(fuzzRequest, { numRuns: Math.min(2000, REQUESTS - sent), seed: SEED + slice });
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        for (let i = next++; i < requests.length; i = next++) {
          const r = requests[i];
          if (r === undefined) continue;
          try {
            const response = await fetch(`${worker.url}${r.path}${r.query}`, requestInit(r));
            const text = await response.text();
            statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
            let fault: string | null = null;
            if (response.status >= 500) {
              status5xx++;
              fault = "5xx";
            } else if (response.status >= 400) {
              const code = (JSON.parse(text) as { error?: { code?: unknown } }).error?.code;
              if (typeof code !== "string") fault = "no error code";
              else if (response.headers.get("x-content-type-options") !== "nosniff") fault = "no nosniff";
            }
            if (fault) {
              errors++;
              if (problems.length < 5)
                problems.push(
                  `${fault}: ${r.method} ${r.path.slice(0, 60)} → ${response.status} ${text.slice(0, 120)}`,
                );
            }
          } catch (error) {
            errors++;
            if (problems.length < 5)
              problems.push(
                `${r.method} ${r.path.slice(0, 60)} (${r.body.length} B body): ${(error as Error).message} ${String((error as { cause?: unknown }).cause)}`,
              );
          }
        }
      }),
    );
    sent += requests.length;
    if (slice % 10 === 9) log(`  ${sent} requests, ${status5xx} 5xx, ${errors} errors`);
  }
} finally {
  await worker.stop();
}
const seconds = Math.round((performance.now() - started) / 100) / 10;
for (const problem of problems) log(`  ${problem}`);
process.stdout.write(
  `${JSON.stringify({ requests: sent, status5xx, errors, seconds, requestsPerSecond: Math.round(sent / seconds), statuses: Object.fromEntries([...statuses].sort((a, b) => a[0] - b[0])) })}\n`,
);

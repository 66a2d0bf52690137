/**
 * npm run bench:fuzz — 100,000 generated requests against the built worker in workerd on 127.0.0.1
 * with the sample model, 16 at a time: three in four hostile (bench/fuzzRequests.ts, seeded), one in
 * four drawn from the worker's own /openapi.json (bench/openApiArbitrary.ts: within every published
 * limit). Counts 5xx answers (must be 0), answers that break the error contract (a 4xx without a JSON
 * error code, a missing nosniff), and for the spec-drawn ones: answered 400 (must be 0), a status the
 * document does not list, or a body its schema refuses. Ends with one JSON line {requests, status5xx,
 * errors, spec: {…}, seconds, …}.
 */
import { join } from "node:path";
import { Validator, type Schema } from "@cfworker/json-schema";
import fc from "fast-check";
import { fuzzRequest, requestInit, type FuzzRequest } from "./fuzzRequests.js";
import { responseSchema, specRequests, type OpenApiDocument, type SpecRequest } from "./openApiArbitrary.js";
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

const doc = (await (await fetch(`${worker.url}/openapi.json`)).json()) as OpenApiDocument;
const known = (await (await fetch(`${worker.url}/v1/catalog/search?limit=50`)).json()) as { items: { sku: string }[] };
const drawn = specRequests(doc, { sku: fc.constantFrom(...known.items.map((i) => i.sku)) });
const spec = { requests: 0, rejected400: 0, undocumentedStatus: 0, schemaViolations: 0, status413: 0 };
const validators = new Map<string, Validator>();

/** What a spec-drawn request's answer breaks, if anything (a 413 only for a body over x-max-bytes). */
function specFault(r: SpecRequest, status: number, text: string): string | null {
  if (status === 400) return (spec.rejected400++, "spec-valid request answered 400");
  if (status === 413) {
    spec.status413++;
    if (Buffer.byteLength(r.body ?? "") <= (r.maxBytes ?? Infinity)) return "413 under the byte limit";
  }
  const schema = responseSchema(doc, r, status);
  if (schema === undefined) return (spec.undocumentedStatus++, "status not documented");
  if (schema === null) return null;
  const name = String(schema.$ref ?? "").replace("#/components/schemas/", "");
  let validator = validators.get(name);
  if (validator === undefined) {
    validator = new Validator((doc.components.schemas[name] ?? schema) as Schema, "2020-12", false);
    validators.set(name, validator);
  }
  if (validator.validate(JSON.parse(text)).valid) return null;
  spec.schemaViolations++;
  return "answer does not match its schema";
}

const statuses = new Map<number, number>();
const problems: string[] = [];
let status5xx = 0;
let errors = 0;
let sent = 0;
const started = performance.now();
try {
  // Generated in slices so 100,000 requests never sit in memory at once; each slice has its own seed.
  for (let slice = 0; sent < REQUESTS; slice++) {
    const count = Math.min(2000, REQUESTS - sent);
    const hostile = fc.sample(fuzzRequest, { numRuns: count - Math.floor(count / 4), seed: SEED + slice });
    const fromSpec = fc.sample(drawn, { numRuns: Math.floor(count / 4), seed: SEED + slice });
    const requests: (FuzzRequest | SpecRequest)[] = [...hostile, ...fromSpec];
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        for (let i = next++; i < requests.length; i = next++) {
          const r = requests[i];
          if (r === undefined) continue;
          try {
            const isSpec = "operation" in r;
            if (isSpec) spec.requests++;
            const response = isSpec
              ? await fetch(`${worker.url}${r.url}`, {
                  method: r.method,
                  headers: r.headers,
                  ...(r.body === undefined ? {} : { body: r.body }),
                })
              : await fetch(`${worker.url}${r.path}${r.query}`, requestInit(r));
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
            if (isSpec) fault ??= specFault(r, response.status, text);
            if (fault) {
              errors++;
              if (problems.length < 5)
                problems.push(
                  `${fault}: ${r.method} ${("url" in r ? r.url : r.path).slice(0, 60)} → ${response.status} ${text.slice(0, 120)}`,
                );
            }
          } catch (error) {
            errors++;
            if (problems.length < 5)
              problems.push(
                `${r.method} ${("url" in r ? r.url : r.path).slice(0, 60)} (${r.body?.length ?? 0} B body): ${(error as Error).message} ${String((error as { cause?: unknown }).cause)}`,
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
  `${JSON.stringify({ requests: sent, status5xx, errors, spec, seconds, requestsPerSecond: Math.round(sent / seconds), statuses: Object.fromEntries([...statuses].sort((a, b) => a[0] - b[0])) })}\n`,
);

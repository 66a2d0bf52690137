/**
 * npm run bench:body — what an oversized body costs the isolate. For each route that takes a body, a
 * 100 MB chunked POST (no Content-Length, so the size is only known by reading) goes to the built
 * worker in workerd on 127.0.0.1, while the isolate's V8 heap is sampled through the inspector every
 * few milliseconds; then a body of multi-byte characters whose UTF-16 length is under the limit but
 * whose bytes are over it. Each must be answered 413 with a JSON error code, and the isolate's memory
 * may grow by less than 2 MiB (a Worker has 128 MB). Ends with one JSON line of the figures.
 */
import { request } from "node:http";
import { join } from "node:path";
import { buildBundle, startWorker } from "./benchWorker.js";
import { DATASETS, prepare } from "./datasets.js";
import { Inspector } from "./inspector.js";

const BODY_BYTES = Number(process.env.BENCH_BODY_BYTES ?? 100 * 1024 * 1024);
const CHUNK = 64 * 1024;
const GROWTH_LIMIT = 2 * 1024 * 1024;
const MiB = 1024 * 1024;
const INSPECTOR_PORT = 9360;
const log = (line: string) => process.stderr.write(`${line}\n`);
const mib = (bytes: number) => Math.round((bytes / MiB) * 100) / 100;

interface HeapUsage {
  usedSize: number;
  /** ArrayBuffer backing stores and other memory outside the JS heap (newer V8s report it). */
  backingStorageSize?: number;
  embedderHeapUsedSize?: number;
}
const usedBytes = (u: HeapUsage) => u.usedSize + (u.backingStorageSize ?? 0) + (u.embedderHeapUsedSize ?? 0);

interface Sent {
  status: number;
  code: string | null;
  bytesSent: number;
  ms: number;
}

/** `total` bytes of a JSON-looking body, in 64 KiB chunks made on demand. */
function* filler(total: number): Generator<Buffer> {
  const chunk = Buffer.alloc(CHUNK, "x");
  Buffer.from('{"items":[{"sku":"').copy(chunk);
  for (let sent = 0; sent < total; sent += CHUNK) yield chunk.subarray(0, Math.min(CHUNK, total - sent));
}

/**
 * Streams a body without a Content-Length (chunked), and stops writing as soon as the answer arrives
 * (a server that answers early need not be fed the rest).
 */
function postChunked(url: string, path: string, chunks: Iterable<Buffer>): Promise<Sent> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    let sent = 0;
    let answered = false;
    const req = request(`${url}${path}`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "Transfer-Encoding": "chunked" },
    });
    const source = chunks[Symbol.iterator]();
    // One chunk at a time, the next after the last was handed to the kernel and the event loop has
    // had a turn: an early answer is read before the server, done with the request, resets the
    // connection under a client still writing (the reset would lose the answer).
    const pump = () => {
      if (answered) return;
      const next = source.next();
      if (next.done === true) return void req.end();
      sent += next.value.length;
      req.write(next.value, () => setImmediate(pump));
    };
    req.on("response", (res) => {
      answered = true;
      const parts: Buffer[] = [];
      res.on("data", (d: Buffer) => parts.push(d));
      res.on("end", () => {
        const text = Buffer.concat(parts).toString("utf8");
        let code: string | null = null;
        try {
          code = (JSON.parse(text) as { error?: { code?: string } }).error?.code ?? null;
        } catch {
          code = null;
        }
        req.destroy();
        resolve({ status: res.statusCode ?? 0, code, bytesSent: sent, ms: Math.round(performance.now() - started) });
      });
    });
    req.on("error", (error) => (answered ? undefined : reject(error)));
    pump();
  });
}

/**
 * postChunked until an answer is read: once the server has answered it resets a connection that is
 * still sending, and now and then the reset reaches this client before the answer does. Counts those.
 */
async function postAnswered(url: string, path: string, chunks: () => Iterable<Buffer>, tries = 5) {
  for (let attempt = 1; ; attempt++) {
    try {
      return { ...(await postChunked(url, path, chunks())), resetsBeforeAnswer: attempt - 1 };
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (attempt === tries || (code !== "ECONNRESET" && code !== "EPIPE")) throw error;
    }
  }
}

async function postBytes(url: string, path: string, body: string) {
  const response = await fetch(`${url}${path}`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body,
  });
  const parsed = (await response.json()) as { error?: { code?: string } };
  return { status: response.status, code: parsed.error?.code ?? null };
}

const sample = DATASETS.find((d) => d.name === "sample");
if (!sample) throw new Error("no sample dataset");
const persist = join("bench", "out", "kv-body");
await prepare(sample, persist, log);
const bundle = await buildBundle(join("bench", "out", "bundle-body"));
const worker = await startWorker(bundle, persist, { inspectorPort: INSPECTOR_PORT });
// Per route: euro signs (3 bytes each in UTF-8) fewer than its byte limit, but more bytes than it.
const routes: [path: string, euros: number][] = [
  ["/v1/cart/suggestions", 60_000],
  ["/v1/events", 200_000],
];
const results: Record<string, unknown> = {};
let failures = 0;
try {
  // Warm the isolate (model loaded, both routes compiled) so the baseline holds what serving holds.
  await (await fetch(`${worker.url}/v1/items/85123A/also-bought`)).arrayBuffer();
  for (const [path] of routes) await postBytes(worker.url, path, "{}");
  const inspector = await Inspector.connect(INSPECTOR_PORT);
  try {
    for (const [path, euroCount] of routes) {
      const before = await inspector.liveBytes();
      const baseline = usedBytes(await inspector.send<HeapUsage>("Runtime.getHeapUsage"));
      let peak = baseline;
      let sampling = true;
      const sampler = (async () => {
        while (sampling) {
          peak = Math.max(peak, usedBytes(await inspector.send<HeapUsage>("Runtime.getHeapUsage")));
          await new Promise((r) => setTimeout(r, 5));
        }
      })();
      const rssBefore = await worker.rss();
      const chunked = await postAnswered(worker.url, path, () => filler(BODY_BYTES));
      const rssAfter = await worker.rss();
      sampling = false;
      await sampler;
      const after = await inspector.liveBytes();
      // Over the limit in bytes, under it in UTF-16 code units: what a character count lets through.
      // Chunked too, so only counting what arrives can catch it.
      const euroBody = Buffer.from(JSON.stringify({ items: ["€".repeat(euroCount)] }));
      const euroSent = await postAnswered(worker.url, path, () => [
        euroBody.subarray(0, CHUNK),
        euroBody.subarray(CHUNK),
      ]);
      const euros = {
        status: euroSent.status,
        code: euroSent.code,
        bytes: euroBody.length,
        characters: euroCount + 14,
      };
      const growth = Math.max(peak - baseline, after.total - before.total);
      const ok = chunked.status === 413 && chunked.code !== null && growth < GROWTH_LIMIT && euros.status === 413;
      if (!ok) failures++;
      results[path] = {
        status: chunked.status,
        code: chunked.code,
        mbSentBeforeAnswer: mib(chunked.bytesSent),
        resetsBeforeAnswer: chunked.resetsBeforeAnswer,
        ms: chunked.ms,
        heapPeakGrowthMiB: mib(peak - baseline),
        liveGrowthMiB: mib(after.total - before.total),
        workerdRssGrowthMiB: mib(rssAfter - rssBefore),
        multiByte: euros,
        ok,
      };
      log(`${path}: ${JSON.stringify(results[path])}`);
    }
  } finally {
    inspector.close();
  }
} finally {
  await worker.stop();
}
process.stdout.write(
  `${JSON.stringify({ bodyMiB: mib(BODY_BYTES), growthLimitMiB: mib(GROWTH_LIMIT), failures, routes: results })}\n`,
);
process.exitCode = failures === 0 ? 0 : 1;

/**
 * npm run bench:serve — serving speed at the edge, as ratios to a no-work endpoint of the same worker
 * in the same workerd, on 127.0.0.1. Per catalog (the bundled sample, synthetic 50k and 200k): cold
 * start step by step, then rounds that alternate static / also-bought / 10-item cart / upgrades under
 * the same load; ratios are taken within a round, the median over rounds is reported. Every answer is
 * computed (the answer cache is off), except in one extra worker at 50k that measures the cache on
 * its own. Ends with one JSON line of the figures.
 */
import { join } from "node:path";
import { buildBundle, startWorker } from "./benchWorker.js";
import { DATASETS, popularSkus, prepare } from "./datasets.js";
import { answeredAnchor } from "./pagedEquality.js";
import { Inspector } from "./inspector.js";
import { drive, type LoadResult, type LoadTarget } from "./load.js";
import { routerBench } from "./routers.js";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 4);
const MiB = 1024 * 1024;

const log = (line: string) => process.stderr.write(`${line}\n`);
const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const round = (x: number, digits = 3) => Math.round(x * 10 ** digits) / 10 ** digits;

function cycle<T>(items: readonly T[]): () => T {
  let i = 0;
  return () => items[i++ % items.length] as T;
}

function targets(skus: string[]): LoadTarget[] {
  const anchor = cycle(skus);
  // Carts: ten different popular products, a different cart each time.
  const carts = Array.from({ length: 500 }, (_, c) =>
    JSON.stringify({ items: Array.from({ length: 10 }, (_, i) => ({ sku: skus[(c * 7 + i * 13) % skus.length] })) }),
  );
  const cart = cycle(carts);
  return [
    { name: "static", next: () => ({ path: "/bench/static" }) },
    { name: "alsoBought", next: () => ({ path: `/v1/items/${encodeURIComponent(anchor())}/also-bought` }) },
    { name: "cart", method: "POST", next: () => ({ path: "/v1/cart/suggestions", body: cart() }) },
    { name: "upgrades", next: () => ({ path: `/v1/items/${encodeURIComponent(anchor())}/upgrades` }) },
  ];
}

interface DatasetFigures {
  items: number;
  bytesPerItem: number;
  coldStartMs: number;
  /** KV values a fresh isolate's first also-bought read: pointer, manifest, graph and head chunks, pages. */
  firstAnswerKvReads: number;
  firstAnswerPageKiB: number;
  /** The isolate's first request (the static route): start-up, ORT's warm-up included. */
  isolateStartMs: number;
  loadTimings: Record<string, number> | null;
  rssBeforeModelMiB: number;
  rssAfterMiB: number;
  /** Live JS heap + ArrayBuffer backing stores (ORT's wasm memory among them), after the load rounds. */
  isolateMiB: { heap: number; arrayBuffers: number; ortWasm: number; total: number };
  /** Also-bought with the answer cache on (50k only): every anchor asked once before the rounds. */
  cached: { ratio: number; p99Ms: number; errors: number } | null;
  endpoints: Record<
    string,
    { rps: number; p50Ms: number; p99Ms: number; ratio: number; ratios: number[]; errors: number }
  >;
}

let inspectorPort = 9340;

/** Ratios to static of each target, round by round (a run of every target per round). */
async function rounds(url: string, list: LoadTarget[]): Promise<Map<string, LoadResult[]>> {
  for (const target of list) await drive(url, target, 1, CONNECTIONS); // warm-up
  const results = new Map<string, LoadResult[]>();
  for (let r = 0; r < ROUNDS; r++) {
    for (const target of list) {
      const result = await drive(url, target, SECONDS, CONNECTIONS);
      results.set(target.name, [...(results.get(target.name) ?? []), result]);
    }
  }
  return results;
}

function ratiosToStatic(results: Map<string, LoadResult[]>, target: string): number[] {
  const statics = results.get("static") ?? [];
  return (results.get(target) ?? []).map((run, r) => run.requestsPerSecond / (statics[r]?.requestsPerSecond ?? NaN));
}

/** The same also-bought load with the answer cache on, in a worker of its own. */
async function measureCached(persist: string, skus: string[]): Promise<NonNullable<DatasetFigures["cached"]>> {
  const worker = await startWorker(bundle, persist, { answerCacheSeconds: 300 });
  try {
    for (const sku of skus) await (await fetch(`${worker.url}/v1/items/${encodeURIComponent(sku)}/also-bought`)).text();
    const list = targets(skus).filter((t) => t.name === "static" || t.name === "alsoBought");
    const results = await rounds(worker.url, list);
    const runs = results.get("alsoBought") ?? [];
    const figures = {
      ratio: round(median(ratiosToStatic(results, "alsoBought"))),
      p99Ms: median(runs.map((x) => x.p99Ms)),
      errors: runs.reduce((sum, x) => sum + x.errors + x.non2xx, 0),
    };
    log(`  alsoBought with the answer cache: ${JSON.stringify(figures)}`);
    return figures;
  } finally {
    await worker.stop();
  }
}

async function measure(name: string): Promise<DatasetFigures> {
  const dataset = DATASETS.find((d) => d.name === name);
  if (!dataset) throw new Error(`no dataset ${name}`);
  const persist = join("bench", "out", `kv-${name}`);
  const model = await prepare(dataset, persist, log);
  const skus = await popularSkus(dataset.orders, 2000);
  const cold = await answeredAnchor(model.dir, skus);
  const port = inspectorPort++;
  const worker = await startWorker(bundle, persist, { inspectorPort: port });
  let figures: DatasetFigures;
  try {
    // A fresh isolate: the static route starts it without a model (and ORT's warm-up runs while it
    // starts, worker/index.ts); the first suggestion loads one.
    const starting = performance.now();
    await (await fetch(`${worker.url}/bench/static`)).arrayBuffer();
    const isolateStartMs = performance.now() - starting;
    const rssBeforeModel = await worker.rss();
    const started = performance.now();
    const first = await fetch(`${worker.url}/v1/items/${encodeURIComponent(cold.sku)}/also-bought`);
    const firstItems = ((await first.json()) as { items?: unknown[] }).items?.length ?? 0;
    const coldStartMs = performance.now() - started;
    if (first.status !== 200) throw new Error(`${name}: first answer ${first.status}`);
    if (firstItems !== cold.items)
      throw new Error(`${name}: first answer has ${firstItems} items, the model ${cold.items}`);
    const health = (await (await fetch(`${worker.url}/healthz`)).json()) as {
      model: { loadTimings: Record<string, number> | null; pages: { reads: number; readBytes: number } | null };
    };
    // The pointer, the manifest, the graph's and the head's chunks, then the pages the answer read.
    const firstAnswerKvReads = 2 + model.headChunks + (health.model.pages?.reads ?? 0);
    const firstAnswerPageBytes = health.model.pages?.readBytes ?? 0;
    log(
      `${name}: ${model.items} items, isolate start ${isolateStartMs.toFixed(0)} ms, then cold start ${coldStartMs.toFixed(0)} ms (${cold.sku}, ${firstItems} items) ${JSON.stringify(health.model.loadTimings)}, ${firstAnswerKvReads} KV reads (${health.model.pages?.reads ?? 0} pages, ${(firstAnswerPageBytes / 1024).toFixed(0)} KiB)`,
    );

    const results = await rounds(worker.url, targets(skus));
    const endpoints: DatasetFigures["endpoints"] = {};
    for (const [target, runs] of results) {
      const ratios = ratiosToStatic(results, target);
      endpoints[target] = {
        rps: round(median(runs.map((x) => x.requestsPerSecond)), 0),
        p50Ms: median(runs.map((x) => x.p50Ms)),
        p99Ms: median(runs.map((x) => x.p99Ms)),
        ratio: round(median(ratios)),
        ratios: ratios.map((x) => round(x)),
        errors: runs.reduce((sum, x) => sum + x.errors + x.non2xx, 0),
      };
      log(`  ${target.padEnd(10)} ${JSON.stringify(endpoints[target])}`);
    }
    const inspector = await Inspector.connect(port);
    const live = await inspector.liveBytes();
    inspector.close();
    const status = (await (await fetch(`${worker.url}/healthz`)).json()) as {
      model: { ortMemoryBytes: number | null };
    };
    const ortWasm = status.model.ortMemoryBytes ?? NaN;
    const isolateMiB = {
      heap: round(live.heap / MiB, 1),
      arrayBuffers: round((live.buffers - ortWasm) / MiB, 1),
      ortWasm: round(ortWasm / MiB, 1),
      total: round(live.total / MiB, 1),
    };
    log(`  isolate memory (MiB): ${JSON.stringify(isolateMiB)}`);
    figures = {
      items: model.items,
      isolateMiB,
      bytesPerItem: round(model.blobBytes / model.items, 1),
      coldStartMs: round(coldStartMs, 0),
      firstAnswerKvReads,
      firstAnswerPageKiB: round(firstAnswerPageBytes / 1024, 0),
      isolateStartMs: round(isolateStartMs, 0),
      loadTimings: health.model.loadTimings,
      rssBeforeModelMiB: round(rssBeforeModel / MiB, 1),
      rssAfterMiB: round((await worker.rss()) / MiB, 1),
      endpoints,
      cached: null,
    };
  } finally {
    await worker.stop();
  }
  // After the first worker is gone, so the two never share the machine.
  if (name === "50k") figures.cached = await measureCached(persist, skus);
  return figures;
}

log("building the worker bundle (wrangler deploy --dry-run)");
const bundle = await buildBundle(join("bench", "out", "bundle"));
log(
  `bundle: ${bundle.files.join(", ")}: ${(bundle.rawBytes / MiB).toFixed(2)} MiB raw, ${(bundle.gzipBytes / MiB).toFixed(2)} MiB gzip`,
);
const routers = await routerBench();
log(
  `routing, this worker's routes in Node: Hono ${routers.honoNs.toFixed(0)} ns, itty-router ${routers.ittyNs.toFixed(0)} ns per request`,
);

const figures: Record<string, DatasetFigures> = {};
for (const name of (process.env.BENCH_DATASETS ?? "sample,50k,200k,1M").split(",")) figures[name] = await measure(name);

const at = (name: string) => figures[name];
const growth = (name: string) => {
  const f = at(name);
  return f ? round(f.rssAfterMiB - f.rssBeforeModelMiB, 1) : null;
};
const line = {
  alsoBought50k: at("50k")?.endpoints.alsoBought?.ratio ?? null,
  alsoBought200k: at("200k")?.endpoints.alsoBought?.ratio ?? null,
  cart50k: at("50k")?.endpoints.cart?.ratio ?? null,
  upgrades50k: at("50k")?.endpoints.upgrades?.ratio ?? null,
  alsoBought50kCached: at("50k")?.cached?.ratio ?? null,
  p99AlsoBought50kCachedMs: at("50k")?.cached?.p99Ms ?? null,
  alsoBoughtSample: at("sample")?.endpoints.alsoBought?.ratio ?? null,
  p99AlsoBought50kMs: at("50k")?.endpoints.alsoBought?.p99Ms ?? null,
  p99Static50kMs: at("50k")?.endpoints.static?.p99Ms ?? null,
  coldStart50kMs: at("50k")?.coldStartMs ?? null,
  isolateStart50kMs: at("50k")?.isolateStartMs ?? null,
  coldStart50kSteps: at("50k")?.loadTimings ?? null,
  firstAnswerKvReads50k: at("50k")?.firstAnswerKvReads ?? null,
  coldStart1MMs: at("1M")?.coldStartMs ?? null,
  coldStart1MSteps: at("1M")?.loadTimings ?? null,
  firstAnswerKvReads1M: at("1M")?.firstAnswerKvReads ?? null,
  firstAnswerPageKiB1M: at("1M")?.firstAnswerPageKiB ?? null,
  isolateMemory1MMiB: at("1M")?.isolateMiB.total ?? null,
  alsoBought1M: at("1M")?.endpoints.alsoBought?.ratio ?? null,
  cart1M: at("1M")?.endpoints.cart?.ratio ?? null,
  bytesPerItem: at("50k")?.bytesPerItem ?? null,
  bundleRawBytes: bundle.rawBytes,
  bundleGzipBytes: bundle.gzipBytes,
  isolateMemory200kMiB: at("200k")?.isolateMiB.total ?? null,
  isolateMemory50kMiB: at("50k")?.isolateMiB.total ?? null,
  ortWasm200kMiB: at("200k")?.isolateMiB.ortWasm ?? null,
  workerdRssGrowth200kMiB: growth("200k"),
  staticRps50k: at("50k")?.endpoints.static?.rps ?? null,
  routingHonoNs: round(routers.honoNs, 0),
  routingIttyNs: round(routers.ittyNs, 0),
  connections: CONNECTIONS,
  seconds: SECONDS,
  rounds: ROUNDS,
};
process.stdout.write(`${JSON.stringify(line)}\n`);

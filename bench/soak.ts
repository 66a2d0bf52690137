/**
 * npm run bench:soak — sustained mixed load on the built worker in workerd (127.0.0.1, the 50k
 * synthetic shop), with a new model version published halfway. Windows of 20 s of GET routes
 * (also-bought, upgrades, bundle; 2,000 different anchors) then 10 s of 10-item carts,
 * at 4 connections (the closed-loop load at which workerd's JS thread is saturated here). Live isolate
 * memory from a heap snapshot at the start, the middle and the end. Ends with one JSON line.
 */
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { buildBundle, localEnv, startWorker } from "./benchWorker.js";
import { DATASETS, popularSkus, prepare, trainDataset } from "./datasets.js";
import { Inspector } from "./inspector.js";
import { drive, type LoadResult, type LoadTarget } from "./load.js";

const run = promisify(execFile);
const SECONDS = Number(process.env.BENCH_SOAK_SECONDS ?? 600);
const CONNECTIONS = 4;
const MiB = 1024 * 1024;
const log = (line: string) => process.stderr.write(`${line}\n`);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

const dataset = DATASETS.find((d) => d.name === "50k");
if (!dataset) throw new Error("no 50k dataset");
const persist = join("bench", "out", "kv-soak");
const model = await prepare(dataset, persist, log);
// The version published halfway: the same data trained again (a new version id, a full reload).
const second = await trainDataset(dataset, join("bench", "out", "soak-models"));
const skus = await popularSkus(dataset.orders, 2000);
const bundle = await buildBundle(join("bench", "out", "bundle"));
const inspectorPort = 9390;
const worker = await startWorker(bundle, persist, { inspectorPort });

let i = 0;
const gets: LoadTarget = {
  name: "mixed GET",
  next: () => {
    const sku = encodeURIComponent(skus[i++ % skus.length] ?? "");
    const route = i % 4;
    const surface = route < 2 ? "also-bought" : route < 3 ? "upgrades" : "bundle";
    return { path: `/v1/items/${sku}/${surface}` };
  },
};
const cart: LoadTarget = {
  name: "cart",
  method: "POST",
  next: () => ({
    path: "/v1/cart/suggestions",
    body: JSON.stringify({
      items: Array.from({ length: 10 }, (_, k) => ({ sku: skus[(i++ * 7 + k * 13) % skus.length] })),
    }),
  }),
};

async function liveMiB(): Promise<number> {
  const inspector = await Inspector.connect(inspectorPort);
  try {
    return Math.round(((await inspector.liveBytes()).total / MiB) * 10) / 10;
  } finally {
    inspector.close();
  }
}
const version = async () => ((await (await fetch(`${worker.url}/v1/model`)).json()) as { version: string }).version;

const windows: { at: number; get: LoadResult; cart: LoadResult; version: string }[] = [];
const memory: number[] = [];
let published = false;
const started = performance.now();
try {
  await drive(worker.url, gets, 2, CONNECTIONS); // warm-up
  memory.push(await liveMiB());
  while ((performance.now() - started) / 1000 < SECONDS) {
    const at = Math.round((performance.now() - started) / 1000);
    if (!published && at >= SECONDS / 2) {
      published = true;
      memory.push(await liveMiB());
      const { stdout } = await run(
        process.execPath,
        ["bin/sidecart.mjs", "publish", "--local", "--from", second, "--persist-to", persist, "--json"],
        { env: localEnv },
      );
      log(`  ${at} s: published ${stdout.trim()}`);
    }
    const get = await drive(worker.url, gets, 20, CONNECTIONS);
    const carts = await drive(worker.url, cart, 10, CONNECTIONS);
    const served = await version();
    windows.push({ at, get, cart: carts, version: served });
    log(
      `  ${at} s: GET ${get.requestsPerSecond.toFixed(0)}/s p99 ${get.p99Ms} ms, cart ${carts.requestsPerSecond.toFixed(0)}/s p99 ${carts.p99Ms} ms, errors ${get.errors + get.non2xx + carts.errors + carts.non2xx}, model ${served}`,
    );
  }
  memory.push(await liveMiB());
} finally {
  await worker.stop();
}

const all = windows.flatMap((w) => [w.get, w.cart]);
const requests = windows.reduce((n, w) => n + (w.get.requestsPerSecond * 20 + w.cart.requestsPerSecond * 10), 0);
const p99Get = windows.map((w) => w.get.p99Ms);
const p99Cart = windows.map((w) => w.cart.p99Ms);
process.stdout.write(
  `${JSON.stringify({
    seconds: Math.round((performance.now() - started) / 1000),
    requests: Math.round(requests),
    errors: all.reduce((n, r) => n + r.errors + r.non2xx, 0),
    getRps: Math.round(median(windows.map((w) => w.get.requestsPerSecond))),
    cartRps: Math.round(median(windows.map((w) => w.cart.requestsPerSecond))),
    p99GetMs: {
      min: Math.min(...p99Get),
      median: median(p99Get),
      max: Math.max(...p99Get),
      first: p99Get[0],
      last: p99Get.at(-1),
    },
    p99CartMs: {
      min: Math.min(...p99Cart),
      median: median(p99Cart),
      max: Math.max(...p99Cart),
      first: p99Cart[0],
      last: p99Cart.at(-1),
    },
    isolateMemoryMiB: { start: memory[0], beforePublish: memory[1], end: memory.at(-1) },
    versions: [...new Set(windows.map((w) => w.version))],
    firstModel: model.dir.split("/").at(-1),
    connections: CONNECTIONS,
  })}\n`,
);

/**
 * npm run bench:profile -- [dataset] [target]: a V8 CPU profile of the worker under load, taken in
 * workerd through its inspector, summarised as the functions with the most self time. For finding
 * where a serving ratio goes; not a benchmark (no JSON line of figures to compare).
 */
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { buildBundle, startWorker } from "./benchWorker.js";
import { DATASETS, popularSkus, prepare } from "./datasets.js";
import { Inspector } from "./inspector.js";
import { drive } from "./load.js";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

const [name = "50k", target = "alsoBought"] = process.argv.slice(2);
const dataset = DATASETS.find((d) => d.name === name);
if (!dataset) throw new Error(`no dataset ${name}`);
const persist = join("bench", "out", `kv-${name}`);
const log = (line: string) => process.stderr.write(`${line}\n`);
await prepare(dataset, persist, log);
const bundle = await buildBundle(join("bench", "out", "bundle"));
const skus = await popularSkus(dataset.orders, 2000);
const port = 9329;
// BENCH_SCORER=none (or one-node) profiles everything around the graph's run (bench/ortFloor.ts).
const scorer = process.env.BENCH_SCORER;
const worker = await startWorker(bundle, persist, {
  inspectorPort: port,
  vars: scorer === undefined ? {} : { BENCH_SCORER: scorer },
});
let i = 0;
const next =
  target === "cart"
    ? () => ({
        path: "/v1/cart/suggestions",
        body: JSON.stringify({
          items: Array.from({ length: 10 }, (_, j) => ({ sku: skus[(i++ * 7 + j * 13) % skus.length] })),
        }),
      })
    : () => ({
        path: `/v1/items/${encodeURIComponent(skus[i++ % skus.length] ?? "")}/${target === "upgrades" ? "upgrades" : "also-bought"}`,
      });
const load = { name: target, method: target === "cart" ? ("POST" as const) : ("GET" as const), next };
await drive(worker.url, load, 3, 4);

const inspector = await Inspector.connect(port);
const send = <T = unknown>(method: string, params: object = {}) => inspector.send<T>(method, params);
await send("Profiler.enable");
await send("Profiler.setSamplingInterval", { interval: 100 });
await send("Profiler.start");
const result = await drive(worker.url, load, 5, 4);
const { profile } = await send<{ profile: { nodes: ProfileNode[] } }>("Profiler.stop");
inspector.close();
await worker.stop();
// BENCH_PROFILE_OUT=file.cpuprofile keeps the whole profile (Chrome DevTools opens it).
if (process.env.BENCH_PROFILE_OUT) await writeFile(process.env.BENCH_PROFILE_OUT, JSON.stringify(profile));

const self = new Map<string, number>();
let total = 0;
for (const node of profile.nodes) {
  const hits = node.hitCount ?? 0;
  total += hits;
  const { functionName, url: file, lineNumber } = node.callFrame;
  const key = `${functionName || "(anonymous)"} ${file.split("/").pop() ?? ""}:${lineNumber + 1}`;
  self.set(key, (self.get(key) ?? 0) + hits);
}
const wasm = [...self.entries()].filter(([k]) => k.startsWith("wasm-function")).reduce((n, [, v]) => n + v, 0);
log(
  `${name} ${target}: ${result.requestsPerSecond.toFixed(0)} req/s; self time of ${total} samples, ${((100 * wasm) / total).toFixed(1)}% in wasm (ORT):`,
);
for (const [key, hits] of [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 30)) {
  log(`${((100 * hits) / total).toFixed(1).padStart(5)}%  ${key}`);
}

// Total time: a function's samples with everything it called, counted once per stack (recursion
// and a function reached twice on one stack do not count twice).
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const keyOf = (node: ProfileNode) => {
  const { functionName, url: file, lineNumber } = node.callFrame;
  return `${functionName || "(anonymous)"} ${file.split("/").pop() ?? ""}:${lineNumber + 1}`;
};
const inclusive = new Map<string, number>();
const walk = (id: number, onStack: ReadonlySet<string>): number => {
  const node = byId.get(id);
  if (node === undefined) return 0;
  const key = keyOf(node);
  const stack = new Set(onStack).add(key);
  const hits = (node.hitCount ?? 0) + (node.children ?? []).reduce((sum, child) => sum + walk(child, stack), 0);
  if (!onStack.has(key)) inclusive.set(key, (inclusive.get(key) ?? 0) + hits);
  return hits;
};
const root = profile.nodes[0];
if (root !== undefined) walk(root.id, new Set());
log("total time (with callees), the 30 largest:");
for (const [key, hits] of [...inclusive.entries()].sort((a, b) => b[1] - a[1]).slice(0, 30)) {
  log(`${((100 * hits) / total).toFixed(1).padStart(5)}%  ${key}`);
}

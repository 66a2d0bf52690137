/**
 * npm run bench:ort-cold — where a fresh isolate's first ORT session spends its time (issue 28), in
 * workerd (the worker bench/ortColdWorker.ts bundled with esbuild, ORT's wasm as a CompiledWasm module as
 * wrangler ships it, one new workerd process per sample, so every sample is a fresh isolate) and in Node
 * (one new process per sample) for comparison.
 *
 * Per sample, one scenario of bench/ortColdProbe.ts: the first InferenceSession.create of the real
 * sidecart graph (bundled sample, and 50k items) at optimisation level "all", "basic" or "disabled",
 * or of a one-Add-node graph first; then later sessions and runs. The first session is split by timing
 * every call into ORT's wasm exports: instantiate, Emscripten's static constructors, OrtInit (ORT's
 * runtime start), OrtCreateSession and the JS around them. workerd's start-up (the CompiledWasm compile
 * and module evaluation) is timed from outside, for a worker without ORT, with ORT's wasm only, with
 * ORT as today, and with ORT started at module scope (a promise left running, a top-level await, or a
 * promise that warms up with a 200-item miniature of the scoring graph instead of the Add graph); the
 * first real session and run of those isolates show what leaves the request. Another set of isolates
 * times ORT's start against a KV-like read answered by this process after 100 ms: one after the other
 * (today's order in readModel), together, and together after one event-loop turn.
 * workerd and Node run once more with --no-wasm-lazy-compilation, to show what lazy wasm compilation
 * (V8 compiles each wasm function on its first call) costs and where it lands.
 *
 * ORT_COLD_RUNS (default 5) samples per configuration, interleaved round by round; medians are
 * reported (the machine is shared and noisy: read the min–max too). Ends with one JSON line.
 */
import { execFile, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { copyFile, mkdir, readFile, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { cpus } from "node:os";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";
import type { Readable } from "node:stream";
import { promisify } from "node:util";
import { build, type Plugin } from "esbuild";
import onnxProto from "onnx-proto";
import { localEnv } from "./benchWorker.js";
import { BlobName } from "../models/contract.js";
import { DATASETS, trainedModelDir, type Dataset } from "./datasets.js";
import type { ProbeResult, Step } from "./ortColdProbe.js";

process.env.WRANGLER_SEND_METRICS = "false";
process.env.CLOUDFLARE_CF_FETCH_ENABLED = "false";

const RUNS = Number(process.env.ORT_COLD_RUNS ?? 5);
const OUT = resolve("bench", "out", "ort-cold");
const run = promisify(execFile);
const log = (line: string) => process.stderr.write(`${line}\n`);
const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const r1 = (x: number) => Math.round(x * 10) / 10;

// ---------------------------------------------------------------------------------------------------
// Models

/** One Add node over two float [1] inputs, opset 17 like the sidecart graph. */
function addGraph(): Uint8Array {
  const { onnx } = onnxProto;
  const float = onnx.TensorProto.DataType.FLOAT;
  const info = (name: string) => ({
    name,
    type: { tensorType: { elemType: float, shape: { dim: [{ dimValue: 1 }] } } },
  });
  const model = onnx.ModelProto.create({
    irVersion: 8,
    opsetImport: [{ domain: "", version: 17 }],
    graph: {
      name: "add",
      node: [{ opType: "Add", input: ["a", "b"], output: ["c"] }],
      input: [info("a"), info("b")],
      output: [info("c")],
    },
  });
  return new Uint8Array(onnx.ModelProto.encode(model).finish());
}

interface RealModel {
  name: string;
  items: number;
  onnx: string;
  data: string | null;
}

/** A dataset's trained model (the same cache as bench:serve, bench/out/models-<name>), trained if missing. */
async function realModel(dataset: Dataset): Promise<RealModel> {
  const dir = resolve(await trainedModelDir(dataset, log));

  const manifest = JSON.parse(await readFile(join(dir, "manifest.json"), "utf8")) as { model: { itemCount: number } };
  const tables = join(dir, BlobName.tables);
  return {
    name: dataset.name,
    items: manifest.model.itemCount,
    onnx: join(dir, "model.onnx"),
    data: existsSync(tables) ? tables : null,
  };
}

/** The request body the worker splits: u32 model length, u32 data length, model, data. */
async function probeBody(model: RealModel): Promise<Uint8Array<ArrayBuffer>> {
  const onnx = await readFile(model.onnx);
  const data = model.data === null ? new Uint8Array(0) : await readFile(model.data);
  const body = new Uint8Array(8 + onnx.byteLength + data.byteLength);
  const view = new DataView(body.buffer);
  view.setUint32(0, onnx.byteLength, true);
  view.setUint32(4, data.byteLength, true);
  body.set(onnx, 8);
  body.set(data, 8 + onnx.byteLength);
  return body;
}

// ---------------------------------------------------------------------------------------------------
// ORT's wasm exports are minified: name the ones the first session spends its time in.

const ortWasmPath = createRequire(import.meta.url).resolve("onnxruntime-web/ort-wasm-simd-threaded.wasm");

async function exportNames(): Promise<Map<string, string>> {
  const glue = await readFile(join(ortWasmPath, "..", "ort.wasm.bundle.min.mjs"), "utf8");
  const names = new Map<string, string>();
  for (const m of glue.matchAll(/\._(Ort\w+|malloc|free)=\w+\.(\w+)/g)) names.set(m[2] ?? "", m[1] ?? "");
  // Emscripten's initRuntime(): `function he(){je=!0,o?D():Ee.Va()}` calls __wasm_call_ctors (static
  // constructors) unless it runs in a pthread.
  const ctors = /function \w+\(\)\{\w+=!0,\w+\?\w+\(\):\w+\.(\w+)\(\)\}/.exec(glue)?.[1];
  if (ctors !== undefined) names.set(ctors, "__wasm_call_ctors");
  return names;
}

// ---------------------------------------------------------------------------------------------------
// workerd

type WarmMode = "none" | "promise" | "tla" | "mini";
const bundleModes: WarmMode[] = ["none", "promise", "tla", "mini"];

const wasmAsModule: Plugin = {
  name: "ort-wasm-as-compiled-module",
  setup(b) {
    b.onResolve({ filter: /\.wasm$/ }, () => ({ path: "./ort.wasm", external: true }));
  },
};

/** The probe worker per warm mode, a worker without ORT and one with ORT's wasm only, in OUT. */
async function buildWorkers(add: Uint8Array, mini: RealModel): Promise<void> {
  const base64 = async (path: string | null) => (path === null ? "" : (await readFile(path)).toString("base64"));
  const miniModel = await base64(mini.onnx);
  const miniData = await base64(mini.data);
  await mkdir(OUT, { recursive: true });
  await copyFile(ortWasmPath, join(OUT, "ort.wasm"));
  for (const mode of bundleModes) {
    await build({
      entryPoints: ["bench/ortColdWorker.ts"],
      outfile: join(OUT, `worker-${mode}.mjs`),
      bundle: true,
      format: "esm",
      platform: "neutral",
      target: "es2022",
      conditions: ["workerd", "worker", "browser"],
      mainFields: ["module", "main"],
      // ORT's Emscripten glue imports these only when it runs in Node.
      external: ["module", "worker_threads", "node:*"],
      define: {
        ORT_COLD_WARM: JSON.stringify(mode),
        ORT_COLD_ADD_B64: JSON.stringify(Buffer.from(add).toString("base64")),
        ORT_COLD_MINI_MODEL_B64: JSON.stringify(mode === "mini" ? miniModel : ""),
        ORT_COLD_MINI_DATA_B64: JSON.stringify(mode === "mini" ? miniData : ""),
      },
      plugins: [wasmAsModule],
      // The warm-up model the worker's ortRuntime.ts imports, as wrangler bundles it (Data rule).
      loader: { ".bin": "binary" },
      logLevel: "error",
    });
  }
  await writeFile(join(OUT, "worker-baseline.mjs"), 'export default { fetch() { return new Response("ok"); } };\n');
  await writeFile(
    join(OUT, "worker-wasm.mjs"),
    'import ortWasm from "./ort.wasm";\n' +
      "export default { fetch() { return new Response(String(WebAssembly.Module.exports(ortWasm).length)); } };\n",
  );
}

type Bundle = "baseline" | "wasm" | WarmMode;

interface IsolateSample {
  /** workerd spawned until it listens: its start, the script's compile and its module evaluation. */
  startupMs: number;
  /** The first request, seen from outside (the body upload included). */
  firstRequestMs: number;
  result: (ProbeResult & { warm?: { stateAtFirstRequest: string | null; error: string | null } }) | null;
  error: string | null;
}

const workerdPath = (createRequire(import.meta.url)("workerd") as { default: string }).default;

/** A workerd config serving one bundle on an ephemeral loopback port, ORT's wasm as a compiled module. */
function capnpConfig(bundle: Bundle, v8Flags: string[]): string {
  const modules = [`(name = "worker.mjs", esModule = embed "worker-${bundle}.mjs")`];
  if (bundle !== "baseline") modules.push('(name = "ort.wasm", wasm = embed "ort.wasm")');
  return `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    (name = "main", worker = .probe),
    (name = "net", network = (allow = ["local"])),
  ],
  sockets = [(name = "http", address = "127.0.0.1:0", http = (), service = "main")],
  v8Flags = [${v8Flags.map((f) => JSON.stringify(f)).join(", ")}],
);
const probe :Workerd.Worker = (
  modules = [${modules.join(", ")}],
  compatibilityDate = "2026-04-20",
  globalOutbound = "net",
);
`;
}

/**
 * One fresh workerd process (so one fresh isolate), the way Miniflare runs it minus Miniflare: Miniflare
 * itself adds some 300 ms to start-up with a 14 MB module in the config, which would hide the compile.
 */
async function isolate(
  bundle: Bundle,
  scenario: string | null,
  body: Uint8Array<ArrayBuffer> | null,
  v8Flags: string[] = [],
): Promise<IsolateSample> {
  const configPath = join(OUT, `config-${bundle}-${v8Flags.length}.capnp`);
  await writeFile(configPath, capnpConfig(bundle, v8Flags));
  const started = performance.now();
  const child = spawn(workerdPath, ["serve", configPath, "--control-fd=3"], {
    cwd: OUT,
    env: localEnv,
    stdio: ["ignore", "ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((done) => child.once("exit", () => done()));
  try {
    const control = child.stdio[3] as Readable;
    const port = await new Promise<number | null>((done) => {
      createInterface({ input: control }).on("line", (line) => {
        const event = JSON.parse(line) as { event?: string; port?: number };
        if (event.event === "listen" && event.port !== undefined) done(event.port);
      });
      void exited.then(() => done(null));
    });
    const startupMs = performance.now() - started;
    if (port === null) return { startupMs: NaN, firstRequestMs: NaN, result: null, error: stderr.trim() || "exited" };
    const sent = performance.now();
    const response =
      scenario === null
        ? await fetch(`http://127.0.0.1:${port}/ping`)
        : await fetch(`http://127.0.0.1:${port}/probe?scenario=${scenario}`, { method: "POST", body: body ?? "" });
    const text = await response.text();
    const firstRequestMs = performance.now() - sent;
    if (response.status !== 200) return { startupMs, firstRequestMs, result: null, error: text.slice(0, 500) };
    const result = scenario === null ? null : (JSON.parse(text) as IsolateSample["result"]);
    return { startupMs, firstRequestMs, result, error: null };
  } finally {
    child.kill("SIGTERM");
    await exited;
  }
}

// ---------------------------------------------------------------------------------------------------
// Node

async function nodeProcess(flags: string[], scenario: string, model: RealModel, addPath: string): Promise<ProbeResult> {
  const { stdout } = await run(
    process.execPath,
    [...flags, "--import", "tsx", "bench/ortColdNode.ts", scenario, model.onnx, model.data ?? "-", addPath],
    { env: localEnv, maxBuffer: 1 << 24 },
  );
  return JSON.parse(stdout.trim().split("\n").at(-1) ?? "{}") as ProbeResult;
}

// ---------------------------------------------------------------------------------------------------
// Configurations, interleaved round by round

interface Config {
  key: string;
  runtime: "workerd" | "node";
  label: string;
  sample(): Promise<IsolateSample>;
}

interface Collected {
  config: Config;
  samples: IsolateSample[];
}

const names = await exportNames();
const add = addGraph();
const addPath = join(OUT, "add.onnx");
await mkdir(OUT, { recursive: true });
await writeFile(addPath, add);
const sample = DATASETS.find((d) => d.name === "sample");
const fifty = DATASETS.find((d) => d.name === "50k");
if (!sample || !fifty) throw new Error("bench/datasets.ts lost the sample or the 50k dataset");
const models = [await realModel(sample), await realModel(fifty)];
// The miniature scoring graph for the "mini" warm-up: a 200-item synthetic shop, trained like the others.
const mini = await realModel({
  name: "ort-cold-mini",
  orders: join("bench", "out", "ort-cold", "mini-data", "orders.csv.gz"),
  catalog: join("bench", "out", "ort-cold", "mini-data", "catalog.csv.gz"),
  currency: "USD",
  synthItems: 200,
});
const [sampleModel, model50k] = models as [RealModel, RealModel];
const bodies = new Map<string, Uint8Array<ArrayBuffer>>();
for (const m of models) bodies.set(m.name, await probeBody(m));
log(`building the probe workers into ${OUT}`);
await buildWorkers(add, mini);

function workerd(
  key: string,
  label: string,
  bundle: Bundle,
  scenario: string | null,
  { model = sampleModel, v8Flags = [] as string[] } = {},
): Config {
  return {
    key,
    runtime: "workerd",
    label,
    sample: () => isolate(bundle, scenario, scenario === null ? null : (bodies.get(model.name) ?? null), v8Flags),
  };
}

function node(key: string, label: string, scenario: string, flags: string[] = [], model = sampleModel): Config {
  return {
    key,
    runtime: "node",
    label,
    async sample() {
      const started = performance.now();
      const result = await nodeProcess(flags, scenario, model, addPath);
      return { startupMs: NaN, firstRequestMs: performance.now() - started, result, error: null };
    },
  };
}

// A KV-like read for the overlap scenarios: this process answers the sample's blobs after a fixed delay.
const READ_DELAY_MS = 100;
const readServer = createServer((_request, response) => {
  setTimeout(() => response.end(bodies.get(sampleModel.name)), READ_DELAY_MS);
});
await new Promise<void>((done) => readServer.listen(0, "127.0.0.1", done));
const readUrl = `http://127.0.0.1:${(readServer.address() as AddressInfo).port}/blob`;
const readScenario = (name: string) => `${name}&url=${encodeURIComponent(readUrl)}`;

const configs: Config[] = [
  workerd("wd.start.baseline", "workerd start, worker without ORT", "baseline", null),
  workerd("wd.start.wasm", "workerd start, ORT's .wasm imported only", "wasm", null),
  workerd("wd.app", "workerd, today's path (ortRuntime.createOrtSession)", "none", "app"),
  workerd("wd.real-all", "workerd, first session real graph, all", "none", "real-all"),
  workerd("wd.real-basic", "workerd, first session real graph, basic", "none", "real-basic"),
  workerd("wd.real-disabled", "workerd, first session real graph, disabled", "none", "real-disabled"),
  workerd("wd.add-first", "workerd, first session Add graph", "none", "add-first"),
  workerd("wd.warm-promise", "workerd, ORT started at module scope (promise)", "promise", "warm"),
  workerd("wd.warm-tla", "workerd, ORT started at module scope (top-level await)", "tla", "warm"),
  workerd("wd.warm-mini", "workerd, ORT started at module scope with a mini scoring graph", "mini", "warm"),
  workerd("wd.read-alone", "workerd, a KV-like read alone", "none", readScenario("read-alone")),
  workerd("wd.read-none", "workerd, ORT's start alone", "none", readScenario("read-none")),
  workerd(
    "wd.read-then-ort",
    "workerd, the read, then ORT's start (today's order)",
    "none",
    readScenario("read-then-ort"),
  ),
  workerd("wd.read-with-ort", "workerd, the read and ORT's start together", "none", readScenario("read-with-ort")),
  workerd(
    "wd.read-yield-ort",
    "workerd, the read, one event-loop turn, then ORT's start",
    "none",
    readScenario("read-yield-ort"),
  ),
  workerd("wd.50k.real-all", "workerd, 50k model, first session real graph, all", "none", "real-all", {
    model: model50k,
  }),
  workerd("wd.eager.start.wasm", "workerd --no-wasm-lazy-compilation, start, .wasm only", "wasm", null, {
    v8Flags: ["--no-wasm-lazy-compilation"],
  }),
  workerd("wd.eager.real-all", "workerd --no-wasm-lazy-compilation, real graph, all", "none", "real-all", {
    v8Flags: ["--no-wasm-lazy-compilation"],
  }),
  node("node.real-all", "node, first session real graph, all", "real-all"),
  node("node.real-basic", "node, first session real graph, basic", "real-basic"),
  node("node.real-disabled", "node, first session real graph, disabled", "real-disabled"),
  node("node.add-first", "node, first session Add graph", "add-first"),
  node("node.50k.real-all", "node, 50k model, first session real graph, all", "real-all", [], model50k),
  node("node.eager.real-all", "node --no-wasm-lazy-compilation, real graph, all", "real-all", [
    "--no-wasm-lazy-compilation",
  ]),
  node("node.eager.add-first", "node --no-wasm-lazy-compilation, Add graph first", "add-first", [
    "--no-wasm-lazy-compilation",
  ]),
];

const collected: Collected[] = configs.map((config) => ({ config, samples: [] }));
log(`${configs.length} configurations × ${RUNS} fresh isolates/processes, interleaved; ${cpus().length} CPUs`);
for (let round = 0; round < RUNS; round++) {
  for (const entry of collected) {
    const s = await entry.config.sample();
    if (s.error !== null) log(`  ${entry.config.key}: ${s.error.split("\n")[0]}`);
    entry.samples.push(s);
  }
  log(`  round ${round + 1}/${RUNS} done`);
}

// ---------------------------------------------------------------------------------------------------
// Summaries

interface Stat {
  median: number;
  min: number;
  max: number;
}

function stat(xs: number[]): Stat {
  const ok = xs.filter((x) => Number.isFinite(x));
  return { median: r1(median(ok)), min: r1(Math.min(...ok)), max: r1(Math.max(...ok)) };
}

const fmt = (s: Stat | undefined) =>
  s === undefined || !Number.isFinite(s.median)
    ? "–"
    : `${s.median.toFixed(1)} (${s.min.toFixed(1)}–${s.max.toFixed(1)})`;

function results(key: string): ProbeResult[] {
  return (collected.find((c) => c.config.key === key)?.samples ?? []).flatMap((s) => (s.result ? [s.result] : []));
}

function stepStat(key: string, match: (name: string) => boolean): Stat | undefined {
  const xs = results(key).flatMap((r) => r.steps.filter((s) => match(s.name)).map((s) => s.ms));
  return xs.length === 0 ? undefined : stat(xs);
}

/** The first session of a scenario split by where its time went. */
interface Breakdown {
  total: Stat;
  instantiate: Stat;
  ctors: Stat;
  ortInit: Stat;
  createSession: Stat;
  otherWasm: Stat;
  js: Stat;
}

function wasmMs(step: Step, name: string): number {
  return Object.entries(step.wasm)
    .filter(([k]) => names.get(k) === name)
    .reduce((sum, [, v]) => sum + v.ms, 0);
}

function breakdown(key: string, stepPrefix: string): Breakdown | undefined {
  const rows = results(key).flatMap((r) => {
    const step = r.steps.find((s) => s.name.startsWith(stepPrefix));
    if (!step) return [];
    const allWasm = Object.values(step.wasm).reduce((sum, v) => sum + v.ms, 0);
    const ctors = wasmMs(step, "__wasm_call_ctors");
    const ortInit = wasmMs(step, "OrtInit");
    const createSession = wasmMs(step, "OrtCreateSession");
    const instantiate = r.instantiateMs ?? 0;
    return [
      {
        total: step.ms,
        instantiate,
        ctors,
        ortInit,
        createSession,
        otherWasm: allWasm - ctors - ortInit - createSession,
        js: step.ms - allWasm - instantiate,
      },
    ];
  });
  if (rows.length === 0) return undefined;
  const pick = (f: (row: (typeof rows)[number]) => number) => stat(rows.map(f));
  return {
    total: pick((x) => x.total),
    instantiate: pick((x) => x.instantiate),
    ctors: pick((x) => x.ctors),
    ortInit: pick((x) => x.ortInit),
    createSession: pick((x) => x.createSession),
    otherWasm: pick((x) => x.otherWasm),
    js: pick((x) => x.js),
  };
}

function startup(key: string): Stat {
  return stat((collected.find((c) => c.config.key === key)?.samples ?? []).map((s) => s.startupMs));
}

function firstRequest(key: string): Stat {
  return stat((collected.find((c) => c.config.key === key)?.samples ?? []).map((s) => s.firstRequestMs));
}

const table = (title: string, header: string[], rows: string[][]) => {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? "").length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(" | ")} |`;
  log(`\n${title}`);
  log(line(header));
  log(`|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`);
  for (const row of rows) log(line(row));
};

// Startup.
const startupKeys: [string, string][] = [
  ["wd.start.baseline", "worker without ORT"],
  ["wd.start.wasm", "+ ORT's 14 MB .wasm as CompiledWasm (compiled at load)"],
  ["wd.real-all", "+ ORT's JS (today's worker shape)"],
  ["wd.warm-promise", "+ ORT started at module scope, promise"],
  ["wd.warm-tla", "+ ORT started at module scope, top-level await"],
  ["wd.warm-mini", "+ ORT started at module scope with a mini scoring graph, promise"],
  ["wd.eager.start.wasm", "ORT's .wasm only, --no-wasm-lazy-compilation"],
];
table(
  `workerd start-up: spawn → listening, ms, median (min–max) of ${RUNS} fresh processes`,
  ["worker", "start-up ms"],
  startupKeys.map(([key, label]) => [label, fmt(startup(key))]),
);

// First-session breakdowns.
const firstKeys: [string, string][] = [
  ["wd.app", "first session: real graph, all (ortRuntime"],
  ["wd.real-all", "first session: real graph, all"],
  ["wd.real-basic", "first session: real graph, basic"],
  ["wd.real-disabled", "first session: real graph, disabled"],
  ["wd.add-first", "first session: Add graph"],
  ["wd.50k.real-all", "first session: real graph, all"],
  ["wd.warm-promise", "first session: real graph, all"],
  ["wd.warm-tla", "first session: real graph, all"],
  ["wd.warm-mini", "first session: real graph, all"],
  ["wd.eager.real-all", "first session: real graph, all"],
  ["node.real-all", "first session: real graph, all"],
  ["node.real-basic", "first session: real graph, basic"],
  ["node.real-disabled", "first session: real graph, disabled"],
  ["node.add-first", "first session: Add graph"],
  ["node.50k.real-all", "first session: real graph, all"],
  ["node.eager.real-all", "first session: real graph, all"],
  ["node.eager.add-first", "first session: Add graph"],
];
const label = (key: string) => configs.find((c) => c.key === key)?.label ?? key;
const breakdowns = new Map(firstKeys.map(([key, prefix]) => [key, breakdown(key, prefix)]));
table(
  "The isolate's first InferenceSession.create, ms, median (min–max): where it goes",
  ["configuration", "total", "instantiate", "ctors", "OrtInit", "OrtCreateSession", "other wasm", "JS"],
  firstKeys.map(([key]) => {
    const b = breakdowns.get(key);
    return [
      label(key),
      fmt(b?.total),
      fmt(b?.instantiate),
      fmt(b?.ctors),
      fmt(b?.ortInit),
      fmt(b?.createSession),
      fmt(b?.otherWasm),
      fmt(b?.js),
    ];
  }),
);

// Later sessions and runs.
const laterKeys = [
  "wd.app",
  "wd.real-all",
  "wd.add-first",
  "wd.warm-promise",
  "wd.warm-mini",
  "wd.50k.real-all",
  "wd.eager.real-all",
  "node.real-all",
  "node.add-first",
  "node.eager.real-all",
];
const startsWith = (prefix: string) => (name: string) => name.startsWith(prefix);
table(
  "After the first session, ms, median (min–max)",
  [
    "configuration",
    "2nd Add session",
    "real: disabled",
    "real: basic",
    "real: all",
    "first run()",
    "later run()",
    "1st run, other session",
  ],
  laterKeys.map((key) => [
    label(key),
    fmt(stepStat(key, startsWith("second session: Add"))),
    fmt(stepStat(key, startsWith("later session: real graph, disabled"))),
    fmt(stepStat(key, startsWith("later session: real graph, basic"))),
    fmt(stepStat(key, startsWith("later session: real graph, all"))),
    fmt(stepStat(key, startsWith("real graph (all): first run"))),
    fmt(stepStat(key, startsWith("real graph (all): later run"))),
    fmt(stepStat(key, startsWith("real graph: first run of another session"))),
  ]),
);

// Module-scope warm-up.
const warmStates = (key: string) =>
  (collected.find((c) => c.config.key === key)?.samples ?? []).map(
    (s) => s.error ?? s.result?.warm?.stateAtFirstRequest,
  );
/** performance.now() as the module-scope warm-up saw it start and end (workerd may hold its clock there). */
const warmClock = (key: string) =>
  results(key).map((r) => {
    const warm = (r as { warm?: { startedAt: number | null; endedAt: number | null } }).warm;
    return [warm?.startedAt ?? null, warm?.endedAt ?? null];
  });
const requestPath = (key: string, prefix: string) => {
  const xs = results(key).map((r) =>
    r.steps
      .filter((s) => s.name.startsWith(prefix) || s.name.startsWith("real graph (all): first run"))
      .reduce((sum, s) => sum + s.ms, 0),
  );
  return stat(xs);
};
table(
  "Request path in a fresh isolate: first real-graph session (all) + its first run, ms",
  ["configuration", "session + first run", "first request (outside)", "warm-up state at the request"],
  [
    ["wd.real-all", "first session: real graph, all"],
    ["wd.warm-promise", "first session: real graph, all"],
    ["wd.warm-tla", "first session: real graph, all"],
    ["wd.warm-mini", "first session: real graph, all"],
  ].map(([key = "", prefix = ""]) => [
    label(key),
    fmt(requestPath(key, prefix)),
    fmt(firstRequest(key)),
    [...new Set(warmStates(key).map(String))].join(", "),
  ]),
);

const overlapKeys = ["wd.read-alone", "wd.read-none", "wd.read-then-ort", "wd.read-with-ort", "wd.read-yield-ort"];
table(
  `ORT's start (configure + an Add-graph session) and a KV-like read (answered after ${READ_DELAY_MS} ms, ${(
    (bodies.get(sampleModel.name)?.byteLength ?? 0) / 1e6
  ).toFixed(1)} MB), ms`,
  ["configuration", "wall"],
  overlapKeys.map((key) => [label(key), fmt(stepStat(key, () => true))]),
);
readServer.close();

const plain = (s: Stat | undefined) => (s === undefined ? null : s.median);
const plainBreakdown = (b: Breakdown | undefined) =>
  b === undefined ? null : Object.fromEntries(Object.entries(b).map(([k, v]) => [k, v.median]));
const nodeCompile = stat(results("node.real-all").map((r) => (r as { compileMs?: number }).compileMs ?? NaN));
const nodeEagerCompile = stat(
  results("node.eager.real-all").map((r) => (r as { compileMs?: number }).compileMs ?? NaN),
);
log(
  `\nnode: new WebAssembly.Module(14 MB) ${fmt(nodeCompile)} ms lazy, ${fmt(nodeEagerCompile)} ms with --no-wasm-lazy-compilation`,
);

const figures = {
  runs: RUNS,
  cpus: cpus().length,
  models: Object.fromEntries(models.map((m) => [m.name, m.items])),
  workerdStartupMs: Object.fromEntries(
    startupKeys.map(([key]) => [key.replace(/^wd\.(start\.)?/, ""), plain(startup(key))]),
  ),
  firstSessionMs: Object.fromEntries(firstKeys.map(([key]) => [key, plainBreakdown(breakdowns.get(key))])),
  laterMs: Object.fromEntries(
    laterKeys.map((key) => [
      key,
      {
        addSecond: plain(stepStat(key, startsWith("second session: Add"))),
        realDisabled: plain(stepStat(key, startsWith("later session: real graph, disabled"))),
        realBasic: plain(stepStat(key, startsWith("later session: real graph, basic"))),
        realAll: plain(stepStat(key, startsWith("later session: real graph, all"))),
        firstRun: plain(stepStat(key, startsWith("real graph (all): first run"))),
        laterRun: plain(stepStat(key, startsWith("real graph (all): later run"))),
      },
    ]),
  ),
  warmRequestPathMs: {
    none: plain(requestPath("wd.real-all", "first session: real graph, all")),
    promise: plain(requestPath("wd.warm-promise", "first session: real graph, all")),
    tla: plain(requestPath("wd.warm-tla", "first session: real graph, all")),
    mini: plain(requestPath("wd.warm-mini", "first session: real graph, all")),
  },
  warmStateAtRequest: {
    promise: warmStates("wd.warm-promise"),
    tla: warmStates("wd.warm-tla"),
    mini: warmStates("wd.warm-mini"),
  },
  warmClockAtModuleScope: { promise: warmClock("wd.warm-promise"), tla: warmClock("wd.warm-tla") },
  overlapMs: Object.fromEntries(overlapKeys.map((key) => [key.slice(3), plain(stepStat(key, () => true))])),
  nodeCompileMs: { lazy: plain(nodeCompile), eager: plain(nodeEagerCompile) },
};
process.stdout.write(`${JSON.stringify(figures)}\n`);

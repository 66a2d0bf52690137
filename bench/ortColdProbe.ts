/**
 * The measuring half of `npm run bench:ort-cold`, shared by the workerd worker (bench/ortColdWorker.ts)
 * and the Node child (bench/ortColdNode.ts): one fresh isolate or process runs one scenario, a fixed
 * sequence of ORT steps, and reports each step's wall time. Every call from JS into ORT's wasm exports
 * is timed too (by wrapping the instance's exports), so the first session splits into: instantiating
 * the compiled module, Emscripten's static constructors, OrtInit, OrtCreateSession, the other exports,
 * and the JS between them.
 *
 * ORT is started the way worker/ort/ortRuntime.ts starts it (one thread, no proxy, a one-byte
 * placeholder wasmBinary, a one-shot WebAssembly.instantiate shim that answers with the precompiled
 * module) and sessions get the options createOrtSession gives them, the optimisation level aside.
 */
import type * as Ort from "onnxruntime-web/wasm";
import { decodeTables } from "../models/tablesBlob.js";
import { rowFeeds, tableRows } from "../worker/model/rowFeeds.js";
import { isPlaceholder, setWorkerOrtEnv } from "../worker/ort/ortEnv.js";

type OrtModule = typeof Ort;
export type Level = "disabled" | "basic" | "all";

export interface ProbeModels {
  /** One Add node over two float [1] inputs: the smallest graph ORT will make a session of. */
  add: Uint8Array;
  /** A sidecart scoring graph and its version's tables.bin, which the feeds are gathered from. */
  real: { model: Uint8Array; tables: Uint8Array };
}

export interface WasmCall {
  ms: number;
  calls: number;
}

export interface Step {
  name: string;
  ms: number;
  /** Time inside ORT's wasm exports during the step, by export name (minified; see exportNames()). */
  wasm: Record<string, WasmCall>;
}

export interface ProbeResult {
  scenario: string;
  steps: Step[];
  /** Instantiating the compiled module (WebAssembly.instantiate(module, imports)), when this isolate did it. */
  instantiateMs: number | null;
  /** ORT's wasm memory after the scenario. */
  wasmMemoryBytes: number | null;
  notes: string[];
}

/** Scenarios a fresh isolate or process can run; "app" and "warm" exist in the worker only. */
export const SCENARIOS = ["real-all", "real-basic", "real-disabled", "add-first"] as const;
export type Scenario = (typeof SCENARIOS)[number];

const RUNS = 20;

let activeWasm: Record<string, WasmCall> = {};
let depth = 0;
let instantiateMs: number | null = null;
let memory: WebAssembly.Memory | null = null;
let probedModule: WebAssembly.Module | null = null;

/** The instance's exports with every function timed while it is the outermost call into wasm. */
function timedExports(instance: WebAssembly.Instance): WebAssembly.Exports {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(instance.exports)) {
    if (value instanceof WebAssembly.Memory) memory = value;
    if (typeof value !== "function") {
      out[name] = value;
      continue;
    }
    const fn = value as (...args: unknown[]) => unknown;
    out[name] = (...args: unknown[]) => {
      if (depth++ > 0) {
        try {
          return fn(...args);
        } finally {
          depth--;
        }
      }
      const started = performance.now();
      try {
        return fn(...args);
      } finally {
        depth--;
        const entry = (activeWasm[name] ??= { ms: 0, calls: 0 });
        entry.ms += performance.now() - started;
        entry.calls++;
      }
    };
  }
  return out as WebAssembly.Exports;
}

/**
 * Wraps WebAssembly.instantiate for good: instantiating `module` (the compiled ORT wasm) is timed and
 * answered with an instance whose exports are timed. Must run before ORT (or ortRuntime's shim, which
 * captures WebAssembly.instantiate when it is installed) first instantiates.
 */
export function watchInstantiate(module: WebAssembly.Module): void {
  probedModule = module;
  const original = WebAssembly.instantiate.bind(WebAssembly);
  const watcher = async (source: BufferSource | WebAssembly.Module, imports?: WebAssembly.Imports) => {
    if (source !== probedModule) return original(source, imports);
    for (const value of Object.values(imports ?? {}).flatMap((m) => Object.values(m))) {
      if (value instanceof WebAssembly.Memory) memory = value;
    }
    const started = performance.now();
    const instance = await original(source, imports);
    instantiateMs = performance.now() - started;
    // A plain object is enough: Emscripten only reads `.exports`.
    return { exports: timedExports(instance) } as WebAssembly.Instance;
  };
  WebAssembly.instantiate = watcher as typeof WebAssembly.instantiate;
}

let configured = false;

/** What ortRuntime's configure() does, with the module this isolate holds. */
export function configureOrt(ort: OrtModule, module: WebAssembly.Module): void {
  if (configured) return;
  configured = true;
  setWorkerOrtEnv(ort.env);
  const previous = WebAssembly.instantiate;
  const shim = async (source: BufferSource | WebAssembly.Module, imports?: WebAssembly.Imports) => {
    if (!isPlaceholder(source)) return previous(source, imports);
    WebAssembly.instantiate = previous;
    const instance = await previous(module, imports);
    return { instance, module };
  };
  WebAssembly.instantiate = shim as typeof WebAssembly.instantiate;
}

export function createSession(ort: OrtModule, model: Uint8Array, level: Level): Promise<Ort.InferenceSession> {
  return ort.InferenceSession.create(model, {
    executionProviders: ["wasm"],
    graphOptimizationLevel: level,
    logSeverityLevel: 3,
  });
}

/**
 * Scorer.run's feeds for a single anchor (catalog index 0), top 10, gathered from the tables as the
 * worker gathers them; re-made with this probe's ORT, which may be another instance than rowFeeds'.
 */
export function realFeeds(ort: OrtModule, tables: Uint8Array): Record<string, Ort.Tensor> {
  const request = { basket: [0], weights: [1], topK: 10, compare: [], compareAnchors: [] };
  const prepared = rowFeeds(tableRows(decodeTables(tables)), request, false);
  if (prepared === null) throw new Error("whole tables always have every row");
  const { feeds } = prepared;
  return Object.fromEntries(
    Object.entries(feeds).map(([name, t]) => [name, new ort.Tensor(t.type, t.data, t.dims)] as const),
  );
}

export function addFeeds(ort: OrtModule): Record<string, Ort.Tensor> {
  return {
    a: new ort.Tensor("float32", Float32Array.from([1]), [1]),
    b: new ort.Tensor("float32", Float32Array.from([2]), [1]),
  };
}

/** Records steps; each step's wasm time is what the timed exports saw while it ran. */
export class Recorder {
  readonly steps: Step[] = [];
  readonly notes: string[] = [];

  async step<T>(name: string, work: () => Promise<T> | T): Promise<T> {
    activeWasm = {};
    const started = performance.now();
    const result = await work();
    this.steps.push({ name, ms: performance.now() - started, wasm: activeWasm });
    activeWasm = {};
    return result;
  }

  /** `first run`, then the median of RUNS more as `run (median of 20)`. */
  async runs(
    prefix: string,
    session: Pick<Ort.InferenceSession, "run">,
    feeds: Record<string, Ort.Tensor>,
  ): Promise<void> {
    await this.step(`${prefix}: first run`, () => session.run(feeds));
    const times: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const started = performance.now();
      await session.run(feeds);
      times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    this.steps.push({ name: `${prefix}: later run (median of ${RUNS})`, ms: times[RUNS >> 1] ?? NaN, wasm: {} });
  }

  result(scenario: string): ProbeResult {
    return {
      scenario,
      steps: this.steps,
      instantiateMs,
      wasmMemoryBytes: memory?.buffer.byteLength ?? null,
      notes: this.notes,
    };
  }
}

const LEVELS: Level[] = ["disabled", "basic", "all"];

/**
 * One scenario in a fresh isolate: the first session (of the real graph at one level, or of the Add
 * graph), then later sessions of the real graph at every level, then its runs.
 */
export async function runScenario(
  ort: OrtModule,
  module: WebAssembly.Module,
  models: ProbeModels,
  scenario: Scenario,
  recorder = new Recorder(),
): Promise<ProbeResult> {
  const { model, tables } = models.real;
  await recorder.step("configure (env + shim)", () => configureOrt(ort, module));
  if (scenario === "add-first") {
    const add = await recorder.step("first session: Add graph, all", () => createSession(ort, models.add, "all"));
    await recorder.runs("Add", add, addFeeds(ort));
    await recorder.step("second session: Add graph, all", () => createSession(ort, models.add, "all"));
  }
  const first =
    scenario === "add-first"
      ? null
      : await recorder.step(`first session: real graph, ${scenario.slice("real-".length)}`, () =>
          createSession(ort, model, scenario.slice("real-".length) as Level),
        );
  let last: Ort.InferenceSession | null = null;
  for (const level of LEVELS) {
    last = await recorder.step(`later session: real graph, ${level}`, () => createSession(ort, model, level));
  }
  if (last !== null) await recorder.runs("real graph (all)", last, realFeeds(ort, tables));
  if (first !== null)
    await recorder.step("real graph: first run of another session", () => first.run(realFeeds(ort, tables)));
  return recorder.result(scenario);
}

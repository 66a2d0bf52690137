import * as ort from "onnxruntime-web/wasm";
import ortWasm from "onnxruntime-web/ort-wasm-simd-threaded.wasm";
import { rowFeeds, tableRows } from "../model/rowFeeds.js";
import { isPlaceholder, setWorkerOrtEnv } from "./ortEnv.js";
import { warmupRows } from "./warmupRows.js";
import { graphIdentity, sameBytes } from "./graphIdentity.js";
import warmupModel from "./warmupModel.onnx.bin";

function installInstantiateShim(): void {
  const original = WebAssembly.instantiate.bind(WebAssembly);
  const shim = async (source: BufferSource | WebAssembly.Module, imports?: WebAssembly.Imports) => {
    // Only ORT's placeholder is swapped for the precompiled ORT module; any other wasm that loads
    // meanwhile (a CJS lexer in the test runner, say) must get its own module, or it runs ORT's code.
    if (!isPlaceholder(source)) return original(source, imports);
    WebAssembly.instantiate = original;
    const started = performance.now();
    const instance = await original(ortWasm, imports);
    runtimeStartMs = performance.now() - started;
    // Emscripten either exports its memory or imports it from env: look in both.
    const candidates = [
      ...Object.values(instance.exports),
      ...Object.values(imports ?? {}).flatMap((module) => Object.values(module)),
    ];
    const memory = candidates.find((value): value is WebAssembly.Memory => value instanceof WebAssembly.Memory);
    if (memory) ortMemory = memory;
    return { instance, module: ortWasm };
  };
  WebAssembly.instantiate = shim as typeof WebAssembly.instantiate;
}

let configured = false;
let runtimeStartMs: number | null = null;
let ortMemory: WebAssembly.Memory | null = null;

/** Bytes of ORT's wasm memory: it grows with every model loaded and never shrinks. */
export function ortMemoryBytes(): number | null {
  return ortMemory?.buffer.byteLength ?? null;
}

/** How long instantiating ORT's wasm took in this isolate (null until the first session). */
export function ortStartMs(): number | null {
  return runtimeStartMs;
}

function configure(): void {
  if (configured) return;
  configured = true;
  setWorkerOrtEnv(ort.env);
  installInstantiateShim();
}

const sessionOptions: ort.InferenceSession.SessionOptions = {
  executionProviders: ["wasm"],
  graphOptimizationLevel: "all",
  // Warnings are about the graph's own optimisation (a Cast folded away, say), not about serving.
  logSeverityLevel: 3,
};

let warmup: Promise<void> | null = null;
let warmupDone = false;
let warmupError: string | null = null;

/**
 * Starts ORT and runs the scoring graph once (scripts/warmupModel.ts) on rows of made-up tables, so that the
 * isolate's first real session does not pay ORT's first use: its environment and operator registry,
 * its first session, and the graph's kernels on first run, ~300 ms of the ~325 ms a first answer spent
 * creating and running its session (bench:ort-cold: 16 ms left after this warm-up). No I/O, so it may
 * run at module scope, where workerd finishes it while starting the isolate. Never rejects: a failure
 * is kept for /healthz, and the real session then simply pays the first use itself.
 */
export function startOrt(): Promise<void> {
  warmup ??= (async () => {
    configure();
    try {
      const bytes = new Uint8Array(warmupModel);
      const session = await ort.InferenceSession.create(bytes, sessionOptions);
      const request = { basket: [0], weights: [1], topK: 8, compare: [1, 2], compareAnchors: [0, 0] };
      const prepared = rowFeeds(tableRows(warmupRows()), request, false);
      if (prepared === null) throw new Error("the warm-up's rows are incomplete");
      await session.run(prepared.feeds);
      // Kept: a version trained with the default knobs has this very graph, and then needs no session of its own.
      const identity = graphIdentity(bytes);
      if (identity !== null) warm = { session: new OrtSession(session, true), identity };
      else await session.release();
      warmupDone = true;
    } catch (error) {
      warmupError = error instanceof Error ? error.message : String(error);
    }
  })();
  return warmup;
}

/** How ORT's start-up went: "pending" until the warm-up ends, then "done" or "failed" with why. */
export function ortWarmup(): { state: "pending" | "done" | "failed"; error: string | null } {
  if (warmupError !== null) return { state: "failed", error: warmupError };
  return { state: warmupDone ? "done" : "pending", error: null };
}

/**
 * An ORT session and the turns its runs take: ORT's web binding is not safe for overlapping run()
 * calls on one session, and one session may serve several versions (the warm-up's, shared).
 */
export class OrtSession {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly session: ort.InferenceSession,
    /** The warm-up's session, serving every version with its graph: never released. */
    readonly shared: boolean,
  ) {}

  get inputNames(): readonly string[] {
    return this.session.inputNames;
  }

  get outputNames(): readonly string[] {
    return this.session.outputNames;
  }

  run(feeds: Record<string, ort.Tensor>): Promise<ort.InferenceSession.ReturnType> {
    const run = this.queue.then(() => this.session.run(feeds));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Frees the session's wasm memory once the runs already queued have finished (a shared one stays). */
  release(): void {
    if (this.shared) return;
    this.queue = this.queue.then(() => this.session.release()).catch(() => undefined);
  }
}

let warm: { session: OrtSession; identity: Uint8Array } | null = null;

/**
 * A session for model bytes, after ORT's warm-up (started at module scope by worker/index.ts, or
 * here): the warm-up's own session when the graph is the same (a version trained with the default
 * knobs), so a cold isolate's first model creates no session at all (14 ms in workerd, 60 in
 * Miniflare, which drops V8's compiled wasm code when its other workers load); else a new one.
 */
export async function createOrtSession(model: Uint8Array): Promise<OrtSession> {
  await startOrt();
  const identity = warm === null ? null : graphIdentity(model);
  if (warm !== null && identity !== null && sameBytes(identity, warm.identity)) return warm.session;
  return new OrtSession(await ort.InferenceSession.create(model, sessionOptions), false);
}

export { ort };

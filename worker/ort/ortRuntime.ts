import * as ort from "onnxruntime-web/wasm";
import ortWasm from "onnxruntime-web/ort-wasm-simd-threaded.wasm";
import { GraphInput, MODEL_DATA_LOCATION } from "../../models/contract.js";
import { isPlaceholder, setWorkerOrtEnv } from "./ortEnv.js";
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

const sessionOptions = (data: Uint8Array | null): ort.InferenceSession.SessionOptions => ({
  executionProviders: ["wasm"],
  graphOptimizationLevel: "all",
  // Warnings are about the graph's own optimisation (a Cast folded away, say), not about serving.
  logSeverityLevel: 3,
  ...(data === null ? {} : { externalData: [{ path: MODEL_DATA_LOCATION, data }] }),
});

let warmup: Promise<void> | null = null;
let warmupDone = false;
let warmupError: string | null = null;

/**
 * Starts ORT and runs the scoring graph once on a 200-item model (scripts/warmupModel.ts), so that the
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
      const session = await ort.InferenceSession.create(new Uint8Array(warmupModel), sessionOptions(null));
      const ids = (values: number[]) => new ort.Tensor("int64", BigInt64Array.from(values, BigInt), [values.length]);
      await session.run({
        [GraphInput.basketItems]: ids([0]),
        [GraphInput.basketWeights]: new ort.Tensor("float32", Float32Array.from([1]), [1]),
        [GraphInput.topK]: ids([8]),
        [GraphInput.candidateItems]: ids([1, 2]),
        [GraphInput.candidateAnchors]: ids([0, 0]),
      });
      await session.release();
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
 * An ORT session over model bytes and, when the model keeps its tables outside, their external data;
 * after ORT's warm-up (started at module scope by worker/index.ts, or here by the first session).
 */
export async function createOrtSession(model: Uint8Array, data: Uint8Array | null): Promise<ort.InferenceSession> {
  await startOrt();
  return ort.InferenceSession.create(model, sessionOptions(data));
}

export { ort };

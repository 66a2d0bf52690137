import * as ort from "onnxruntime-web/wasm";
import ortWasm from "onnxruntime-web/ort-wasm-simd-threaded.wasm";
import { MODEL_DATA_LOCATION } from "../../models/contract.js";

/**
 * workerd forbids compiling wasm from bytes at run time, and ORT 1.30 cannot be handed a compiled
 * module. So: a one-byte placeholder makes ORT take its embedded Emscripten factory (no URL or
 * fetch), and a one-shot shim answers the single WebAssembly.instantiate(bytes) call it then makes
 * with the module wrangler precompiled at deploy (wrangler's CompiledWasm rule turns the .wasm import
 * into a WebAssembly.Module). import.meta.url is undefined in wrangler dev, so ORT could not locate a
 * .wasm file by URL either.
 */
const PLACEHOLDER = new Uint8Array([0]);

/** Whether a WebAssembly.instantiate source is ORT's one-byte placeholder (and nothing else's wasm). */
function isPlaceholder(source: unknown): boolean {
  const bytes =
    source instanceof ArrayBuffer
      ? new Uint8Array(source)
      : ArrayBuffer.isView(source)
        ? new Uint8Array(source.buffer, source.byteOffset, source.byteLength)
        : null;
  return bytes !== null && bytes.byteLength === 1 && bytes[0] === 0;
}

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
  ort.env.wasm.numThreads = 1;
  ort.env.wasm.proxy = false;
  ort.env.wasm.wasmBinary = PLACEHOLDER;
  ort.env.logLevel = "error";
  installInstantiateShim();
}

/**
 * An ORT session over model bytes and, when the model keeps its tables outside, their external data;
 * ORT's runtime starts with the first session of the isolate.
 */
export async function createOrtSession(model: Uint8Array, data: Uint8Array | null): Promise<ort.InferenceSession> {
  configure();
  return ort.InferenceSession.create(model, {
    executionProviders: ["wasm"],
    graphOptimizationLevel: "all",
    // Warnings are about the graph's own optimisation (a Cast folded away, say), not about serving.
    logSeverityLevel: 3,
    ...(data === null ? {} : { externalData: [{ path: MODEL_DATA_LOCATION, data }] }),
  });
}

export { ort };

import * as ort from "onnxruntime-web/wasm";
import ortWasm from "onnxruntime-web/ort-wasm-simd-threaded.wasm";

/**
 * workerd forbids compiling wasm from bytes at run time, and ORT 1.30 cannot be handed a compiled
 * module. So: a one-byte placeholder makes ORT take its embedded Emscripten factory (no URL or
 * fetch), and a one-shot shim answers the single WebAssembly.instantiate(bytes) call it then makes
 * with the module wrangler precompiled at deploy. See ../shared/notes/ort-in-workerd.md.
 */
function installInstantiateShim(): void {
  const original = WebAssembly.instantiate.bind(WebAssembly);
  const shim = async (source: BufferSource | WebAssembly.Module, imports?: WebAssembly.Imports) => {
    if (source instanceof WebAssembly.Module) return original(source, imports);
    WebAssembly.instantiate = original;
    const instance = await original(ortWasm, imports);
    return { instance, module: ortWasm };
  };
  WebAssembly.instantiate = shim as typeof WebAssembly.instantiate;
}

let configured = false;

function configure(): void {
  if (configured) return;
  configured = true;
  ort.env.wasm.numThreads = 1;
  ort.env.wasm.proxy = false;
  ort.env.wasm.wasmBinary = new Uint8Array([0]);
  ort.env.logLevel = "error";
  installInstantiateShim();
}

/** An ORT session over model bytes; ORT's runtime starts with the first session of the isolate. */
export async function createOrtSession(model: Uint8Array): Promise<ort.InferenceSession> {
  configure();
  return ort.InferenceSession.create(model, {
    executionProviders: ["wasm"],
    graphOptimizationLevel: "all",
    // Lets ORT fold DequantizeLinear(int8 table) once at load instead of on every run.
    extra: { session: { disable_quant_qdq: "1" } },
  });
}

export { ort };

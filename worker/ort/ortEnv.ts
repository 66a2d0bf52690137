import type { env as ortEnv } from "onnxruntime-web/wasm";

type Env = typeof ortEnv;

/**
 * workerd forbids compiling wasm from bytes at run time, and ORT 1.30 cannot be handed a compiled
 * module. So: a one-byte placeholder makes ORT take its embedded Emscripten factory (no URL or
 * fetch), and a one-shot shim answers the single WebAssembly.instantiate(bytes) call it then makes
 * with the module wrangler precompiled at deploy (wrangler's CompiledWasm rule turns the .wasm import
 * into a WebAssembly.Module). import.meta.url is undefined in wrangler dev, so ORT could not locate a
 * .wasm file by URL either. Its own module, without imports, so bench:ort-cold sets ORT up the same way.
 */
export const PLACEHOLDER = new Uint8Array([0]);

/** Whether a WebAssembly.instantiate source is ORT's one-byte placeholder (and nothing else's wasm). */
export function isPlaceholder(source: unknown): boolean {
  const bytes =
    source instanceof ArrayBuffer
      ? new Uint8Array(source)
      : ArrayBuffer.isView(source)
        ? new Uint8Array(source.buffer, source.byteOffset, source.byteLength)
        : null;
  return bytes !== null && bytes.byteLength === 1 && bytes[0] === 0;
}

/** ORT as a Worker runs it: one thread, no proxy worker, the placeholder for its wasm, errors only. */
export function setWorkerOrtEnv(env: Env): void {
  env.wasm.numThreads = 1;
  env.wasm.proxy = false;
  env.wasm.wasmBinary = PLACEHOLDER;
  env.logLevel = "error";
}

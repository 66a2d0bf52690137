// bench:ort-cold runs ORT's wasm by hand (and bundles worker/ort/ortRuntime.ts): it needs the
// WebAssembly JS API's types, which the bench's ES2023 lib and Node's types leave out.
/// <reference lib="dom" />

// The bench worker imports ORT's wasm the way worker/ does: as a precompiled module (CompiledWasm).
declare module "*.wasm" {
  const module: WebAssembly.Module;
  export default module;
}

// ... and worker/ort/ortRuntime.ts's warm-up model as wrangler's Data rule gives it: its bytes.
declare module "*.bin" {
  const data: ArrayBuffer;
  export default data;
}

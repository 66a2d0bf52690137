// wrangler's default CompiledWasm rule turns a .wasm import into a precompiled module.
declare module "*.wasm" {
  const module: WebAssembly.Module;
  export default module;
}

// wrangler's Data rule: a .bin module is its bytes.
declare module "*.bin" {
  const data: ArrayBuffer;
  export default data;
}

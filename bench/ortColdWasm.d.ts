// bench:ort-cold runs ORT's wasm by hand (and bundles worker/ort/ortRuntime.ts): it needs the
// WebAssembly JS API's types, which the bench's ES2023 lib and Node's types leave out. The .wasm and
// .bin modules are declared as the worker declares them (worker/wasm.d.ts, in bench/tsconfig.json).
/// <reference lib="dom" />

/**
 * One fresh Node process of `npm run bench:ort-cold`: compiles ORT's wasm, imports onnxruntime-web's
 * wasm bundle and runs one probe scenario (bench/ortColdProbe.ts), then prints one JSON line.
 * Usage: node --import tsx bench/ortColdNode.ts <scenario> <model.onnx> <tables.bin> <add.onnx>
 */
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { runScenario, SCENARIOS, watchInstantiate, type Scenario } from "./ortColdProbe.js";

const [scenario = "", modelPath = "", dataPath = "-", addPath = ""] = process.argv.slice(2);
if (!(SCENARIOS as readonly string[]).includes(scenario)) throw new Error(`unknown scenario ${scenario}`);

const wasmPath = createRequire(import.meta.url).resolve("onnxruntime-web/ort-wasm-simd-threaded.wasm");
const [wasmBytes, model, data, add] = await Promise.all([
  readFile(wasmPath),
  readFile(modelPath),
  dataPath === "-" ? null : readFile(dataPath),
  readFile(addPath),
]);

let started = performance.now();
const ort = await import("onnxruntime-web/wasm");
const importMs = performance.now() - started;
// workerd compiles a CompiledWasm module when it loads the script; this is the same synchronous compile.
started = performance.now();
const module = new WebAssembly.Module(wasmBytes);
const compileMs = performance.now() - started;

watchInstantiate(module);
const result = await runScenario(
  ort,
  module,
  {
    add: new Uint8Array(add),
    real: { model: new Uint8Array(model), tables: new Uint8Array(data ?? new ArrayBuffer(0)) },
  },
  scenario as Scenario,
);
process.stdout.write(`${JSON.stringify({ ...result, importMs, compileMs, execArgv: process.execArgv })}\n`);

// npm run warmup-model: writes worker/ort/warmupModel.onnx.bin, the small scoring graph the worker
// runs once at isolate start-up (worker/ort/ortRuntime.ts startOrt). ORT's first session in an isolate
// costs ~300 ms whatever the model (runtime set-up, operator registry, the graph's kernels compiled on
// first use: bench:ort-cold); a session of the same graph over 200 made-up items pays it before any
// request does. test/trainer/warmupModel.test.ts fails when the scoring graph changes and this file
// was not written again.
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { ScoringTables } from "../models/scoringTables.js";
import { buildScoringModel } from "../trainer/onnx/scoringGraph.js";

export const WARMUP_MODEL_PATH = fileURLToPath(new URL("../worker/ort/warmupModel.onnx.bin", import.meta.url));

/** 200 items, each with 31 distinct neighbours and the trainer's default knobs: the graph's usual shape. */
export function warmupTables(): ScoringTables {
  const N = 200;
  const K = 32;
  const d = 32;
  const neighbourItems = Int32Array.from({ length: N * K }, (_, at) => {
    const [i, k] = [Math.floor(at / K), at % K];
    return k === K - 1 ? i : (i + 1 + k) % N; // the last slot unused: it holds the item itself
  });
  return {
    itemCount: N,
    neighbours: K,
    dimension: d,
    neighbourItems,
    neighbourWeights: Int8Array.from({ length: N * K }, (_, at) => 127 - (at % K) * 4),
    neighbourScales: new Float32Array(N).fill(1 / 127),
    confidenceWeights: Int16Array.from({ length: N * K }, (_, at) => 32767 - (at % K) * 1000),
    confidenceScales: new Float32Array(N).fill(1 / 32767),
    confidenceBlend: 1,
    blendPower: 3,
    embeddings: Int8Array.from({ length: N * d }, (_, at) => ((at * 37) % 255) - 127),
    embeddingScales: new Float32Array(N).fill(1 / (127 * Math.sqrt(d))),
    embeddingWeight: 0,
  };
}

export function warmupModel(): Uint8Array {
  const window = { from: "2026-01-01T00:00:00.000Z", to: "2026-01-01T00:00:00.000Z" };
  return buildScoringModel(warmupTables(), { version: "warmup", trainingWindow: window }, { inline: true }).model;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const bytes = warmupModel();
  writeFileSync(WARMUP_MODEL_PATH, bytes);
  console.log(`${WARMUP_MODEL_PATH}: ${bytes.byteLength} bytes`);
}

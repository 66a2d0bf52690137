// npx tsx scripts/warmupModel.ts: writes worker/ort/warmupModel.onnx.bin, the scoring graph the worker
// runs once at isolate start-up (worker/ort/ortRuntime.ts startOrt) on made-up rows
// (worker/ort/warmupRows.ts). ORT's first session in an isolate costs ~300 ms whatever the model
// (runtime set-up, operator registry, the graph's kernels on first use: bench:ort-cold); a session of
// the same graph pays it before any request does. Since graph contract v2 the graph holds only
// scalars, so this is the served graph itself with the trainer's default knobs.
// test/trainer/warmupModel.test.ts fails when the scoring graph changes and this file was not written again.
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { buildScoringModel, type GraphParams } from "../trainer/onnx/scoringGraph.js";
import { warmupRows } from "../worker/ort/warmupRows.js";

export const WARMUP_MODEL_PATH = fileURLToPath(new URL("../worker/ort/warmupModel.onnx.bin", import.meta.url));

/** The warm-up rows' shape with the trainer's default knobs (train.ts), without the embedding term. */
export function warmupParams(): GraphParams {
  const { itemCount, neighbours, dimension } = warmupRows();
  return { itemCount, neighbours, dimension, confidenceBlend: 1, blendPower: 3, embeddingWeight: 0 };
}

export function warmupModel(): Uint8Array {
  const window = { from: "2026-01-01T00:00:00.000Z", to: "2026-01-01T00:00:00.000Z" };
  return buildScoringModel(warmupParams(), { version: "warmup", trainingWindow: window });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const bytes = warmupModel();
  writeFileSync(WARMUP_MODEL_PATH, bytes);
  console.log(`${WARMUP_MODEL_PATH}: ${bytes.byteLength} bytes`);
}

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { WARMUP_MODEL_PATH, warmupModel } from "../../scripts/warmupModel.js";

describe("the worker's ORT warm-up model", () => {
  it("is the current scoring graph (run `npx tsx scripts/warmupModel.ts` after changing trainer/onnx/scoringGraph.ts)", () => {
    const committed = new Uint8Array(readFileSync(WARMUP_MODEL_PATH));
    expect(Buffer.from(warmupModel()).equals(committed)).toBe(true);
  });
});

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { WARMUP_MODEL_PATH, warmupModel, warmupParams } from "../../scripts/warmupModel.js";
import { buildScoringModel } from "../../trainer/onnx/scoringGraph.js";
import { graphIdentity, sameBytes } from "../../worker/ort/graphIdentity.js";

describe("the worker's ORT warm-up model", () => {
  it("is the current scoring graph (run `npx tsx scripts/warmupModel.ts` after changing trainer/onnx/scoringGraph.ts)", () => {
    const committed = new Uint8Array(readFileSync(WARMUP_MODEL_PATH));
    expect(Buffer.from(warmupModel()).equals(committed)).toBe(true);
  });
});

describe("graphIdentity: when a version can score on the warm-up's session", () => {
  const window = { from: "2025-01-01T00:00:00.000Z", to: "2025-06-30T00:00:00.000Z" };
  const warm = graphIdentity(warmupModel());

  it("is the warm-up's graph for a version trained with the default knobs, whatever its version, window and size", () => {
    const trained = buildScoringModel(
      { ...warmupParams(), itemCount: 1_000_000 },
      { version: "v-1m", trainingWindow: window },
    );
    expect(Buffer.from(trained).equals(Buffer.from(warmupModel()))).toBe(false);
    const identity = graphIdentity(trained);
    expect(identity).not.toBeNull();
    expect(warm !== null && identity !== null && sameBytes(identity, warm)).toBe(true);
  });

  it("is another graph when a knob differs, and nothing at all for bytes that are not a protobuf message", () => {
    for (const knob of [{ confidenceBlend: 2 }, { blendPower: 2 }, { embeddingWeight: 0.05 }]) {
      const other = graphIdentity(
        buildScoringModel({ ...warmupParams(), ...knob }, { version: "v", trainingWindow: window }),
      );
      expect(other !== null && warm !== null && sameBytes(other, warm), JSON.stringify(knob)).toBe(false);
    }
    expect(graphIdentity(new Uint8Array([0xff, 0xff, 0xff]))).toBeNull();
    expect(graphIdentity(new Uint8Array([0x0a, 0x10, 0x01]))).toBeNull();
  });
});

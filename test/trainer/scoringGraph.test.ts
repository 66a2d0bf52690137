import { readFile } from "node:fs/promises";
import { join } from "node:path";
import * as ort from "onnxruntime-web/wasm";
import { beforeAll, describe, expect, inject, it } from "vitest";
import onnxProto from "onnx-proto";
import { GraphInput, GraphOutput, MODEL_DATA_LOCATION } from "../../models/contract.js";
import { referenceCandidateSimilarity, referenceScore, type ScoringTables } from "../../models/scoringTables.js";
import { buildScoringModel, neighbourListsDistinct, type ScoringModel } from "../../trainer/onnx/scoringGraph.js";

ort.env.wasm.numThreads = 1;

async function session({ model, data }: ScoringModel) {
  return ort.InferenceSession.create(model, {
    executionProviders: ["wasm"],
    graphOptimizationLevel: "all",
    externalData: [{ path: MODEL_DATA_LOCATION, data }],
  });
}

async function runGraph(
  s: ort.InferenceSession,
  basket: number[],
  weights: number[],
  topK: number,
  compare: number[] = [],
  anchors: number[] = compare.map(() => 0),
) {
  const int64 = (values: number[]) => new ort.Tensor("int64", BigInt64Array.from(values, BigInt), [values.length]);
  const out = await s.run({
    [GraphInput.basketItems]: int64(basket),
    [GraphInput.basketWeights]: new ort.Tensor("float32", Float32Array.from(weights), [weights.length]),
    [GraphInput.topK]: int64([topK]),
    [GraphInput.candidateItems]: int64(compare),
    [GraphInput.candidateAnchors]: int64(anchors),
  });
  const similarity = Array.from(out[GraphOutput.candidateSimilarity]?.data as Float32Array);
  const items = Array.from(out[GraphOutput.items]?.data as Int32Array);
  const scores = Array.from(out[GraphOutput.scores]?.data as Float32Array);
  const real = scores.findIndex((s) => s === Number.NEGATIVE_INFINITY);
  return real === -1
    ? { items, scores, similarity }
    : { items: items.slice(0, real), scores: scores.slice(0, real), similarity };
}

/** float32 (graph) against float64 (reference): equal to a few units in the last place. */
function expectClose(actual: number | undefined, expected: number | undefined) {
  expect(Math.abs((actual ?? Number.NaN) - (expected ?? Number.NaN))).toBeLessThanOrEqual(
    1e-6 * Math.max(1, Math.abs(expected ?? 0)),
  );
}

/** The graph and the TypeScript reference must agree; ties may order differently, scores may not. */
function expectSameTop(graph: { items: number[]; scores: number[] }, ref: { items: Int32Array; scores: Float32Array }) {
  expect(graph.items.length).toBe(ref.items.length);
  graph.scores.forEach((s, i) => expectClose(s, ref.scores[i]));
  const refScore = new Map(Array.from(ref.items, (item, i) => [item, ref.scores[i] ?? 0]));
  // Every item the graph returns is one the reference returns with the same score, unless it ties
  // with the last reference score (then either may be cut).
  const cut = ref.scores[ref.scores.length - 1] ?? 0;
  graph.items.forEach((item, i) => expectClose(graph.scores[i], refScore.get(item) ?? cut));
}

describe("the ONNX scoring graph in onnxruntime-web", () => {
  let tables: ScoringTables;
  let model: ort.InferenceSession;

  beforeAll(async () => {
    // A small hand-made table with overlapping neighbour lists, so duplicates must be summed.
    const N = 6;
    const K = 3;
    const d = 4;
    tables = {
      itemCount: N,
      neighbours: K,
      dimension: d,
      neighbourItems: Int32Array.from([1, 2, 3, 0, 2, 4, 0, 1, 5, 0, 3, 3, 5, 1, 4, 2, 0, 5]),
      neighbourWeights: Int8Array.from([127, 60, 10, 127, 90, 30, 127, 50, 20, 127, 0, 0, 127, 100, 0, 127, 127, 0]),
      neighbourScales: Float32Array.from([0.01, 0.02, 0.005, 0.03, 0.01, 0.004]),
      confidenceWeights: Int16Array.from([
        32767, 7000, 1200, 32767, 25000, 16000, 32767, 5000, 22000, 32767, 0, 0, 32767, 20000, 0, 32767, 32767, 0,
      ]),
      confidenceScales: Float32Array.from([0.004, 0.003, 0.002, 0.005, 0.001, 0.006]),
      confidenceBlend: 1,
      blendPower: 3,
      embeddings: Int8Array.from(Array.from({ length: N * d }, (_, i) => ((i * 37) % 255) - 127)),
      embeddingScales: Float32Array.from([0.008, 0.007, 0.006, 0.005, 0.009, 0.004]),
      embeddingWeight: 0.05,
    };
    model = await session(buildScoringModel(tables, { version: "t", trainingWindow: { from: "x", to: "y" } }));
  });

  it("declares the contract's inputs and outputs", () => {
    expect([...model.inputNames].sort()).toEqual(Object.values(GraphInput).sort());
    expect([...model.outputNames].sort()).toEqual(Object.values(GraphOutput).sort());
  });

  it("sums a candidate reached from several basket items and drops basket items", async () => {
    const basket = [0, 1];
    const graph = await runGraph(model, basket, [1, 2], 10);
    expect(graph.items).not.toContain(0);
    expect(graph.items).not.toContain(1);
    expect(new Set(graph.items).size).toBe(graph.items.length);
    expectSameTop(graph, referenceScore(tables, basket, [1, 2], 10));
  });

  it("measures the caller's candidates against their own anchors in embedding space", async () => {
    const graph = await runGraph(model, [2], [1], 5, [0, 3, 5, 2]);
    const reference = referenceCandidateSimilarity(tables, [2], [0, 3, 5, 2], [0, 0, 0, 0]);
    expect(graph.similarity).toHaveLength(4);
    graph.similarity.forEach((s, i) => expect(s).toBeCloseTo(reference[i] ?? Number.NaN, 5));
    expect((await runGraph(model, [2], [1], 5)).similarity).toEqual([]);
    // A cart: each line's candidates against that line, in one run.
    const cart = await runGraph(model, [2, 4], [1, 1], 5, [0, 3, 5, 1], [0, 1, 1, 0]);
    const perLine = referenceCandidateSimilarity(tables, [2, 4], [0, 3, 5, 1], [0, 1, 1, 0]);
    cart.similarity.forEach((s, i) => expect(s).toBeCloseTo(perLine[i] ?? Number.NaN, 5));
    expect(perLine[1]).not.toBeCloseTo(referenceCandidateSimilarity(tables, [2, 4], [3], [0])[0] ?? 0, 5);
  });

  it("answers every single anchor on the short branch exactly as the reference", async () => {
    expect(neighbourListsDistinct(tables)).toBe(true);
    const graph = onnxProto.onnx.ModelProto.decode(
      buildScoringModel(tables, { version: "t", trainingWindow: { from: "x", to: "y" } }).model,
    );
    expect(graph.graph?.node?.some((n) => n.opType === "If")).toBe(true);
    for (let anchor = 0; anchor < tables.itemCount; anchor++) {
      for (const weight of [1, 2.5]) {
        const answer = await runGraph(model, [anchor], [weight], tables.neighbours);
        const reference = referenceScore(tables, [anchor], [weight], tables.neighbours);
        expect(answer.items).toEqual(Array.from(reference.items));
        expectSameTop(answer, reference);
      }
      // top_k below the number of candidates cuts the list.
      expect((await runGraph(model, [anchor], [1], 1)).items.length).toBeLessThanOrEqual(1);
    }
  });

  it("sums duplicates within one neighbour list when the lists are not distinct (no short branch)", async () => {
    // Item 0 names item 2 twice: its two weights must add up, as in the reference.
    const repeated: ScoringTables = { ...tables, neighbourItems: Int32Array.from(tables.neighbourItems) };
    repeated.neighbourItems[1] = 1;
    expect(neighbourListsDistinct(repeated)).toBe(false);
    const built = buildScoringModel(repeated, { version: "t", trainingWindow: { from: "x", to: "y" } });
    expect(onnxProto.onnx.ModelProto.decode(built.model).graph?.node?.some((n) => n.opType === "If")).toBe(false);
    const general = await session(built);
    const answer = await runGraph(general, [0], [1], 10);
    expect(new Set(answer.items).size).toBe(answer.items.length);
    expectSameTop(answer, referenceScore(repeated, [0], [1], 10));
  });

  it("keeps neighbour indices above 65,535 exact (16 low bits + 8 high bits)", async () => {
    const N = 70_000;
    const K = 3;
    const d = 2;
    // Item i's neighbours lie 65,537 apart, so every list crosses the 16-bit boundary.
    const big: ScoringTables = {
      itemCount: N,
      neighbours: K,
      dimension: d,
      neighbourItems: Int32Array.from({ length: N * K }, (_, s) => (Math.floor(s / K) + 1 + (s % K) * 65_537) % N),
      neighbourWeights: Int8Array.from({ length: N * K }, (_, s) => 127 - (s % K) * 40),
      neighbourScales: new Float32Array(N).fill(0.01),
      confidenceWeights: Int16Array.from({ length: N * K }, (_, s) => 1000 * ((s % 7) + 1)),
      confidenceScales: new Float32Array(N).fill(0.0001),
      confidenceBlend: 1,
      blendPower: 3,
      embeddings: new Int8Array(N * d).fill(1),
      embeddingScales: new Float32Array(N).fill(0.1),
      embeddingWeight: 0,
    };
    const wide = await session(buildScoringModel(big, { version: "t", trainingWindow: { from: "x", to: "y" } }));
    for (const basket of [[0], [65_535], [69_999], [3, 66_000, 12_345]]) {
      const weights = basket.map(() => 1);
      const answer = await runGraph(wide, basket, weights, 10);
      expect(answer.items.some((item) => item > 65_535)).toBe(true);
      expectSameTop(answer, referenceScore(big, basket, weights, 10));
    }
  });

  it("returns at most top_k, padding nothing when there are enough candidates", async () => {
    const graph = await runGraph(model, [0, 1, 2, 4], [1, 1, 1, 1], 2);
    expect(graph.items).toHaveLength(2);
    expectSameTop(graph, referenceScore(tables, [0, 1, 2, 4], [1, 1, 1, 1], 2));
  });

  it("matches the TypeScript reference on the model trained from the bundled sample", async () => {
    const dir = inject("seedModel").dir;
    const bytes = new Uint8Array(await readFile(join(dir, "model.onnx")));
    const data = new Uint8Array(await readFile(join(dir, MODEL_DATA_LOCATION)));
    const trained = await session({ model: bytes, data });
    const { onnx } = onnxProto;
    const decoded = onnx.ModelProto.decode(bytes);
    // Large tables live in the external data file, small constants inside the graph.
    const init = (name: string) => {
      const t = decoded.graph?.initializer?.find((i) => i.name === name);
      const external = new Map((t?.externalData ?? []).map((e) => [e.key, e.value]));
      if (external.size === 0) return new Uint8Array(t?.rawData ?? new Uint8Array()).buffer;
      const offset = Number(external.get("offset"));
      return data.slice(offset, offset + Number(external.get("length"))).buffer;
    };
    const dims = decoded.graph?.initializer?.find((i) => i.name === "neighbour_items_lo")?.dims ?? [];
    const embDims = decoded.graph?.initializer?.find((i) => i.name === "embeddings_q")?.dims ?? [];
    const sampleTables: ScoringTables = {
      itemCount: Number(dims[0]),
      neighbours: Number(dims[1]),
      dimension: Number(embDims[1]),
      // 16-bit indices: the bundled sample has fewer than 65,536 items.
      neighbourItems: Int32Array.from(new Uint16Array(init("neighbour_items_lo"))),
      neighbourWeights: new Int8Array(init("neighbour_weights_q")),
      neighbourScales: new Float32Array(init("neighbour_scales")),
      confidenceWeights: new Int16Array(init("confidence_q")),
      confidenceScales: new Float32Array(init("confidence_scales")),
      confidenceBlend: new Float32Array(init("confidence_blend"))[0] ?? 0,
      blendPower: new Float32Array(init("blend_power"))[0] ?? 0,
      embeddings: new Int8Array(init("embeddings_q")),
      embeddingScales: new Float32Array(init("embedding_scales")),
      embeddingWeight: new Float32Array(init("embedding_weight"))[0] ?? 0,
    };
    const baskets = [[0], [5], [17, 42], [3, 8, 13, 21, 34, 55, 89, 144, 233, 377]];
    for (const basket of baskets) {
      const weights = basket.map(() => 1);
      expectSameTop(await runGraph(trained, basket, weights, 20), referenceScore(sampleTables, basket, weights, 20));
    }
  });
});

import { readFile } from "node:fs/promises";
import { join } from "node:path";
import * as ort from "onnxruntime-web/wasm";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { BlobName, GraphInput, GraphOutput, OptionalGraphInput } from "../../models/contract.js";
import { referenceCandidateSimilarity, referenceScore, type ScoringTables } from "../../models/scoringTables.js";
import { decodeTables, encodeTables, type RowTables } from "../../models/tablesBlob.js";
import { buildScoringModel } from "../../trainer/onnx/scoringGraph.js";
import { rowFeeds, tableRows } from "../../worker/model/rowFeeds.js";

ort.env.wasm.numThreads = 1;

const fromBase64 = (text: string) => {
  const bytes = Buffer.from(text, "base64");
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
};

const META = { version: "t", trainingWindow: { from: "x", to: "y" } };

async function session(model: Uint8Array) {
  return ort.InferenceSession.create(model, { executionProviders: ["wasm"], graphOptimizationLevel: "all" });
}

/** The graph run as the worker runs it: rows gathered from the tables blob, answers mapped back to items. */
async function runGraph(
  s: ort.InferenceSession,
  tables: RowTables,
  basket: number[],
  weights: number[],
  topK: number,
  compare: number[] = [],
  compareAnchors: number[] = compare.map(() => 0),
) {
  const withEmbeddings = s.inputNames.includes(OptionalGraphInput.candidateEmbeddings);
  const prepared = rowFeeds(tableRows(tables), { basket, weights, topK, compare, compareAnchors }, withEmbeddings);
  if (prepared === null) throw new Error("whole tables always have every row");
  const { feeds, candidates } = prepared;
  const out = await s.run(feeds);
  const similarity = Array.from(out[GraphOutput.candidateSimilarity]?.data as Float32Array);
  const local = Array.from(out[GraphOutput.candidates]?.data as Int32Array);
  const scores = Array.from(out[GraphOutput.scores]?.data as Float32Array);
  const real = scores.findIndex((s) => s === Number.NEGATIVE_INFINITY);
  const items = local.map((n) => candidates[n] ?? -1);
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

/** Tables through tables.bin and back, as the worker reads them. */
const rowsOf = (tables: ScoringTables) => decodeTables(encodeTables(tables));

describe("the ONNX scoring graph (contract v2: rows in, no tables) in onnxruntime-web", () => {
  let tables: ScoringTables;
  let rows: RowTables;
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
    rows = rowsOf(tables);
    model = await session(buildScoringModel(tables, META));
  });

  it("declares the contract's inputs and outputs, and holds no table", async () => {
    const all = [...Object.values(GraphInput), ...Object.values(OptionalGraphInput)];
    expect([...model.inputNames].sort()).toEqual(all.sort());
    expect([...model.outputNames].sort()).toEqual(Object.values(GraphOutput).sort());
    // Without an embedding term the candidates' embeddings are not asked for.
    const plain = await session(buildScoringModel({ ...tables, embeddingWeight: 0 }, META));
    expect([...plain.inputNames].sort()).toEqual(Object.values(GraphInput).sort());
    // Only scalars inside: the graph's size does not grow with the catalog.
    expect(buildScoringModel({ ...tables, itemCount: 1_000_000 }, META).length).toBeLessThan(4096);
  });

  it("sums a candidate reached from several basket items and drops basket items", async () => {
    const basket = [0, 1];
    const graph = await runGraph(model, rows, basket, [1, 2], 10);
    expect(graph.items).not.toContain(0);
    expect(graph.items).not.toContain(1);
    expect(new Set(graph.items).size).toBe(graph.items.length);
    expectSameTop(graph, referenceScore(tables, basket, [1, 2], 10));
  });

  it("measures the caller's candidates against their own anchors in embedding space", async () => {
    const graph = await runGraph(model, rows, [2], [1], 5, [0, 3, 5, 2]);
    const reference = referenceCandidateSimilarity(tables, [2], [0, 3, 5, 2], [0, 0, 0, 0]);
    expect(graph.similarity).toHaveLength(4);
    graph.similarity.forEach((s, i) => expect(s).toBeCloseTo(reference[i] ?? Number.NaN, 5));
    expect((await runGraph(model, rows, [2], [1], 5)).similarity).toEqual([]);
    // A cart: each line's candidates against that line, in one run.
    const cart = await runGraph(model, rows, [2, 4], [1, 1], 5, [0, 3, 5, 1], [0, 1, 1, 0]);
    const perLine = referenceCandidateSimilarity(tables, [2, 4], [0, 3, 5, 1], [0, 1, 1, 0]);
    cart.similarity.forEach((s, i) => expect(s).toBeCloseTo(perLine[i] ?? Number.NaN, 5));
    expect(perLine[1]).not.toBeCloseTo(referenceCandidateSimilarity(tables, [2, 4], [3], [0])[0] ?? 0, 5);
  });

  it("answers every single anchor exactly as the reference, with and without the embedding term", async () => {
    const plainTables = { ...tables, embeddingWeight: 0 };
    const plain = await session(buildScoringModel(plainTables, META));
    for (const [s, t] of [
      [model, tables],
      [plain, plainTables],
    ] as const) {
      for (let anchor = 0; anchor < t.itemCount; anchor++) {
        for (const weight of [1, 2.5]) {
          const answer = await runGraph(s, rows, [anchor], [weight], t.neighbours);
          const reference = referenceScore(t, [anchor], [weight], t.neighbours);
          // Without the embedding term item 5's two neighbours tie: the graph keeps slot order, the
          // reference catalog order; the scores must still agree.
          if (t.embeddingWeight !== 0) expect(answer.items).toEqual(Array.from(reference.items));
          expectSameTop(answer, reference);
        }
        // top_k below the number of candidates cuts the list.
        expect((await runGraph(s, rows, [anchor], [1], 1)).items.length).toBeLessThanOrEqual(1);
      }
    }
  });

  it("sums duplicates within one neighbour list", async () => {
    // Item 0 names item 1 twice: its two weights must add up, as in the reference.
    const repeated: ScoringTables = { ...tables, neighbourItems: Int32Array.from(tables.neighbourItems) };
    repeated.neighbourItems[1] = 1;
    const answer = await runGraph(model, rowsOf(repeated), [0], [1], 10);
    expect(new Set(answer.items).size).toBe(answer.items.length);
    expectSameTop(answer, referenceScore(repeated, [0], [1], 10));
  });

  it("answers an empty list when every neighbour is in the basket, and still measures compared items", async () => {
    const answer = await runGraph(model, rows, [3, 0, 1, 2], [1, 1, 1, 1], 10, [5], [1]);
    expectSameTop(answer, referenceScore(tables, [3, 0, 1, 2], [1, 1, 1, 1], 10));
    const closed = await runGraph(model, rows, [0, 1, 2, 3, 4, 5], [1, 1, 1, 1, 1, 1], 10, [5], [2]);
    expect(closed.items).toEqual([]);
    expect(closed.similarity[0]).toBeCloseTo(
      referenceCandidateSimilarity(tables, [0, 1, 2], [5], [2])[0] ?? Number.NaN,
      5,
    );
  });

  it("keeps neighbour indices above 65,535 exact (the tables blob adds 8 high bits to 16 low ones)", async () => {
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
    const wide = await session(buildScoringModel(big, META));
    const bigRows = rowsOf(big);
    expect(bigRows.neighbourHigh).toBeInstanceOf(Uint8Array);
    expect(rows.neighbourHigh).toBeNull();
    for (const basket of [[0], [65_535], [69_999], [3, 66_000, 12_345]]) {
      const weights = basket.map(() => 1);
      const answer = await runGraph(wide, bigRows, basket, weights, 10);
      expect(answer.items.some((item) => item > 65_535)).toBe(true);
      expectSameTop(answer, referenceScore(big, basket, weights, 10));
    }
  });

  it("returns at most top_k, padding nothing when there are enough candidates", async () => {
    const graph = await runGraph(model, rows, [0, 1, 2, 4], [1, 1, 1, 1], 2);
    expect(graph.items).toHaveLength(2);
    expectSameTop(graph, referenceScore(tables, [0, 1, 2, 4], [1, 1, 1, 1], 2));
  });

  it("refuses a tables blob whose neighbours point outside the catalog", () => {
    const broken = { ...tables, neighbourItems: Int32Array.from(tables.neighbourItems) };
    broken.neighbourItems[4] = tables.itemCount;
    expect(() => decodeTables(encodeTables(broken))).toThrow(/outside 6 items/);
  });

  it("matches the TypeScript reference on the model trained from the bundled sample", async () => {
    const seed = inject("seedModel");
    const trained = await session(new Uint8Array(await readFile(join(seed.dir, BlobName.model))));
    const sampleRows = decodeTables(new Uint8Array(await readFile(join(seed.dir, BlobName.tables))));
    const t = seed.tables;
    const sampleTables: ScoringTables = {
      ...t,
      neighbourItems: new Int32Array(fromBase64(t.neighbourItems)),
      neighbourWeights: new Int8Array(fromBase64(t.neighbourWeights)),
      neighbourScales: new Float32Array(fromBase64(t.neighbourScales)),
      confidenceWeights: new Int16Array(fromBase64(t.confidenceWeights)),
      confidenceScales: new Float32Array(fromBase64(t.confidenceScales)),
      embeddings: new Int8Array(fromBase64(t.embeddings)),
      embeddingScales: new Float32Array(fromBase64(t.embeddingScales)),
    };
    const baskets = [[0], [5], [17, 42], [3, 8, 13, 21, 34, 55, 89, 144, 233, 377]];
    for (const basket of baskets) {
      const weights = basket.map(() => 1);
      const compare = [1, 2, 400];
      const anchors = compare.map((_, i) => i % basket.length);
      const answer = await runGraph(trained, sampleRows, basket, weights, 20, compare, anchors);
      expectSameTop(answer, referenceScore(sampleTables, basket, weights, 20));
      const similarity = referenceCandidateSimilarity(sampleTables, basket, compare, anchors);
      answer.similarity.forEach((s, i) => expectClose(s, similarity[i]));
    }
  });
});

import type { ScoringTables } from "../models/scoringTables.js";
import type { CoPurchase } from "./learn/coPurchase.js";
import { fitEase } from "./learn/ease.js";
import { learnEmbeddings } from "./learn/embeddings.js";
import { topNeighbours, type NeighbourLists } from "./learn/neighbours.js";
import { quantizeRows, quantizeRows16 } from "./learn/quantize.js";
import type { Reporter } from "./progress.js";

export interface LearnOptions {
  dimension: number;
  neighbours: number;
  minSupport: number;
  addonSlots: number;
  addonPriceRatio: number;
  embeddingWeight: number;
  seed: number;
  /** EASE's λ and per-item dropout regularisation; see learn/ease.ts. */
  easeLambda: number;
  easeDropout: number;
  /** α of the confidence term γ(B) = α / B^p (single-anchor queries lean on confidence). */
  confidenceBlend: number;
  /** p of γ(B) = α / B^p. */
  blendPower: number;
  /** Neighbour slots carrying the model's (EASE) weight; the strongest few. */
  weightedSlots: number;
  /** Above this many sold items EASE's dense inversion is too slow: confidence weights alone. */
  maxEaseItems: number;
}

export interface LearnedModel {
  tables: ScoringTables;
  lists: NeighbourLists;
  /** Which weights the lists carry. */
  method: "ease+confidence" | "confidence";
}

/**
 * Everything the ONNX model holds, learned from co-purchase counts: each item's neighbour list with
 * its weights (EASE blended with confidence when the catalog is small enough to invert, else
 * confidence), and SPPMI embeddings. The trainer and the evaluation both call this, so the model the
 * evaluation measures is the model that is served.
 */
export function learnModel(
  co: CoPurchase,
  prices: Int32Array,
  totalBaskets: number,
  options: LearnOptions,
  reporter: Reporter,
): LearnedModel {
  const n = co.itemCount;
  const sold = Int32Array.from(Array.from(co.itemBaskets.keys()).filter((i) => (co.itemBaskets[i] ?? 0) > 0));
  let weight = (i: number, _j: number, count: number) => count / (co.itemBaskets[i] || 1);
  let method: LearnedModel["method"] = "confidence";
  if (sold.length > 1 && sold.length <= options.maxEaseItems) {
    const step = reporter.step("EASE weights", 1, "steps");
    const fit = fitEase(co, sold, { lambda: options.easeLambda, dropout: options.easeDropout });
    const position = new Int32Array(n).fill(-1);
    sold.forEach((item, p) => (position[item] = p));
    const m = sold.length;
    weight = (i, j) => fit.weights[(position[i] ?? 0) * m + (position[j] ?? 0)] ?? 0;
    method = "ease+confidence";
    step.done(`${m} × ${m}, λ = ${options.easeLambda}, dropout ${options.easeDropout}`);
  }

  const neighbourStep = reporter.step("neighbour lists", 1, "steps");
  const lists = topNeighbours(co, {
    neighbours: options.neighbours,
    minSupport: options.minSupport,
    prices,
    addonSlots: options.addonSlots,
    addonPriceRatio: options.addonPriceRatio,
    totalBaskets,
    weight,
    weightedSlots: options.weightedSlots,
  });
  const neighbourQ = quantizeRows(lists.weights, n, options.neighbours);
  const confidenceQ = quantizeRows16(lists.confidence, n, options.neighbours);
  neighbourStep.done(
    `${method}; ${(100 * lists.coverage).toFixed(1)}% of items have neighbours with support ≥ ${options.minSupport}`,
  );

  const powerIterations = 4;
  const embeddingStep = reporter.step("embeddings (SPPMI+SVD)", powerIterations + 1, "passes");
  const embeddings = learnEmbeddings(co, {
    dimension: options.dimension,
    shift: 1,
    powerIterations,
    seed: options.seed,
    onPass: (done) => embeddingStep.update(done),
  });
  const embeddingQ = quantizeRows(embeddings, n, options.dimension);
  embeddingStep.done(`${n} × ${options.dimension}, int8`);

  return {
    tables: {
      itemCount: n,
      neighbours: options.neighbours,
      dimension: options.dimension,
      neighbourItems: lists.items,
      neighbourWeights: neighbourQ.q,
      neighbourScales: neighbourQ.scales,
      confidenceWeights: confidenceQ.q,
      confidenceScales: confidenceQ.scales,
      confidenceBlend: options.confidenceBlend,
      blendPower: options.blendPower,
      embeddings: embeddingQ.q,
      embeddingScales: embeddingQ.scales,
      embeddingWeight: options.embeddingWeight,
    },
    lists,
    method,
  };
}

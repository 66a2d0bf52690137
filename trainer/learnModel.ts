import type { ScoringTables } from "../models/scoringTables.js";
import type { CoPurchase } from "./learn/coPurchase.js";
import { UserError } from "./errors.js";
import { fitEase } from "./learn/ease.js";
import { fitSparseEase, sparseWeight } from "./learn/sparseEase.js";
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
  /** What learns the neighbour weights; `auto` resolves by chooseLearner. */
  learner: LearnerChoice;
  /** The most sold items dense EASE takes on (its inverse is n² doubles and n³/2 operations). */
  maxEaseItems: number;
  /** The sparse learner's candidates per item (each item's regression runs over that many companions). */
  easeCandidates: number;
}

export const LEARNER_CHOICES = ["auto", "dense", "sparse", "confidence"] as const;
export type LearnerChoice = (typeof LEARNER_CHOICES)[number];
/** What the neighbour lists' weights came from. */
export type Learner = Exclude<LearnerChoice, "auto">;

/**
 * The learner `auto` resolves to: sparse EASE whenever there is something to learn. It matched or beat
 * dense EASE on every data set measured (docs/design.md, "The learner"), at a fraction of the
 * time, and unlike the dense inverse it accepts pruned pair counts; dense stays for comparison.
 */
export function chooseLearner(choice: LearnerChoice, soldItems: number): Learner {
  if (choice !== "auto") return choice;
  return soldItems < 2 ? "confidence" : "sparse";
}

export interface LearnedModel {
  tables: ScoringTables;
  lists: NeighbourLists;
  /** Which learner gave the lists' weights (confidence is always blended in by the graph). */
  learner: Learner;
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
  const learner = chooseLearner(options.learner, sold.length);
  if (learner === "dense") {
    const m = sold.length;
    if (m > options.maxEaseItems) {
      const gib = (2 * 8 * m * m) / 2 ** 30;
      throw new UserError(
        `--learner dense: ${m} sold items is above --max-ease-items ${options.maxEaseItems} (the inverse needs ${gib.toFixed(1)} GiB and ~${m}³/2 operations); use --learner sparse or raise --max-ease-items`,
      );
    }
    const step = reporter.step("EASE weights (dense)", 1, "steps");
    let fit;
    try {
      fit = fitEase(co, sold, { lambda: options.easeLambda, dropout: options.easeDropout });
    } catch (error) {
      // Pruned pair counts (a warehouse's rare-pair cut) make the Gram matrix indefinite.
      throw new UserError(
        `dense EASE failed on ${m} items (${error instanceof Error ? error.message : String(error)}); --learner sparse accepts pruned pair counts`,
      );
    }
    const position = new Int32Array(n).fill(-1);
    sold.forEach((item, p) => (position[item] = p));
    weight = (i, j) => fit.weights[(position[i] ?? 0) * m + (position[j] ?? 0)] ?? 0;
    step.done(`${m} × ${m}, λ = ${options.easeLambda}, dropout ${options.easeDropout}`);
  } else if (learner === "sparse") {
    const step = reporter.step("EASE weights (sparse)", n, "items");
    const fit = fitSparseEase(co, {
      lambda: options.easeLambda,
      dropout: options.easeDropout,
      candidates: options.easeCandidates,
      minSupport: options.minSupport,
      onProgress: (done) => step.update(done),
    });
    weight = (i, j) => sparseWeight(fit, i, j);
    step.done(
      `${fit.cols.length} weights, ${fit.meanCandidates.toFixed(1)} candidates per item (≤ ${options.easeCandidates}), λ = ${options.easeLambda}, dropout ${options.easeDropout}` +
        (fit.shifted > 0 ? `; ${fit.shifted} systems needed extra diagonal weight (pruned counts)` : ""),
    );
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
    `${learner}; ${(100 * lists.coverage).toFixed(1)}% of items have neighbours with support ≥ ${options.minSupport}`,
  );

  const powerIterations = 4;
  const embeddingStep = reporter.step("embeddings (SPPMI+SVD)", powerIterations + 1, "passes");
  const embeddings = learnEmbeddings(co, {
    dimension: options.dimension,
    shift: 1,
    minCount: options.minSupport,
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
    learner,
  };
}

import type { ScoringTables } from "../../models/scoringTables.js";
import type { CoPurchase } from "./coPurchase.js";
import { UserError } from "../errors.js";
import { fitEase } from "./ease.js";
import { fitSparseEase, sparseWeight } from "./sparseEase.js";
import { learnEmbeddings } from "./embeddings.js";
import { topNeighbours, type NeighbourLists } from "./neighbours.js";
import { quantizeRows, quantizeRows16 } from "./quantize.js";
import type { Reporter } from "../progress.js";

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

/** The model's weight of neighbour j for item i, given the pair's basket count. */
type PairWeight = (i: number, j: number, count: number) => number;

/** What every learner is given: the counts, the sold items (those with a basket), the knobs. */
interface LearnerInput {
  co: CoPurchase;
  sold: Int32Array;
  options: LearnOptions;
  reporter: Reporter;
}

/** Co-purchase confidence alone: count / baskets(i), the neighbour lists' own default ranking. */
function confidenceWeights({ co }: LearnerInput): PairWeight {
  return (i, _j, count) => count / (co.itemBaskets[i] || 1);
}

/** Dense EASE over the sold items (an m × m inverse), refused above --max-ease-items. */
function denseEaseWeights({ co, sold, options, reporter }: LearnerInput): PairWeight {
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
  const position = new Int32Array(co.itemCount).fill(-1);
  sold.forEach((item, p) => (position[item] = p));
  step.done(`${m} × ${m}, λ = ${options.easeLambda}, dropout ${options.easeDropout}`);
  const { weights } = fit;
  return (i, j) => weights[(position[i] ?? 0) * m + (position[j] ?? 0)] ?? 0;
}

/** Sparse EASE: each item's regression over its strongest --ease-candidates companions. */
function sparseEaseWeights({ co, options, reporter }: LearnerInput): PairWeight {
  const step = reporter.step("EASE weights (sparse)", co.itemCount, "items");
  const fit = fitSparseEase(co, {
    lambda: options.easeLambda,
    dropout: options.easeDropout,
    candidates: options.easeCandidates,
    minSupport: options.minSupport,
    onProgress: (done) => step.update(done),
  });
  step.done(
    `${fit.cols.length} weights, ${fit.meanCandidates.toFixed(1)} candidates per item (≤ ${options.easeCandidates}), λ = ${options.easeLambda}, dropout ${options.easeDropout}` +
      (fit.shifted > 0 ? `; ${fit.shifted} systems needed extra diagonal weight (pruned counts)` : ""),
  );
  return (i, j) => sparseWeight(fit, i, j);
}

/** Every learner by name: what gives the neighbour lists' weights. */
const LEARNERS: Record<Learner, (input: LearnerInput) => PairWeight> = {
  confidence: confidenceWeights,
  dense: denseEaseWeights,
  sparse: sparseEaseWeights,
};

/**
 * Passes of the embeddings' randomized subspace iteration (learn/embeddings.ts), each one product with
 * the SPPMI matrix: about 2.4 s at 200k items (bench:train's embeddings step, 12 s for 4 + 1). Measured
 * on the bundled sample against a 30-pass basis: an item's 10 nearest in embedding space agree 15% after
 * 1 pass, 44% after 2, 65% after 4, 76% after 8; what is served depends on less than that (the sign of a
 * variant's similarity, upsell.minSimilarity's default 0, agrees for 97.0%, 98.3% and 98.7% of variant
 * pairs after 2, 4 and 8 passes; the score's embedding weight is 0 by default), so more passes cost
 * training time and change little.
 */
const POWER_ITERATIONS = 4;

/**
 * Everything the ONNX model holds, learned from co-purchase counts: each item's neighbour list with
 * its weights (the chosen learner's; the graph blends confidence in), and SPPMI embeddings. The trainer
 * and the evaluation both call this, so the model the evaluation measures is the model that is served.
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
  const learner = chooseLearner(options.learner, sold.length);
  const weight = LEARNERS[learner]({ co, sold, options, reporter });

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

  const embeddingStep = reporter.step("embeddings (SPPMI+SVD)", POWER_ITERATIONS + 1, "passes");
  const embeddings = learnEmbeddings(co, {
    dimension: options.dimension,
    shift: 1,
    minCount: options.minSupport,
    powerIterations: POWER_ITERATIONS,
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

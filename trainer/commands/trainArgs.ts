import { TRAIN_DEFAULTS, type TrainOptions } from "../train.js";
import type { Reporter } from "../progress.js";
import { parseColumnMap } from "../ingest/columnMap.js";
import { LEARNER_CHOICES, type LearnerChoice } from "../learn/learnModel.js";
import { UserError } from "../errors.js";
import { currencyCode } from "../currency.js";
import { numberArg } from "./args.js";

/** The flags of every command that trains (train, eval, nightly), declared once. */
export const trainArgs = {
  catalog: {
    type: "string",
    description:
      "catalog (CSV, TSV, JSONL or Parquet; plain or .gz): product_id[, title, price, category…, brand]; without it the catalog comes from the orders' title and unit_price",
  },
  map: {
    type: "string",
    description:
      "the shop's column names: order_id=InvoiceNo,product_id=StockCode,… or @mapping.json (sidecart's names: order_id, product_id, timestamp, quantity, unit_price, customer_id, title, price, …)",
    default: "",
  },
  "exclude-categories": {
    type: "string",
    description: "comma-separated top-level categories to leave out (e.g. FUEL,MISCELLANEOUS)",
    default: "",
  },
  currency: {
    type: "string",
    description: "ISO 4217 currency of the catalog prices",
    default: TRAIN_DEFAULTS.currency,
  },
  dim: { type: "string", description: "embedding dimension", default: String(TRAIN_DEFAULTS.dimension) },
  neighbours: {
    type: "string",
    description: "co-purchase neighbours kept per item",
    default: String(TRAIN_DEFAULTS.neighbours),
  },
  "min-support": {
    type: "string",
    description:
      "distinct baskets a pair needs to enter the model (the serving privacy floor is the rules' crossSell.minSupport, 5)",
    default: String(TRAIN_DEFAULTS.minSupport),
  },
  "max-basket": {
    type: "string",
    description: "baskets with more distinct items add no pairs",
    default: String(TRAIN_DEFAULTS.maxBasket),
  },
  "basket-weights": {
    type: "boolean",
    description:
      "weigh each basket's pairs by its size (1 / log2(1 + items)), so a wholesale order says less about each of its pairs; --no-basket-weights counts every basket as 1",
    default: TRAIN_DEFAULTS.basketWeights,
  },
  "addon-slots": {
    type: "string",
    description: "neighbour slots kept for cheap add-ons (price-anchor candidates)",
    default: String(TRAIN_DEFAULTS.addonSlots),
  },
  "addon-price-ratio": {
    type: "string",
    description:
      "which companions the add-on slots keep: those priced at most this share of the item; set it at or above the highest crossSell.priceRatio you will serve or sweep (the serving rule), or the slots hold none of what it lets through",
    default: String(TRAIN_DEFAULTS.addonPriceRatio),
  },
  "embedding-weight": {
    type: "string",
    description: "weight of embedding similarity in the score",
    default: String(TRAIN_DEFAULTS.embeddingWeight),
  },
  "max-reject-rate": {
    type: "string",
    description: "fail when more than this share of order rows is rejected",
    default: String(TRAIN_DEFAULTS.maxRejectRate),
  },
  "ease-lambda": { type: "string", description: "EASE regularisation λ", default: String(TRAIN_DEFAULTS.easeLambda) },
  "ease-dropout": {
    type: "string",
    description: "EASE per-item regularisation p (λ_i = λ + p/(1−p)·count_i)",
    default: String(TRAIN_DEFAULTS.easeDropout),
  },
  "confidence-blend": {
    type: "string",
    description: "α of the confidence term γ(B) = α/B^p added to the model's weights",
    default: String(TRAIN_DEFAULTS.confidenceBlend),
  },
  "blend-power": { type: "string", description: "p of γ(B) = α/B^p", default: String(TRAIN_DEFAULTS.blendPower) },
  "weighted-slots": {
    type: "string",
    description: "neighbour slots that carry the EASE weight (the strongest few)",
    default: String(TRAIN_DEFAULTS.weightedSlots),
  },
  learner: {
    type: "string",
    description:
      "what learns the neighbour weights: sparse (EASE restricted to each item's strongest companions; what auto picks), dense (EASE with a dense inverse, up to --max-ease-items), confidence (co-purchase confidence alone)",
    default: TRAIN_DEFAULTS.learner,
  },
  "max-ease-items": {
    type: "string",
    description: "the most sold items --learner dense and the eval's dense EASE baseline take on (a dense inverse)",
    default: String(TRAIN_DEFAULTS.maxEaseItems),
  },
  "ease-candidates": {
    type: "string",
    description: "sparse learner: companions each item's regression runs over",
    default: String(TRAIN_DEFAULTS.easeCandidates),
  },
  seed: { type: "string", description: "random seed (training is repeatable)", default: String(TRAIN_DEFAULTS.seed) },
} as const;

/** The orders flag of the commands that need timestamped orders (eval, nightly); train may go without. */
export const requiredOrdersArg = {
  orders: {
    type: "string",
    description: "order lines with timestamps: a file or a glob (CSV, TSV, JSONL or Parquet; plain or .gz)",
    required: true,
  },
} as const;

type TrainArgValues = { [K in Exclude<keyof typeof trainArgs, "catalog" | "basket-weights">]: string } & {
  orders?: string | undefined;
  catalog?: string | undefined;
  "basket-weights": boolean;
};

/** Parses the shared training flags; every bad value is one line naming the flag. */
export function trainOptionsFrom(args: TrainArgValues, reporter: Reporter): TrainOptions {
  const neighbours = numberArg("neighbours", args.neighbours, { min: 1, max: 256, integer: true });
  return {
    orders: args.orders ?? null,
    catalog: args.catalog ?? null,
    map: parseColumnMap(args.map),
    excludeCategories: args["exclude-categories"]
      .split(",")
      .map((c) => c.trim())
      .filter((c) => c !== ""),
    currency: currencyCode(args.currency),
    dimension: numberArg("dim", args.dim, { min: 2, max: 256, integer: true }),
    neighbours,
    minSupport: numberArg("min-support", args["min-support"], { min: 1, max: 1e9, integer: true }),
    maxBasket: numberArg("max-basket", args["max-basket"], { min: 2, max: 1e6, integer: true }),
    basketWeights: args["basket-weights"],
    addonSlots: numberArg("addon-slots", args["addon-slots"], { min: 0, max: neighbours, integer: true }),
    addonPriceRatio: numberArg("addon-price-ratio", args["addon-price-ratio"], { min: 0, max: 10 }),
    embeddingWeight: numberArg("embedding-weight", args["embedding-weight"], { min: 0, max: 1e3 }),
    maxRejectRate: numberArg("max-reject-rate", args["max-reject-rate"], { min: 0, max: 1 }),
    easeLambda: numberArg("ease-lambda", args["ease-lambda"], { min: 0, max: 1e9 }),
    easeDropout: numberArg("ease-dropout", args["ease-dropout"], { min: 0, max: 0.99 }),
    confidenceBlend: numberArg("confidence-blend", args["confidence-blend"], { min: 0, max: 1e6 }),
    blendPower: numberArg("blend-power", args["blend-power"], { min: 0, max: 10 }),
    weightedSlots: numberArg("weighted-slots", args["weighted-slots"], { min: 0, max: neighbours, integer: true }),
    learner: learnerArg(args.learner),
    maxEaseItems: numberArg("max-ease-items", args["max-ease-items"], { min: 0, max: 100_000, integer: true }),
    easeCandidates: numberArg("ease-candidates", args["ease-candidates"], { min: 1, max: 512, integer: true }),
    seed: numberArg("seed", args.seed, { min: 0, max: 2 ** 32 - 1, integer: true }),
    reporter,
  };
}

/** --learner: one of LEARNER_CHOICES, else a one-line error (bench:learners reads BENCH_LEARNERS with it too). */
export function learnerArg(text: string): LearnerChoice {
  const choice = LEARNER_CHOICES.find((c) => c === text);
  if (choice === undefined) throw new UserError(`--learner "${text}" must be one of ${LEARNER_CHOICES.join(", ")}`);
  return choice;
}

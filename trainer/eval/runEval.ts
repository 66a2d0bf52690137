import { Catalog, encodeCatalog, NO_PRICE } from "../../models/catalog.js";
import { DEFAULT_RULES } from "../../models/config/rulesConfig.js";
import { encodeEvidence, Evidence, NO_NEIGHBOUR } from "../../models/evidence.js";
import { selectCrossSells } from "../../models/rules/crossSell.js";
import { buildCatalogRows } from "../catalogRows.js";
import { currencyExponent } from "../currency.js";
import { UserError } from "../errors.js";
import { readInputs } from "../ingest/readInputs.js";
import { parseTimestamp } from "../ingest/timestamps.js";
import { countCoPurchases } from "../learn/coPurchase.js";
import { categoryLevel } from "../learn/categoryAffinity.js";
import { learnModel } from "../learnModel.js";
import { buildScoringModel } from "../onnx/scoringGraph.js";
import type { TrainOptions } from "../train.js";
import { anchorOf, evaluate, type TaskMetrics } from "./evaluate.js";
import { topK } from "./metrics.js";
import { crossSellViolations } from "./ruleCheck.js";
import { coCount, cosine, ease, popularity, served, type QueryScorer } from "./scorers.js";
import { splitAt } from "./split.js";
import { tunedEase } from "./tuneEase.js";

export interface EvalResult {
  cut: string;
  items: number;
  test_baskets: number;
  k: number;
  models: Record<string, TaskMetrics>;
  sidecart: {
    /** What gave the neighbour weights (--learner, resolved). */
    learner: string;
    /** ONNX model + catalog + evidence bytes ÷ items. */
    bytesPerItem: number;
    easeLambda: number;
    /** With the rules on: answers checked against DESIGN §1 from raw counts. */
    rules: { answers: number; obeying: number; share: number; violations: Record<string, number> };
    /** Share of train items that appear in some answer: rules off (top-k) and on. */
    coverage: { unconstrained: number; withRules: number };
    /** Suggested price ÷ anchor price, anchor task top-k, rules off and on. */
    priceRatios: { unconstrained: number[]; withRules: number[] };
  };
  baselineEase: { lambda: number; validation: Record<number, number> } | null;
  seconds: Record<string, number>;
}

export interface EvalOptions extends TrainOptions {
  orders: string;
  /** A date (YYYY-MM-DD), or the last N days of the orders as the test window. */
  cut: string | { lastDays: number };
  k: number;
  /** Which baselines run beside sidecart's model: all, all but the slow dense EASE, or none (nightly). */
  baselines: "all" | "no-ease" | "none";
}

/** Runs the evaluation protocol (README: Evaluation) for sidecart's model and the baselines. */
export async function runEval(options: EvalOptions): Promise<EvalResult> {
  const { reporter } = options;
  const seconds: Record<string, number> = {};
  const timed = <T>(name: string, run: () => T): T => {
    const start = performance.now();
    const value = run();
    seconds[name] = Math.round((performance.now() - start) / 10) / 100;
    return value;
  };
  const fixedCut = typeof options.cut === "string" ? parseTimestamp(options.cut) : null;
  if (typeof options.cut === "string" && fixedCut === null) {
    throw new UserError(`--cut "${options.cut}" is not a date (YYYY-MM-DD)`);
  }
  const exponent = currencyExponent(options.currency);
  const { entries, baskets } = await readInputs(options);
  if (baskets.window === null) throw new UserError(`${options.orders}: the orders have no timestamps to split on`);
  const cutMs =
    typeof options.cut === "string" ? (fixedCut ?? 0) : baskets.window.to - options.cut.lastDays * 86_400_000;
  const cut = new Date(cutMs).toISOString().slice(0, 10);
  const split = splitAt(baskets, cutMs);
  if (split.testBaskets.length === 0) throw new UserError(`cut ${cut}: no test basket with two known items after it`);
  reporter.info(`split at ${cut}: ${split.trainItems.size} train items, ${split.testBaskets.length} test baskets`);
  const co = countCoPurchases(baskets, { maxBasket: options.maxBasket, include: split.isTrain });
  const trainBaskets = Array.from({ length: baskets.offsets.length - 1 }, (_, b) => b).filter(split.isTrain).length;
  const rows = buildCatalogRows(baskets.skus, entries, options.currency, exponent);

  const learned = timed("sidecart train", () => learnModel(co, rows.prices, trainBaskets, options, reporter));
  const scorers: QueryScorer[] = [served("sidecart", learned.tables)];
  if (options.baselines !== "none") scorers.push(popularity(co), coCount(co), cosine(co));
  let baselineEase: EvalResult["baselineEase"] = null;
  if (options.baselines === "all" && split.trainItems.size <= options.maxEaseItems) {
    const tuned = timed("ease baseline fit", () => tunedEase(baskets, split, cutMs, options.maxBasket, reporter));
    baselineEase = { lambda: tuned.lambda, validation: tuned.validation };
    scorers.push(ease("ease", tuned.fit, baskets.skus.length));
  }
  const models: Record<string, TaskMetrics> = {};
  for (const scorer of scorers) {
    const step = reporter.step(`evaluating ${scorer.name}`, 1, "models");
    models[scorer.name] = timed(`eval ${scorer.name}`, () => evaluate(scorer, split, baskets.skus, options.k));
    step.done(JSON.stringify(models[scorer.name]));
  }

  // The served answers with the rules on, checked from first principles.
  const catalog = new Catalog(encodeCatalog(rows));
  const evidenceBytes = encodeEvidence({
    totalBaskets: trainBaskets,
    minSupport: options.minSupport,
    neighbours: options.neighbours,
    itemBaskets: co.itemBaskets,
    neighbourItems: learned.lists.items.map((j, slot) => ((learned.lists.support[slot] ?? 0) > 0 ? j : NO_NEIGHBOUR)),
    support: learned.lists.support,
    // The category level from the train baskets only, as the item level.
    categories: categoryLevel(baskets, rows, { ...options, include: split.isTrain }, reporter),
  });
  const evidence = new Evidence(evidenceBytes, catalog.size);
  const rules = {
    ...DEFAULT_RULES.crossSell,
    minSupport: Math.max(DEFAULT_RULES.crossSell.minSupport, options.minSupport),
  };
  const scorer = served("sidecart", learned.tables);
  const scores = new Float64Array(catalog.size);
  const violations: Record<string, number> = {};
  let answers = 0;
  let obeying = 0;
  const covered = { unconstrained: new Set<number>(), withRules: new Set<number>() };
  const priceRatios = { unconstrained: [] as number[], withRules: [] as number[] };
  const ratio = (anchor: number, item: number) => {
    const a = catalog.price[anchor] ?? NO_PRICE;
    const p = catalog.price[item] ?? NO_PRICE;
    return a > 0 && p !== NO_PRICE ? Math.round((p / a) * 1000) / 1000 : null;
  };
  for (const items of split.testBaskets) {
    const anchor = anchorOf(items, baskets.skus);
    scorer.score([anchor], scores);
    const top = topK(scores, options.k, new Set([anchor]));
    for (const item of top) {
      covered.unconstrained.add(item);
      const r = ratio(anchor, item);
      if (r !== null) priceRatios.unconstrained.push(r);
    }
    const candidates = Array.from(scores.keys()).filter((i) => scores[i] !== Number.NEGATIVE_INFINITY);
    const answer = selectCrossSells({
      catalog,
      evidence,
      anchors: [anchor],
      anchorPriceMinor: catalog.price[anchor] ?? NO_PRICE,
      exclude: new Set(),
      candidates: { items: candidates, scores: candidates.map((i) => scores[i] ?? 0) },
      rules,
      limit: options.k,
    }).items;
    const broken = crossSellViolations(catalog, co, trainBaskets, anchor, answer, rules, options.k);
    for (const rule of broken) violations[rule] = (violations[rule] ?? 0) + 1;
    answers++;
    if (broken.length === 0) obeying++;
    for (const { index } of answer) {
      covered.withRules.add(index);
      const r = ratio(anchor, index);
      if (r !== null) priceRatios.withRules.push(r);
    }
  }
  const graph = buildScoringModel(learned.tables, { version: "eval", trainingWindow: { from: cut, to: cut } });
  const modelBytes = graph.model.length + graph.data.length + encodeCatalog(rows).length + evidenceBytes.length;
  const share = (n: number) => Math.round((n / Math.max(split.trainItems.size, 1)) * 1e4) / 1e4;
  return {
    cut,
    items: split.trainItems.size,
    test_baskets: split.testBaskets.length,
    k: options.k,
    models,
    sidecart: {
      learner: learned.learner,
      bytesPerItem: Math.round((modelBytes / catalog.size) * 10) / 10,
      easeLambda: options.easeLambda,
      rules: { answers, obeying, share: answers === 0 ? 1 : obeying / answers, violations },
      coverage: { unconstrained: share(covered.unconstrained.size), withRules: share(covered.withRules.size) },
      priceRatios,
    },
    baselineEase,
    seconds,
  };
}

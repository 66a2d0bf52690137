import { Catalog, encodeCatalog, NO_PRICE } from "../../models/catalog.js";
import { DEFAULT_RULES } from "../../models/config/rulesConfig.js";
import { encodeEvidence, Evidence, NO_NEIGHBOUR } from "../../models/evidence.js";
import { selectCrossSells } from "../../models/rules/crossSell.js";
import { SOURCES, type Source } from "../../models/rules/fallbackLevels.js";
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
    /**
     * The anchor task answered as the worker answers also-bought (default rules, fallback levels on):
     * share of anchors with a non-empty answer, HR@k of that answer, and the share of answer items
     * from each level.
     */
    served: {
      anchor: ServedAnchorMetrics;
      /** Share of catalog products (a uniform sample of ≤ 2,000, never-sold ones included) answered. */
      catalogCoverage: number;
    };
  };
  baselineEase: { lambda: number; validation: Record<number, number> } | null;
  seconds: Record<string, number>;
}

export interface ServedAnchorMetrics {
  queries: number;
  /** Share of anchors with a non-empty answer. */
  coverage: number;
  [hitRate: `HR@${number}`]: number;
  /** Share of all answer items that came from each level. */
  sources: Record<Source, number>;
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
  const servedTally = { answered: 0, hits: 0, sources: { item: 0, category: 0, graph: 0 } as Record<Source, number> };
  const priceRatios = { unconstrained: [] as number[], withRules: [] as number[] };
  const ratio = (anchor: number, item: number) => {
    const a = catalog.price[anchor] ?? NO_PRICE;
    const p = catalog.price[item] ?? NO_PRICE;
    return a > 0 && p !== NO_PRICE ? Math.round((p / a) * 1000) / 1000 : null;
  };
  // The also-bought answer exactly as the worker serves it: the graph's candidates, every rule, the levels.
  const servedAlsoBought = (anchor: number) => {
    scorer.score([anchor], scores);
    const candidates = Array.from(scores.keys()).filter((i) => scores[i] !== Number.NEGATIVE_INFINITY);
    return selectCrossSells({
      catalog,
      evidence,
      anchors: [anchor],
      anchorPriceMinor: catalog.price[anchor] ?? NO_PRICE,
      exclude: new Set(),
      candidates: { items: candidates, scores: candidates.map((i) => scores[i] ?? 0) },
      rules,
      limit: options.k,
      fallback: rules.fallback,
    }).items;
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
    const answer = servedAlsoBought(anchor);
    if (answer.length > 0) servedTally.answered++;
    const targets = new Set(items.filter((i) => i !== anchor));
    if (answer.some(({ index }) => targets.has(index))) servedTally.hits++;
    for (const { source } of answer) servedTally.sources[source]++;
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
  // Anchors drawn uniformly from the whole catalog (never-sold products too), not by sales as above.
  const stride = Math.max(1, Math.floor(catalog.size / 2000));
  let sampled = 0;
  let sampledAnswered = 0;
  for (let anchor = 0; anchor < catalog.size; anchor += stride) {
    sampled++;
    if (servedAlsoBought(anchor).length > 0) sampledAnswered++;
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
      served: {
        anchor: servedAnchor(servedTally, answers, options.k),
        catalogCoverage: sampled === 0 ? 0 : Math.round((sampledAnswered / sampled) * 1e4) / 1e4,
      },
    },
    baselineEase,
    seconds,
  };
}

function servedAnchor(
  tally: { answered: number; hits: number; sources: Record<Source, number> },
  queries: number,
  k: number,
): ServedAnchorMetrics {
  const round = (x: number) => Math.round(x * 1e4) / 1e4;
  const items = SOURCES.reduce((sum, s) => sum + tally.sources[s], 0);
  const share = (s: Source) => (items === 0 ? 0 : round(tally.sources[s] / items));
  const hitRate: Record<`HR@${number}`, number> = {
    [`HR@${k}` as const]: queries === 0 ? 0 : round(tally.hits / queries),
  };
  return {
    queries,
    coverage: queries === 0 ? 0 : round(tally.answered / queries),
    ...hitRate,
    sources: { item: share("item"), category: share("category"), graph: share("graph") },
  };
}

import { Catalog, encodeCatalog } from "../../models/catalog.js";
import { DEFAULT_RULES, effectiveRules, resolveRules } from "../../models/config/rulesConfig.js";
import { encodeEvidence, Evidence } from "../../models/evidence.js";
import { LadderIndex } from "../../models/rules/ladder.js";
import { referenceCandidateSimilarity } from "../../models/scoringTables.js";
import { buildCatalogRows } from "../catalogRows.js";
import type { ConfigFile } from "../config/configFile.js";
import { currencyExponent } from "../currency.js";
import { UserError } from "../errors.js";
import { readInputs } from "../ingest/readInputs.js";
import { parseTimestamp } from "../ingest/timestamps.js";
import type { Baskets } from "../ingest/orders.js";
import { countCoPurchases, type CoPurchase } from "../learn/coPurchase.js";
import { lookalikeLevel } from "../learn/titleLookalikes.js";
import { categoryLevel } from "../learn/categoryAffinity.js";
import { evidenceRows } from "../evidenceRows.js";
import { learnModel, type LearnedModel } from "../learn/learnModel.js";
import { buildScoringModel } from "../onnx/scoringGraph.js";
import { encodeTables } from "../../models/tablesBlob.js";
import type { TrainOptions } from "../train.js";
import { tuneEaseInBackground } from "./easeInBackground.js";
import { evalQueries, evaluate, type TaskMetrics } from "./evaluate.js";
import { RulesAudit, type RulesAuditResult } from "./rulesAudit.js";
import { coCount, cosine, ease, popularity, served, type QueryScorer } from "./scorers.js";
import { servedContext } from "./servedContext.js";
import { servedReport, type ServedReport } from "./servedReport.js";
import { evaluateServed, type ServedMetrics } from "./servedEval.js";
import { runSweep, type Sweep, type SweepResult } from "./sweep.js";
import { splitAt, type Split } from "./split.js";
import { testLines } from "./testLines.js";

export interface EvalResult {
  cut: string;
  items: number;
  test_baskets: number;
  k: number;
  /** Unconstrained relevance per model; sidecart's also carries `served` (servedReport.ts). */
  models: Record<string, TaskMetrics & { served?: ServedReport }>;
  /**
   * `rules` (answers checked against the cross-sell rules from raw counts), `coverage` (share of train items in
   * some answer, rules off and on) and `priceRatios` (suggested ÷ anchor price, anchor task top-k),
   * with the config's rules at the product stage.
   */
  sidecart: RulesAuditResult & {
    /** What gave the neighbour weights (--learner, resolved). */
    learner: string;
    /** ONNX model + catalog + evidence bytes ÷ items. */
    bytesPerItem: number;
    easeLambda: number;
  };
  /** Per swept knob (--sweep): one row of served figures per value, and the configured value. */
  sweeps: Record<string, SweepResult>;
  /** The served figures ranked by relevance and by expected revenue (score × price), same queries. */
  objectives: { relevance: ServedMetrics; revenue: ServedMetrics };
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
  /** The config document the served answers use (--config); null or absent: the built-in rules. */
  config?: ConfigFile | null;
  /** Knobs to sweep over the served answers (--sweep), each value on top of the config's rules. */
  sweeps?: readonly Sweep[];
  /**
   * Hears what the run split and trained (bench:eval-synth reads the answers against its planted
   * shop from these, rather than reading and training a second time).
   */
  onTrained?: (trained: EvalTrained) => void;
}

export interface EvalTrained {
  baskets: Baskets;
  split: Split;
  /** The train baskets' co-purchase counts. */
  co: CoPurchase;
  learned: LearnedModel;
}

/** Runs the evaluation protocol (docs/model-and-evaluation.md) for sidecart's model and the baselines. */
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
  const { entries, baskets } = await readInputs({ ...options, lineValues: true });
  if (baskets.window === null) throw new UserError(`${options.orders}: the orders have no timestamps to split on`);
  const cutMs =
    typeof options.cut === "string" ? (fixedCut ?? 0) : baskets.window.to - options.cut.lastDays * 86_400_000;
  const cut = new Date(cutMs).toISOString().slice(0, 10);
  const split = splitAt(baskets, cutMs);
  if (split.testBaskets.length === 0) throw new UserError(`cut ${cut}: no test basket with two known items after it`);
  reporter.info(`split at ${cut}: ${split.trainItems.size} train items, ${split.testBaskets.length} test baskets`);
  const co = countCoPurchases(baskets, {
    maxBasket: options.maxBasket,
    include: split.isTrain,
    weighBaskets: options.basketWeights,
  });
  const trainBaskets = Array.from({ length: baskets.offsets.length - 1 }, (_, b) => b).filter(split.isTrain).length;
  const rows = buildCatalogRows(baskets.skus, entries, options.currency, exponent);

  // The dense EASE baseline's tuning takes a second core while everything else runs here.
  const easeTuning =
    options.baselines === "all" && split.trainItems.size <= options.maxEaseItems
      ? tuneEaseInBackground({ baskets, cutMs, maxBasket: options.maxBasket }, reporter)
      : null;
  const learned = timed("sidecart train", () => learnModel(co, rows.prices, trainBaskets, options, reporter));
  options.onTrained?.({ baskets, split, co, learned });
  const scorers: QueryScorer[] = [served("sidecart", learned.tables)];
  if (options.baselines !== "none") scorers.push(popularity(co), coCount(co), cosine(co));
  const models: Record<string, TaskMetrics> = {};
  const evaluateModel = (scorer: QueryScorer) => {
    const step = reporter.step(`evaluating ${scorer.name}`, evalQueries(split), "queries");
    models[scorer.name] = timed(`eval ${scorer.name}`, () => evaluate(scorer, split, baskets.skus, options.k, step));
    step.done(JSON.stringify(models[scorer.name]));
  };
  scorers.forEach(evaluateModel);

  // The served answers with the rules on, checked from first principles.
  const catalog = new Catalog(encodeCatalog(rows));
  const evidenceBytes = encodeEvidence(
    evidenceRows({
      co,
      lists: learned.lists,
      totalBaskets: trainBaskets,
      minSupport: options.minSupport,
      // The category level from the train baskets only, as the item level.
      categories: categoryLevel(baskets, rows, { ...options, include: split.isTrain }, reporter),
      lookalikes: lookalikeLevel(rows, co.itemBaskets, options.minSupport),
    }),
  );
  const evidence = new Evidence(evidenceBytes, catalog.size);
  // The answers exactly as the worker serves them: the graph's candidates once, then the rules.
  const context = timed("served candidates", () =>
    servedContext({
      catalog,
      evidence,
      ladders: new LadderIndex(catalog),
      scorer: served("sidecart", learned.tables),
      similarity: (anchor, members) =>
        referenceCandidateSimilarity(
          learned.tables,
          [anchor],
          members,
          members.map(() => 0),
        ),
      skus: baskets.skus,
      testBaskets: testLines(baskets, split, catalog),
    }),
  );
  const config = options.config ?? null;
  const rules = config === null ? DEFAULT_RULES : resolveRules(config.document.rules);
  const productRules = effectiveRules(rules, "product").crossSell;
  const audit = new RulesAudit(
    context,
    co,
    trainBaskets,
    { ...productRules, minSupport: Math.max(productRules.minSupport, options.minSupport) },
    options.k,
  );
  const servedFigures = timed("served rules", () =>
    servedReport(
      context,
      { path: config?.path ?? "default", rules, experiments: config?.document.experiments ?? [] },
      options.k,
      audit.observe,
    ),
  );
  // What a merchandiser trades: each swept knob's curve, and the two ranking objectives on the same
  // queries (the catalog sample is left out: it does not change with these knobs' answers' order).
  const serveWith = (r: typeof rules) => evaluateServed(context, r, options.k, { catalogCoverage: false });
  const sweeps: Record<string, SweepResult> = {};
  for (const sweep of options.sweeps ?? []) {
    const step = reporter.step(`sweep ${sweep.knob}`, sweep.values.length, "values");
    sweeps[sweep.knob] = timed(`sweep ${sweep.knob}`, () =>
      runSweep(sweep, rules, options.k, serveWith, (done) => step.update(done)),
    );
    step.done(`${sweep.values.length} values`);
  }
  const withObjective = (objective: "relevance" | "revenue") =>
    serveWith({ ...rules, crossSell: { ...rules.crossSell, objective } });
  const objectives = timed("objectives", () => ({
    relevance: withObjective("relevance"),
    revenue: withObjective("revenue"),
  }));
  // The dense EASE baseline last: its fit has been running in the background all this time.
  let baselineEase: EvalResult["baselineEase"] = null;
  if (easeTuning !== null) {
    const waited = performance.now();
    const tuned = await easeTuning.result();
    seconds["ease baseline fit (background)"] = Math.round(tuned.seconds * 100) / 100;
    seconds["ease baseline wait"] = Math.round((performance.now() - waited) / 10) / 100;
    baselineEase = { lambda: tuned.lambda, validation: tuned.validation };
    evaluateModel(ease("ease", tuned.fit, baskets.skus.length));
  }
  const graph = buildScoringModel(learned.tables, { version: "eval", trainingWindow: { from: cut, to: cut } });
  const modelBytes =
    graph.length + encodeTables(learned.tables).length + encodeCatalog(rows).length + evidenceBytes.length;
  return {
    cut,
    items: split.trainItems.size,
    test_baskets: split.testBaskets.length,
    k: options.k,
    // sidecart's figures gain the served block, keeping their place among the models.
    models: { ...models, ...(models.sidecart ? { sidecart: { ...models.sidecart, served: servedFigures } } : {}) },
    sidecart: {
      learner: learned.learner,
      bytesPerItem: Math.round((modelBytes / catalog.size) * 10) / 10,
      easeLambda: options.easeLambda,
      ...audit.result(split.trainItems.size),
    },
    sweeps,
    objectives,
    baselineEase,
    seconds,
  };
}

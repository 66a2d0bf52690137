/**
 * npm run bench:learners — the learners side by side on one time split: trains sidecart's model with
 * each --learner (and each --ease-candidates given) and evaluates it on the basket and anchor tasks
 * (no baselines), and the also-bought answer as served (rules on, fallback levels), printing one JSON
 * line. Defaults to the shared Online Retail split.
 *   BENCH_ORDERS, BENCH_CATALOG, BENCH_CUT, BENCH_CURRENCY, BENCH_LEARNERS=dense,sparse,confidence,
 *   BENCH_CANDIDATES=32,64
 */
import { runEval } from "../trainer/eval/runEval.js";
import { LEARNER_CHOICES, type LearnerChoice } from "../trainer/learnModel.js";
import { createReporter } from "../trainer/progress.js";
import { TRAIN_DEFAULTS } from "../trainer/train.js";

const shared = "../shared/data/online-retail-2010-12-to-2011-06";
const orders = process.env.BENCH_ORDERS ?? `${shared}/orders.csv.gz`;
const catalog = process.env.BENCH_CATALOG ?? `${shared}/catalog.csv.gz`;
const cut = process.env.BENCH_CUT ?? "2011-05-01";
const currency = process.env.BENCH_CURRENCY ?? "GBP";
const learners = (process.env.BENCH_LEARNERS ?? "dense,sparse,confidence")
  .split(",")
  .map((name) => LEARNER_CHOICES.find((c) => c === name) ?? "auto") satisfies LearnerChoice[];
const candidateCounts = (process.env.BENCH_CANDIDATES ?? String(TRAIN_DEFAULTS.easeCandidates)).split(",").map(Number);

const reporter = createReporter({ quiet: true });
const rows: Record<string, number | string | Record<string, number>>[] = [];
for (const learner of learners) {
  for (const easeCandidates of learner === "sparse" ? candidateCounts : [TRAIN_DEFAULTS.easeCandidates]) {
    const result = await runEval({
      ...TRAIN_DEFAULTS,
      orders,
      catalog,
      currency,
      cut,
      k: 10,
      baselines: "none",
      learner,
      easeCandidates,
      maxEaseItems: 100_000,
      reporter,
    });
    const m = result.models.sidecart;
    const row = {
      learner: learner === "sparse" ? `sparse/${easeCandidates}` : learner,
      items: result.items,
      basketHR10: m?.basket["HR@10"] ?? NaN,
      anchorHR10: m?.anchor["HR@10"] ?? NaN,
      trainSeconds: result.seconds["sidecart train"] ?? NaN,
      // The also-bought answer as served (rules on, fallback levels): anchors answered, its HR@10.
      servedCoverage: result.sidecart.served.anchor.coverage,
      servedHR10: result.sidecart.served.anchor["HR@10"] ?? NaN,
      servedSources: result.sidecart.served.anchor.sources,
      servedCatalogCoverage: result.sidecart.served.catalogCoverage,
    };
    rows.push(row);
    process.stderr.write(`${JSON.stringify(row)}\n`);
  }
}
process.stdout.write(`${JSON.stringify({ orders, cut, rows })}\n`);

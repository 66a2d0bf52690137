/**
 * npm run bench:learners — the learners side by side on one time split: trains sidecart's model with
 * each --learner (and each --ease-candidates given) and evaluates it on the basket and anchor tasks
 * (no baselines), and the answers as served (default rules: also-bought, cart, upgrades), printing one JSON
 * line. Defaults to the bundled Online Retail sample (data/, the months 2010-12 to 2011-06).
 *   BENCH_ORDERS, BENCH_CATALOG, BENCH_CUT, BENCH_CURRENCY, BENCH_LEARNERS=dense,sparse,confidence,
 *   BENCH_CANDIDATES=32,64
 */
import { runEval } from "../trainer/eval/runEval.js";
import type { TaskServed } from "../trainer/eval/servedEval.js";
import { learnerArg } from "../trainer/commands/trainArgs.js";
import type { LearnerChoice } from "../trainer/learn/learnModel.js";
import { createReporter } from "../trainer/progress.js";
import { TRAIN_DEFAULTS } from "../trainer/train.js";

const orders = process.env.BENCH_ORDERS ?? "data/orders.csv.gz";
const catalog = process.env.BENCH_CATALOG ?? "data/catalog.csv.gz";
const cut = process.env.BENCH_CUT ?? "2011-05-01";
const currency = process.env.BENCH_CURRENCY ?? "GBP";
// The CLI's own parser: a misspelt name stops the bench instead of quietly running `auto`.
const learners: LearnerChoice[] = (process.env.BENCH_LEARNERS ?? "dense,sparse,confidence").split(",").map(learnerArg);
const candidateCounts = (process.env.BENCH_CANDIDATES ?? String(TRAIN_DEFAULTS.easeCandidates)).split(",").map(Number);

/** A served task's figures for the bench line. */
const taskFigures = (t: TaskServed) => ({
  queries: t.queries,
  coverage: t.coverage,
  HR10: t["HR@10"] ?? NaN,
  revenue10: t["revenue@10"] ?? NaN,
  revenueShare10: t["revenueShare@10"] ?? NaN,
});

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
    const served = m?.served;
    const row = {
      learner: learner === "sparse" ? `sparse/${easeCandidates}` : learner,
      items: result.items,
      basketHR10: m?.basket["HR@10"] ?? NaN,
      anchorHR10: m?.anchor["HR@10"] ?? NaN,
      trainSeconds: result.seconds["sidecart train"] ?? NaN,
      // The answers as served (default rules): per task, queries answered, HR@10, revenue captured@10.
      servedCoverage: served?.anchor.coverage ?? NaN,
      servedHR10: served?.anchor["HR@10"] ?? NaN,
      servedSources: served?.anchor.sources ?? {},
      servedCatalogCoverage: served?.anchor.catalogCoverage ?? NaN,
      servedRevenue10: served?.anchor["revenue@10"] ?? NaN,
      servedRevenueShare10: served?.anchor["revenueShare@10"] ?? NaN,
      servedBasket: served ? taskFigures(served.basket) : {},
      servedUpgrades: served ? taskFigures(served.upgrades) : {},
      servedSeconds: (result.seconds["served candidates"] ?? 0) + (result.seconds["served rules"] ?? 0),
    };
    rows.push(row);
    process.stderr.write(`${JSON.stringify(row)}\n`);
  }
}
process.stdout.write(`${JSON.stringify({ orders, cut, rows })}\n`);

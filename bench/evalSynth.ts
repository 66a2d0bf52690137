/**
 * npm run bench:eval-synth — the evaluation protocol at scale: the seeded bench:synth 50k shop
 * (bench/data/synth-50k, generated when missing, the same files bench:serve uses) split by time, with
 * sidecart's default learner (sparse) and --learner confidence next to popularity, co-count and cosine
 * (dense EASE cannot run at 50k). Then it reads the answers against the planted structure: the share of
 * each top-10 list (the anchor task's single-anchor answer) that lies in the anchor's complementary
 * leaves. Prints a table and ends with one JSON line.
 *   BENCH_ITEMS (50000), BENCH_CUT (2026-10-29: the last of the 90 days, ~2,800 test baskets; the
 *   baselines score every item for every query, so the test window sets the run time), BENCH_READ
 *   (anchors sampled for the planted-share reading, 1000)
 */
import { existsSync } from "node:fs";
import { runEval, type EvalResult, type EvalTrained } from "../trainer/eval/runEval.js";
import { topK } from "../trainer/eval/metrics.js";
import { evaluate } from "../trainer/eval/evaluate.js";
import { served, type QueryScorer } from "../trainer/eval/scorers.js";
import { createReporter } from "../trainer/progress.js";
import { textTable } from "../trainer/textTable.js";
import { TRAIN_DEFAULTS } from "../trainer/train.js";
import { plantedPartners } from "./plantedCheck.js";
import { plant, synthLeaf, synthShop, synthSku, writeSynth } from "./synth.js";

const items = Number(process.env.BENCH_ITEMS ?? 50_000);
const cut = process.env.BENCH_CUT ?? "2026-10-29";
const readCount = Number(process.env.BENCH_READ ?? 1000);
const SEED = 42;
const { dir, orders, catalog } = synthShop(items);
const log = (line: string) => process.stderr.write(`${line}\n`);
const round = (x: number, digits = 4) => Math.round(x * 10 ** digits) / 10 ** digits;

const started = performance.now();
if (!existsSync(orders)) {
  log(`${dir}: generating ${items} items (bench:synth, seed ${SEED})`);
  // The same call as bench/datasets.ts, so bench:serve and this bench share the files.
  await writeSynth({ items, baskets: 5 * items, seed: SEED, out: dir });
}

const reporter = createReporter({ quiet: true });
const base = { ...TRAIN_DEFAULTS, orders, catalog, currency: "USD", cut, k: 10, reporter };
const evalSeconds: Record<string, number> = {};
const timedEval = async (name: string, run: () => Promise<EvalResult>) => {
  const start = performance.now();
  log(`eval: ${name}`);
  const result = await run();
  evalSeconds[name] = round((performance.now() - start) / 1000, 1);
  log(`eval: ${name} done in ${evalSeconds[name]} s ${JSON.stringify(result.seconds)}`);
  return result;
};
// The default learner (auto → sparse) with the baselines; confidence alone (the baselines are the same).
// Each run hands back its split and model, which the planted reading below uses as they are.
const trained: EvalTrained[] = [];
const keep = (t: EvalTrained) => trained.push(t);
const main = await timedEval("sparse + baselines", () => runEval({ ...base, baselines: "no-ease", onTrained: keep }));
const confidence = await timedEval("confidence", () =>
  runEval({ ...base, learner: "confidence", baselines: "none", onTrained: keep }),
);

const figures = (result: EvalResult, model: string) => {
  const m = result.models[model];
  return { basketHR10: m?.basket["HR@10"] ?? Number.NaN, anchorHR10: m?.anchor["HR@10"] ?? Number.NaN };
};
const models: Record<string, { basketHR10: number; anchorHR10: number }> = {
  [`sidecart (${main.sidecart.learner})`]: figures(main, "sidecart"),
  [`sidecart (${confidence.sidecart.learner})`]: figures(confidence, "sidecart"),
  "co-count": figures(main, "co-count"),
  popularity: figures(main, "popularity"),
  cosine: figures(main, "cosine"),
};

// Reading the answers: top-10 for single anchors on the same train split, against the planted leaves.
const readStart = performance.now();
const { complements, rank } = plant(items, SEED);
const [first] = trained;
if (first === undefined) throw new Error("runEval did not report its trained model");
const { baskets, split, co } = first;
const scorers: QueryScorer[] = trained.map(({ learned }) => served(`sidecart (${learned.learner})`, learned.tables));
/** Co-count over pairs seen in at least `min` train baskets; items with no such pair are never listed. */
const coCountAtLeast = (min: number): QueryScorer => ({
  name: min <= 1 ? "co-count" : `co-count (support >= ${min})`,
  score(query, out) {
    out.fill(Number.NEGATIVE_INFINITY);
    for (const i of query) {
      for (let p = co.rowStart[i] ?? 0; p < (co.rowStart[i + 1] ?? 0); p++) {
        const c = co.counts[p] ?? 0;
        if (c < min) continue;
        const j = co.cols[p] ?? 0;
        out[j] = (out[j] === Number.NEGATIVE_INFINITY ? 0 : (out[j] ?? 0)) + c;
      }
    }
  },
});
// Diagnostic: co-count held to the model's evidence floor (--min-support), on the same eval queries.
const floored = coCountAtLeast(base.minSupport);
log(`eval: ${floored.name}`);
const flooredMetrics = evaluate(floored, split, baskets.skus, 10);
models[floored.name] = {
  basketHR10: flooredMetrics.basket["HR@10"] ?? Number.NaN,
  anchorHR10: flooredMetrics.anchor["HR@10"] ?? Number.NaN,
};
// The planted reading lists only co-purchased items (eval's co-count fills a short list with zeros).
scorers.push(coCountAtLeast(1), floored);
const indexOf = new Map(baskets.skus.map((sku, i) => [sku, i]));
// Co-purchase is symmetric: an item is bought with its leaf's complements (as an anchor) and with the
// leaves that name its leaf as a complement (as an add-on; most tail items are bought only that way).
const plantedLeaves = plantedPartners(complements);
const reverse = complements.map(() => [] as number[]);
complements.forEach((targets, leaf) => targets.forEach((t) => reverse[t]?.push(leaf)));
const plantedShare = (anchor: number, top: readonly number[]) => {
  const leaves = plantedLeaves(synthLeaf(baskets.skus[anchor] ?? ""));
  return top.length === 0 ? 0 : top.filter((i) => leaves.has(synthLeaf(baskets.skus[i] ?? ""))).length / top.length;
};
// A handful shown in full: the most popular items and some further down the Zipf ranks.
const shown = [0, 1, 2, 10, 100, 1000, 5000, 20000].filter((r) => r < items).map((r) => rank[r] ?? 0);
// The aggregate: every (items / readCount)-th popularity rank, among items sold before the cut.
const sampled = Array.from({ length: readCount }, (_, s) => rank[Math.floor((s * items) / readCount)] ?? 0);
const scores = new Float64Array(baskets.skus.length);
const answer = (scorer: QueryScorer, anchor: number) => {
  scorer.score([anchor], scores);
  for (let i = 0; i < scores.length; i++) if (!split.trainItems.has(i)) scores[i] = Number.NEGATIVE_INFINITY;
  return topK(scores, 10, new Set([anchor]));
};
const lines: string[] = [];
for (const item of shown) {
  const anchor = indexOf.get(synthSku(item));
  if (anchor === undefined || !split.trainItems.has(anchor)) continue;
  const leaf = synthLeaf(synthSku(item));
  lines.push(
    `${synthSku(item)} (leaf ${leaf}, ${co.itemBaskets[anchor] ?? 0} train baskets; planted complements ${(complements[leaf] ?? []).join(", ")}; named as one by ${(reverse[leaf] ?? []).join(", ") || "none"})`,
  );
  for (const scorer of scorers) {
    const top = answer(scorer, anchor);
    const leaves = top.map((i) => synthLeaf(baskets.skus[i] ?? ""));
    lines.push(
      `  ${scorer.name.padEnd(24)} ${Math.round(plantedShare(anchor, top) * 100)
        .toString()
        .padStart(3)}% in planted leaves: ${leaves.join(" ")}`,
    );
  }
}
const planted: Record<
  string,
  { anchors: number; listed: number; meanLength: number; shareAt10: number; full: number; fullShareAt10: number }
> = {};
for (const scorer of scorers) {
  let sum = 0;
  let anchors = 0;
  let listed = 0;
  let length = 0;
  let full = 0;
  let fullSum = 0;
  for (const item of sampled) {
    const anchor = indexOf.get(synthSku(item));
    if (anchor === undefined || !split.trainItems.has(anchor)) continue;
    const top = answer(scorer, anchor);
    anchors++;
    length += top.length;
    if (top.length === 0) continue;
    listed++;
    sum += plantedShare(anchor, top);
    if (top.length < 10) continue;
    full++;
    fullSum += plantedShare(anchor, top);
  }
  planted[scorer.name] = {
    anchors,
    listed,
    meanLength: round(length / Math.max(anchors, 1), 2),
    shareAt10: round(sum / Math.max(listed, 1)),
    full,
    fullShareAt10: round(fullSum / Math.max(full, 1)),
  };
}
const readSeconds = round((performance.now() - readStart) / 1000, 1);

process.stdout.write(
  `${textTable(
    [
      "model",
      "basket HR@10",
      "anchor HR@10",
      "planted share @10",
      "(full lists)",
      "lists: non-empty, full, mean length",
    ],
    Object.entries(models).map(([name, m]) => [
      name,
      m.basketHR10.toFixed(4),
      m.anchorHR10.toFixed(4),
      planted[name]?.shareAt10.toFixed(4) ?? "",
      planted[name]?.fullShareAt10.toFixed(4) ?? "",
      planted[name] === undefined ? "" : `${planted[name].listed}, ${planted[name].full}, ${planted[name].meanLength}`,
    ]),
  ).join("\n")}\n`,
);
process.stdout.write(
  `${orders}, cut ${main.cut}: ${main.items} train items, ${main.test_baskets} test baskets; planted share = mean over the non-empty top-10 lists of ${planted["co-count"]?.anchors ?? 0} anchors (every ${items / readCount}th popularity rank) of the share of list items in the anchor's planted complementary leaves, either direction (full lists: those with 10 items); co-count (support >= ${base.minSupport}) is a diagnostic beside the eval, not one of its baselines\n\n`,
);
process.stdout.write(`${lines.join("\n")}\n`);
const seconds = {
  ...evalSeconds,
  "planted reading": readSeconds,
  total: round((performance.now() - started) / 1000, 1),
};
process.stdout.write(
  `${JSON.stringify({
    orders,
    cut: main.cut,
    items: main.items,
    testBaskets: main.test_baskets,
    basketQueries: main.models.sidecart?.basket.queries ?? 0,
    anchorQueries: main.models.sidecart?.anchor.queries ?? 0,
    models,
    plantedShareAt10: planted,
    bytesPerItem: { [main.sidecart.learner]: main.sidecart.bytesPerItem, confidence: confidence.sidecart.bytesPerItem },
    seconds,
  })}\n`,
);

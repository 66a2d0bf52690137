/**
 * npm run bench:planted — issue 18's audit on the seeded bench:synth shop (bench/data/synth-50k,
 * generated when missing, the same files bench:serve uses): trains with the defaults (train(), learner
 * auto → sparse, DEFAULT_RULES with the fallback levels), samples anchors by sales and uniformly, and
 * reads also-bought (every item's level), bundles and cart suggestions against the planted complementary
 * leaves (bench/plantedCheck.ts has the definitions). Prints a table and ends with one JSON line.
 *   BENCH_ITEMS (50000), BENCH_BASKETS (5 × items; a denser shop, such as issue 29's 20,000 items in
 *   ~1 M lines, goes to bench/data/synth-<items/1000>k-<baskets/1000>kb), BENCH_ANCHORS (anchors per
 *   sample, 2000), BENCH_CARTS (2000), BENCH_SEED (7)
 */
import { existsSync } from "node:fs";
import { DEFAULT_RULES } from "../models/config/rulesConfig.js";
import { SOURCES } from "../models/rules/fallbackLevels.js";
import { createReporter } from "../trainer/progress.js";
import { textTable } from "../trainer/textTable.js";
import { train, TRAIN_DEFAULTS } from "../trainer/train.js";
import { auditTrainedShop, type AnchorFigures, type Share } from "./plantedCheck.js";
import { plant, synthShop, writeSynth } from "./synth.js";

const items = Number(process.env.BENCH_ITEMS ?? 50_000);
const anchors = Number(process.env.BENCH_ANCHORS ?? 2000);
const carts = Number(process.env.BENCH_CARTS ?? 2000);
const seed = Number(process.env.BENCH_SEED ?? 7);
const baskets = Number(process.env.BENCH_BASKETS ?? 5 * items);
const SHOP_SEED = 42;
const { dir, orders, catalog } = synthShop(items, baskets);
const log = (line: string) => process.stderr.write(`${line}\n`);
const seconds = (since: number) => Math.round((performance.now() - since) / 100) / 10;

const started = performance.now();
if (!existsSync(orders)) {
  log(`${dir}: generating ${items} items (bench:synth, seed ${SHOP_SEED})`);
  // The same call as bench/datasets.ts, so bench:serve and this bench share the files.
  await writeSynth({ items, baskets, seed: SHOP_SEED, out: dir });
}
const reporter = createReporter({ quiet: true });
log(`${dir}: training (defaults)`);
const model = await train({ ...TRAIN_DEFAULTS, orders, catalog, currency: "USD", reporter });
const trainSeconds = seconds(started);
log(`trained in ${trainSeconds} s (${model.learner}); answering`);
const auditStart = performance.now();
const { figures, off, shop, served } = auditTrainedShop(model, plant(items, SHOP_SEED), items, {
  anchors,
  carts,
  seed,
});
const auditSeconds = seconds(auditStart);

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const share = (s: Share) => `${pct(s.inPlanted)} of ${s.items} (sibling leaves ${pct(s.inSibling)})`;
const rows = (name: string, f: AnchorFigures) => {
  const a = f.answered;
  const n = f.notAnswerable;
  return [
    [name, "anchors (answerable)", `${f.anchors} (${f.answerable}, ${pct(f.answerableShare)})`],
    [name, "answerable: non-empty also-bought", pct(a.nonEmpty)],
    [name, "answerable: also-bought items in planted leaves", share(a.alsoBought)],
    ...SOURCES.map((s) => [name, `  from level ${s}`, share(a.alsoBought.bySource[s])]),
    [name, "answerable: bundle add-ons in planted leaves", `${share(a.bundle)}, ${a.bundle.bundles} bundles`],
    [name, "not answerable: empty also-bought", `${pct(n.empty)} of ${n.anchors}`],
    ...SOURCES.map((s) => [
      name,
      `  answer has level ${s}; its items in planted leaves`,
      `${pct(n.withSource[s])}; ${pct(n.alsoBought.bySource[s].inPlanted)} of ${n.alsoBought.bySource[s].items}`,
    ]),
    [
      name,
      "not answerable: bundle add-ons in planted leaves",
      `${pct(n.bundle.inPlanted)} of ${n.bundle.items} (${n.bundle.bundles} bundles)`,
    ],
  ];
};
process.stdout.write(
  `${textTable(
    ["sample", "figure", "value"],
    [
      ...rows("by sales", figures.bySales),
      ...rows("uniform", figures.uniform),
      ["carts", "non-empty cart cross-sells", `${pct(figures.carts.nonEmpty)} of ${figures.carts.carts}`],
      ["carts", "suggestions in a planted leaf of the line named", share(figures.carts.suggestions)],
    ],
  ).join("\n")}\n`,
);
process.stdout.write(
  `${orders}: ${model.stats.items} items, ${model.stats.orders} orders; anchors by sales and uniform (${anchors} each, with replacement, seed ${seed}), ${carts} carts of 2–4 lines drawn as the generator draws baskets; answerable = an available product in a planted partner leaf (either direction, not the anchor's own) at ≤ ${DEFAULT_RULES.crossSell.priceRatio} × the anchor's price; default rules (also-bought limit ${DEFAULT_RULES.crossSell.limit}, levels ${DEFAULT_RULES.crossSell.fallback.join(", ")})\n`,
);
// A few answers off the planted leaves, for reading.
const sku = (i: number) => served.catalog.sku.get(i);
const byKind = new Map<string, number>();
for (const o of off) byKind.set(`${o.what}/${o.relation}`, (byKind.get(`${o.what}/${o.relation}`) ?? 0) + 1);
process.stdout.write(
  `off-planted items of answerable anchors and carts, by level/relation: ${JSON.stringify(Object.fromEntries(byKind))}\n`,
);
for (const o of off.filter((_, i) => i % Math.max(1, Math.floor(off.length / 10)) === 0).slice(0, 10)) {
  const leaf = shop.leaf[o.anchor] ?? -1;
  process.stdout.write(
    `  ${o.what} (${o.relation}): ${sku(o.anchor)} (leaf ${leaf}, partners ${[...shop.partners(leaf)].join(" ")}) -> ${sku(o.item)} (leaf ${shop.leaf[o.item]})\n`,
  );
}
process.stdout.write(
  `${JSON.stringify({
    orders,
    items: model.stats.items,
    learner: model.learner,
    anchorsPerSample: anchors,
    ...figures,
    seconds: { train: trainSeconds, audit: auditSeconds, total: seconds(started) },
  })}\n`,
);

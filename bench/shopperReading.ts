/**
 * npm run bench:read -- [version folder] [sku…]: the also-bought lists a shopper sees, read as a
 * shopper reads them: for the 200 best sellers (by baskets), how many lists of 6 hold three or more
 * items of one product type (the catalog's learned types, trainer/productTypes.ts; its leaf categories
 * where it has them), with the first lists printed, and any SKUs asked for. Trains the bundled sample
 * into bench/out/models-sample when no folder is given. Ends with one JSON line.
 */
import { existsSync } from "node:fs";
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { DEFAULT_RULES } from "../models/config/rulesConfig.js";
import { NO_GROUP } from "../models/catalog.js";
import { alsoBought, answer } from "../models/surfaces.js";
import { writeArtifacts } from "../trainer/artifacts.js";
import { createReporter } from "../trainer/progress.js";
import { train, TRAIN_DEFAULTS } from "../trainer/train.js";
import { wholeFixture } from "./pagedEquality.js";

const [folder, ...asked] = process.argv.slice(2);
const BEST_SELLERS = 200;
const SHOWN = 5;

async function sampleFolder(): Promise<string> {
  const out = join("bench", "out", "models-read");
  if (!existsSync(out)) {
    const model = await train({
      ...TRAIN_DEFAULTS,
      orders: "data/orders.csv.gz",
      catalog: "data/catalog.csv.gz",
      currency: "GBP",
      reporter: createReporter({ quiet: true }),
    });
    await writeArtifacts(model, out);
  }
  const [version] = await readdir(out);
  if (version === undefined) throw new Error(`${out} holds no version`);
  return join(out, version);
}

const dir = folder !== undefined && folder !== "" ? folder : await sampleFolder();
const { whole, source } = await wholeFixture(dir);
const { catalog, evidence } = whole;
const groups = catalog.hasCategories ? catalog.categoryId : catalog.typeId;
const groupName = (i: number) => {
  const g = groups?.[i] ?? NO_GROUP;
  if (g === NO_GROUP) return "-";
  return catalog.hasCategories ? catalog.categoryNames.get(g) : `type ${g}`;
};
const rules = DEFAULT_RULES.crossSell;
const listOf = (anchor: number) =>
  answer(alsoBought(whole, { anchor, rules, exclude: new Set(), limit: 6 }), source).items;

const bestSellers = Array.from({ length: catalog.size }, (_, i) => i)
  .sort((a, b) => (evidence.itemBaskets[b] ?? 0) - (evidence.itemBaskets[a] ?? 0) || a - b)
  .slice(0, BEST_SELLERS);
let crowded = 0;
let nonEmpty = 0;
const lines: string[] = [];
for (const anchor of bestSellers) {
  const items = listOf(anchor);
  if (items.length > 0) nonEmpty++;
  const perGroup = new Map<number, number>();
  for (const { index } of items) {
    const g = groups?.[index] ?? NO_GROUP;
    if (g !== NO_GROUP) perGroup.set(g, (perGroup.get(g) ?? 0) + 1);
  }
  if (Math.max(0, ...perGroup.values()) >= 3) crowded++;
  if (lines.length < SHOWN) lines.push(describe(anchor, items));
}
for (const sku of asked) {
  const anchor = catalog.indexOf(sku);
  lines.push(anchor === undefined ? `${sku}: not in the catalog` : describe(anchor, listOf(anchor)));
}

function describe(anchor: number, items: ReturnType<typeof listOf>): string {
  const head = `${catalog.sku.get(anchor)} ${catalog.title.get(anchor)} (${catalog.priceOf(anchor) ?? "?"}, ${evidence.itemBaskets[anchor] ?? 0} baskets)`;
  const rows = items.map(
    ({ index, source: level, evidence: e }) =>
      `    ${catalog.title.get(index)} (${catalog.priceOf(index) ?? "?"}) [${groupName(index)}] ${level} support ${e.support} lift ${e.lift.toFixed(1)}`,
  );
  return [head, ...(rows.length > 0 ? rows : ["    (empty)"])].join("\n");
}

process.stderr.write(`${lines.join("\n")}\n`);
console.log(
  JSON.stringify({
    folder: dir,
    bestSellers: bestSellers.length,
    nonEmpty,
    crowded,
    crowdedShare: crowded / bestSellers.length,
  }),
);

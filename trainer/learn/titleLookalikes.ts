import { NO_GROUP, type CatalogRows } from "../../models/catalog.js";
import { DEFAULT_RULES } from "../../models/config/rulesConfig.js";
import type { LookalikeRows } from "../../models/lookalikes.js";

export interface LookalikeOptions {
  /** Items in fewer baskets than this (the privacy floor: no pair of theirs can be shown) get lookalikes. */
  coldBelow: number;
  /** Lookalikes kept per cold item. */
  perItem: number;
  /** Cosine of the titles' word weights a lookalike needs. */
  minSimilarity: number;
}

export const LOOKALIKE_DEFAULTS = { perItem: 3, minSimilarity: 0.5 } as const;

/**
 * The evidence's lookalikes for a catalog without categories (one with categories has the category
 * level for its new products): cold = under the serving privacy floor, so no pair of its can be shown.
 */
export function lookalikeLevel(
  catalog: Pick<CatalogRows, "titles" | "familyIds" | "categoryNames">,
  itemBaskets: Int32Array,
  trainerMinSupport: number,
): LookalikeRows | undefined {
  if (catalog.categoryNames.length > 0) return undefined;
  return titleLookalikes(catalog.titles, itemBaskets, catalog.familyIds, {
    ...LOOKALIKE_DEFAULTS,
    coldBelow: Math.max(trainerMinSupport, DEFAULT_RULES.crossSell.minSupport),
  });
}

/**
 * A word in more than this share of titles (and at least COMMON_MIN) is too common to find lookalikes
 * by (SET, BAG…): it still counts in the cosine, but its postings are not walked, which keeps the
 * search near-linear.
 */
const COMMON_SHARE = 0.02;
const COMMON_MIN = 20;

/** A title's distinct words of three letters or more (numbers and sizes say nothing of the kind). */
function words(title: string): string[] {
  return [
    ...new Set(
      title
        .toUpperCase()
        .split(/[^A-Z]+/)
        .filter((w) => w.length >= 3),
    ),
  ];
}

/**
 * For each cold product (never sold, or sold too rarely for any pair to pass the privacy floor) the
 * sold products whose titles are most alike (cosine of idf-weighted title words, ≥ minSimilarity,
 * other variant families only: variants are walked anyway). A catalog without categories has nothing
 * else to say about a product launched today; what is bought with a product of the same kind (WRAP
 * 50'S CHRISTMAS and WRAP CHRISTMAS VILLAGE) is the honest next best, and the evidence says so.
 */
export function titleLookalikes(
  titles: readonly string[],
  itemBaskets: Int32Array,
  familyIds: Int32Array,
  options: LookalikeOptions,
): LookalikeRows {
  const n = titles.length;
  const tokens = titles.map(words);
  const vocabulary = new Map<string, number>();
  const ids = tokens.map((list) =>
    list.map((w) => {
      let id = vocabulary.get(w);
      if (id === undefined) vocabulary.set(w, (id = vocabulary.size));
      return id;
    }),
  );
  const df = new Int32Array(vocabulary.size);
  for (const list of ids) for (const t of list) df[t] = (df[t] ?? 0) + 1;
  const idf = Float64Array.from(df, (d) => Math.log(n / Math.max(d, 1)));
  const norm = Float64Array.from(ids, (list) => Math.sqrt(list.reduce((s, t) => s + (idf[t] ?? 0) ** 2, 0)));
  const warm = (i: number) => (itemBaskets[i] ?? 0) >= options.coldBelow;
  // Postings of warm items only, for the words rare enough to mean something.
  const common = Math.max(COMMON_MIN, Math.ceil(COMMON_SHARE * n));
  const postings = Array.from({ length: vocabulary.size }, () => [] as number[]);
  ids.forEach((list, i) => {
    if (!warm(i)) return;
    for (const t of list) if ((df[t] ?? 0) < common) postings[t]?.push(i);
  });

  const start = new Int32Array(n + 1);
  const out: number[] = [];
  const score = new Float64Array(n);
  const touched: number[] = [];
  for (let c = 0; c < n; c++) {
    if (!warm(c)) {
      for (const t of ids[c] ?? []) {
        const weight = (idf[t] ?? 0) ** 2;
        for (const j of postings[t] ?? []) {
          if (score[j] === 0) touched.push(j);
          score[j] = (score[j] ?? 0) + weight;
        }
      }
      const family = familyIds[c] ?? NO_GROUP;
      const ranked = touched
        .map((j) => ({ j, cosine: (score[j] ?? 0) / ((norm[c] ?? 1) * (norm[j] ?? 1)) }))
        .filter(({ j, cosine }) => cosine >= options.minSimilarity && (family === NO_GROUP || familyIds[j] !== family))
        .sort((a, b) => b.cosine - a.cosine || a.j - b.j)
        .slice(0, options.perItem);
      for (const { j } of ranked) out.push(j);
      for (const j of touched) score[j] = 0;
      touched.length = 0;
    }
    start[c + 1] = out.length;
  }
  return { start, items: Int32Array.from(out) };
}

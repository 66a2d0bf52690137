import { NO_GROUP, type CatalogRows } from "../../models/catalog.js";
import { LOOKALIKES_PER_ITEM } from "../../models/evidence.js";
import type { LookalikeRows } from "../../models/lookalikes.js";

export interface LookalikeOptions {
  /** The privacy floor the model is trained at (--min-support): an item in fewer baskets has no pair. */
  minSupport: number;
  /** Lookalikes the serving side walks per cold anchor (the first of those over its floor). */
  perItem: number;
  /** Cosine of the titles' word weights a lookalike needs. */
  minSimilarity: number;
}

export const LOOKALIKE_DEFAULTS = { perItem: LOOKALIKES_PER_ITEM, minSimilarity: 0.5 } as const;

/**
 * The evidence's lookalikes for a catalog without categories (one with categories has the category
 * level for its new products), built at the trainer's own floor: which products are cold is decided at
 * answer time, by the live config's floor (Evidence.lookalikesOf), so a config pushed after training
 * reaches them.
 */
export function lookalikeLevel(
  catalog: Pick<CatalogRows, "titles" | "familyIds" | "categoryNames">,
  itemBaskets: Int32Array,
  trainerMinSupport: number,
): LookalikeRows | undefined {
  if (catalog.categoryNames.length > 0) return undefined;
  return titleLookalikes(catalog.titles, itemBaskets, catalog.familyIds, {
    ...LOOKALIKE_DEFAULTS,
    minSupport: trainerMinSupport,
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
 * Each product's title lookalikes: sold products whose titles are most alike (cosine of idf-weighted
 * title words, ≥ minSimilarity, other variant families only: variants are walked anyway). A catalog
 * without categories has nothing else to say about a product launched today, or sold too rarely for
 * any pair of its to pass the floor; what is bought with a product of the same kind (WRAP 50'S
 * CHRISTMAS and WRAP CHRISTMAS VILLAGE) is the honest next best, and the evidence says so.
 *
 * Which products are cold depends on the floor the answer is served at (crossSell.minSupport, which a
 * config can change after training): under floor f, a product in fewer than f baskets is cold, and its
 * lookalikes are the first perItem, by cosine, of those in at least f baskets. So the list stored for a
 * product holds every lookalike that is among those first perItem for some floor f above the product's
 * own baskets: a candidate j stays unless perItem candidates more alike are in at least as many baskets
 * (then they, not j, are the first perItem for every floor j passes). The serving side takes the first
 * perItem of the list over its floor, exactly the lookalikes a training at that floor would have kept.
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
  const baskets = (i: number) => itemBaskets[i] ?? 0;
  // Postings of the items that can have a pair at all (at the trainer's floor; no served floor is lower),
  // for the words rare enough to mean something, most baskets first: an item's candidates are in more
  // baskets than it (only they can pass a floor it fails), so its walk stops at the first that is not.
  const common = Math.max(COMMON_MIN, Math.ceil(COMMON_SHARE * n));
  const postings = Array.from({ length: vocabulary.size }, () => [] as number[]);
  ids.forEach((list, i) => {
    if (baskets(i) < options.minSupport) return;
    for (const t of list) if ((df[t] ?? 0) < common) postings[t]?.push(i);
  });
  for (const list of postings) list.sort((a, b) => baskets(b) - baskets(a) || a - b);

  const start = new Int32Array(n + 1);
  const out: number[] = [];
  const score = new Float64Array(n);
  const touched: number[] = [];
  // The perItem most baskets among the candidates kept so far, most first: the same as among all ranked
  // so far, since one left out has perItem kept ones above it in at least as many baskets.
  const most: number[] = [];
  for (let c = 0; c < n; c++) {
    const own = baskets(c);
    for (const t of ids[c] ?? []) {
      const weight = (idf[t] ?? 0) ** 2;
      for (const j of postings[t] ?? []) {
        if (baskets(j) <= own) break;
        if (score[j] === 0) touched.push(j);
        score[j] = (score[j] ?? 0) + weight;
      }
    }
    const family = familyIds[c] ?? NO_GROUP;
    const ranked: { j: number; cosine: number }[] = [];
    for (const j of touched) {
      const cosine = (score[j] ?? 0) / ((norm[c] ?? 1) * (norm[j] ?? 1));
      if (cosine >= options.minSimilarity && (family === NO_GROUP || familyIds[j] !== family))
        ranked.push({ j, cosine });
    }
    ranked.sort((a, b) => b.cosine - a.cosine || a.j - b.j);
    most.length = 0;
    for (const { j } of ranked) {
      const b = baskets(j);
      if (most.length === options.perItem && (most.at(-1) ?? 0) >= b) continue;
      out.push(j);
      most.push(b);
      most.sort((x, y) => y - x);
      if (most.length > options.perItem) most.pop();
    }
    for (const j of touched) score[j] = 0;
    touched.length = 0;
    start[c + 1] = out.length;
  }
  return { start, items: Int32Array.from(out) };
}

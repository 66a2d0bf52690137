import { UNCORRECTED_THRESHOLD } from "../../models/rules/significance.js";
import { Catalog, encodeCatalog, NO_GROUP, NO_PACK, NO_PRICE, type PackMeasure } from "../../models/catalog.js";
import type { CategoryAffinityRows } from "../../models/categoryEvidence.js";
import { encodeEvidence, Evidence, NO_NEIGHBOUR } from "../../models/evidence.js";
import type { LevelSignificance } from "../../models/significanceSection.js";

export interface ItemSpec {
  sku: string;
  /** The product's title; its SKU in lower case unless given. */
  title?: string;
  /** Decimal price; null = unknown. */
  price: number | null;
  category?: string;
  family?: string;
  tier?: number;
  brand?: string;
  available?: boolean;
  /** A product type as the trainer learns them for catalogs without categories. */
  type?: string;
  /** A pack size as the trainer reads it (trainer/packSize.ts): its measure and amount. */
  pack?: [PackMeasure, number];
}

/** A hand-made catalog, through the real blob codec. */
export function makeCatalog(items: readonly ItemSpec[], currency = "GBP"): Catalog {
  const names = (pick: (i: ItemSpec) => string | undefined) => {
    const list: string[] = [];
    const ids = Int32Array.from(items, (item) => {
      const value = pick(item);
      if (value === undefined) return NO_GROUP;
      if (!list.includes(value)) list.push(value);
      return list.indexOf(value);
    });
    return { ids, list };
  };
  const categories = names((i) => i.category);
  const families = names((i) => i.family);
  const types = names((i) => i.type);
  return new Catalog(
    encodeCatalog({
      currency,
      currencyExponent: 2,
      skus: items.map((i) => i.sku),
      titles: items.map((i) => i.title ?? i.sku.toLowerCase()),
      prices: Int32Array.from(items, (i) => (i.price === null ? NO_PRICE : Math.round(i.price * 100))),
      categoryIds: categories.ids,
      categoryNames: categories.list,
      familyIds: families.ids,
      familyNames: families.list,
      brands: items.map((i) => i.brand ?? ""),
      tiers: Float32Array.from(items, (i) => i.tier ?? Number.NaN),
      available: Uint8Array.from(items, (i) => (i.available === false ? 0 : 1)),
      ...(types.list.length > 0 ? { types: { ids: types.ids, names: types.list } } : {}),
      ...(items.some((i) => i.pack)
        ? {
            packs: {
              measure: Uint8Array.from(items, (i) => i.pack?.[0] ?? NO_PACK),
              amount: Float32Array.from(items, (i) => i.pack?.[1] ?? Number.NaN),
            },
          }
        : {}),
    }),
  );
}

/**
 * Hand-made evidence: pairs (a, b, support) stored both ways, item basket counts, total baskets.
 */
export function makeEvidence(
  itemBaskets: readonly number[],
  pairs: readonly [number, number, number][],
  totalBaskets: number,
  options: {
    neighbours?: number;
    minSupport?: number;
    categories?: CategoryAffinityRows;
    significance?: LevelSignificance;
  } = {},
): Evidence {
  const K = options.neighbours ?? 8;
  const n = itemBaskets.length;
  const neighbourItems = new Int32Array(n * K).fill(NO_NEIGHBOUR);
  const support = new Int32Array(n * K);
  const fill = new Int32Array(n);
  const add = (a: number, b: number, s: number) => {
    const slot = a * K + (fill[a] ?? 0);
    neighbourItems[slot] = b;
    support[slot] = s;
    fill[a] = (fill[a] ?? 0) + 1;
  };
  for (const [a, b, s] of pairs) {
    add(a, b, s);
    add(b, a, s);
  }
  return new Evidence(
    encodeEvidence({
      totalBaskets,
      minSupport: options.minSupport ?? 1,
      neighbours: K,
      itemBaskets: Int32Array.from(itemBaskets),
      neighbourItems,
      support,
      ...(options.categories ? { categories: options.categories } : {}),
      ...(options.significance ? { significance: options.significance } : {}),
    }),
    n,
  );
}

/**
 * Evidence pairs written one line: pairs`0-3:30 1-2:40` is [[0, 3, 30], [1, 2, 40]] (a-b:support), in the
 * order written (makeEvidence fills each item's neighbour slots in that order). Numbers may be
 * interpolated: pairs`2-3:${together}`.
 */
export function pairs(strings: TemplateStringsArray, ...values: number[]): [number, number, number][] {
  const text = String.raw({ raw: strings }, ...values).trim();
  if (text === "") return [];
  return text.split(/\s+/).map((token) => {
    const match = /^(\d+)-(\d+):(\d+)$/.exec(token);
    if (!match) throw new Error(`pairs: "${token}" is not a-b:support`);
    return [Number(match[1]), Number(match[2]), Number(match[3])];
  });
}

/** Candidates as the model would give them: items with scores. */
export function scored(pairs: readonly [number, number][]) {
  return { items: pairs.map(([i]) => i), scores: pairs.map(([, s]) => s) };
}

/** Candidates 1, 2, 3, … (item 0 is the anchor) with these scores. */
export function ranked(scores: readonly number[]) {
  return { items: scores.map((_, i) => i + 1), scores: [...scores] };
}

/** The default relevance knobs with each pair tested on its own (evidence without significance counts). */
export const LONE_TEST_KNOBS = {
  minSupport: 5,
  minWorth: 5,
  minLift: 1,
  pairPValue: UNCORRECTED_THRESHOLD,
  categoryPValue: UNCORRECTED_THRESHOLD,
};

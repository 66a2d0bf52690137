/**
 * Exhaustive references: score every catalog item in plain TypeScript, apply the same rules, take the
 * top `limit`. If the model's candidate pruning (neighbour lists, top-k, ladders) ever dropped a
 * valid suggestion or admitted an invalid one, the API's answer would differ from these.
 */
import { NO_GROUP, NO_PRICE, type Catalog } from "../../models/catalog.js";
import {
  UPSELL_DEFAULTS,
  type BundleRules,
  type CartRules,
  type CrossSellRules,
} from "../../models/config/rulesConfig.js";
import type { Evidence } from "../../models/evidence.js";
import { isAvailable } from "../../models/rules/availability.js";
import { LadderIndex } from "../../models/rules/ladder.js";
import type { PricedLine } from "../../models/rules/scoredLines.js";
import { referenceCandidates } from "../../models/referenceCandidates.js";
import { alsoBought, answer, bundle, cart, type CandidateSource, type Shop } from "../../models/surfaces.js";
import {
  coveredBySpend,
  inPriceBand,
  isHigherTier,
  isSmallerPack,
  upgradeOrder,
  type UpgradeRequest,
} from "../../models/rules/upsell.js";
import { addCoPurchase, basketQuery, referenceSimilarity, type ScoringTables } from "../../models/scoringTables.js";
import { fromBase64 } from "../base64.js";
import type { SeedModel } from "../seedModel.js";

export interface ReferenceModel extends Shop {
  catalog: Catalog;
  tables: ScoringTables;
  /** Every catalog item scored for a basket: the pipeline's candidate source of this reference. */
  everything: CandidateSource;
}

export function referenceModel(seed: SeedModel, catalog: Catalog, evidence: Evidence): ReferenceModel {
  const t = seed.tables;
  const tables: ScoringTables = {
    itemCount: t.itemCount,
    neighbours: t.neighbours,
    dimension: t.dimension,
    embeddingWeight: t.embeddingWeight,
    neighbourItems: new Int32Array(fromBase64(t.neighbourItems)),
    neighbourWeights: new Int8Array(fromBase64(t.neighbourWeights)),
    neighbourScales: new Float32Array(fromBase64(t.neighbourScales)),
    confidenceWeights: new Int16Array(fromBase64(t.confidenceWeights)),
    confidenceScales: new Float32Array(fromBase64(t.confidenceScales)),
    confidenceBlend: t.confidenceBlend,
    blendPower: t.blendPower,
    embeddings: new Int8Array(fromBase64(t.embeddings)),
    embeddingScales: new Float32Array(fromBase64(t.embeddingScales)),
  };
  const ref = { catalog, evidence, tables, ladders: new LadderIndex(catalog) };
  return { ...ref, everything: referenceCandidates(tables, (basket) => scoreEverything(ref, basket)) };
}

/**
 * The model's score for every catalog item outside the basket: the graph's arithmetic
 * (models/scoringTables.ts addCoPurchase and the embedding term), with items outside the basket's
 * neighbour lists scoring their embedding term alone, so the rules see the whole catalog.
 */
export function scoreEverything(ref: { tables: ScoringTables }, basket: readonly number[]) {
  const { tables } = ref;
  const co = new Float64Array(tables.itemCount);
  addCoPurchase(tables, basket, [], (c, value) => (co[c] = (co[c] ?? 0) + value));
  const q = basketQuery(tables, basket, []);
  const inBasket = new Set(basket);
  const items: number[] = [];
  const scores: number[] = [];
  for (let c = 0; c < tables.itemCount; c++) {
    if (inBasket.has(c)) continue;
    items.push(c);
    scores.push((co[c] ?? 0) + tables.embeddingWeight * referenceSimilarity(tables, q, c));
  }
  return { items, scores };
}

/** Also-bought through the answer pipeline, with every catalog item as a candidate. */
export function referenceAlsoBought(
  ref: ReferenceModel,
  anchor: number,
  rules: CrossSellRules,
  exclude: ReadonlySet<number>,
  limit: number,
) {
  return answer(alsoBought(ref, { anchor, rules, exclude, limit }), ref.everything);
}

export function referenceBundle(
  ref: ReferenceModel,
  anchor: number,
  crossSell: CrossSellRules,
  rules: BundleRules,
  exclude: ReadonlySet<number>,
) {
  return answer(bundle(ref, { anchor, crossSell, bundle: rules, exclude }), ref.everything);
}

/** The cart's cross-sells through the answer pipeline, each add-on priced against its line. */
export function referenceCart(
  ref: ReferenceModel,
  lines: readonly PricedLine[],
  crossSell: CrossSellRules,
  cartRules: CartRules,
  exclude: ReadonlySet<number>,
  limit: number,
) {
  const rules = { crossSell, upsell: UPSELL_DEFAULTS, cart: { ...cartRules, upgradesPerLine: 0 } };
  return answer(cart(ref, { lines, rules, stage: "cart", exclude, limit }), ref.everything).crossSells;
}

/**
 * Upgrades by scanning the whole catalog (no ladder index): same leaf category or family, priced,
 * available, not excluded, a higher tier (or, by price alone, no smaller pack), in the band (or covered
 * by spend), above the similarity floor, one per title.
 */
export function referenceUpgrades(
  ref: ReferenceModel,
  { anchor, rules, stage, spendMinor, exclude, limit }: UpgradeRequest,
): { items: { index: number; similarity: number }[]; blocked: string | null } {
  const { catalog } = ref;
  if (stage === "post_purchase" || !rules.enabled) return { items: [], blocked: "stage" };
  const price = catalog.price[anchor] ?? NO_PRICE;
  if (price === NO_PRICE) return { items: [], blocked: "no_price" };
  const category = catalog.categoryId[anchor] ?? NO_GROUP;
  const family = catalog.familyId[anchor] ?? NO_GROUP;
  if (category === NO_GROUP && family === NO_GROUP) return { items: [], blocked: "no_ladder" };
  const members: number[] = [];
  for (let c = 0; c < catalog.size; c++) {
    if (c === anchor || catalog.price[c] === NO_PRICE) continue;
    const sameCategory = category !== NO_GROUP && catalog.categoryId[c] === category;
    const sameFamily = family !== NO_GROUP && catalog.familyId[c] === family;
    if (sameCategory || sameFamily) members.push(c);
  }
  const useTiers = catalog.hasTiers && !Number.isNaN(catalog.tier[anchor] ?? Number.NaN);
  const higher = members.some((m) => (useTiers ? isHigherTier(catalog, anchor, m) : (catalog.price[m] ?? 0) > price));
  if (!higher) return { items: [], blocked: "top_of_ladder" };
  const q = basketQuery(ref.tables, [anchor], []);
  const items = members
    .filter((m) => {
      const p = catalog.price[m] ?? NO_PRICE;
      return (
        (inPriceBand(price, p, rules.priceBand, rules.minStep) ||
          coveredBySpend(price, p, spendMinor, rules.minStep)) &&
        !exclude.has(m) &&
        isAvailable(catalog, m) &&
        isHigherTier(catalog, anchor, m) &&
        (useTiers || !isSmallerPack(catalog, anchor, m))
      );
    })
    .map((index) => ({ index, similarity: referenceSimilarity(ref.tables, q, index) }))
    .filter((u) => u.similarity >= rules.minSimilarity)
    .sort(upgradeOrder(catalog, anchor));
  // One per title, as a shopper compares them (trimmed, any case); untitled items never clash.
  const seen = new Set<string>();
  const distinct = items.filter(({ index }) => {
    const title = catalog.title.get(index).trim().toLowerCase();
    if (title === "") return true;
    if (seen.has(title)) return false;
    seen.add(title);
    return true;
  });
  return { items: distinct.slice(0, limit), blocked: null };
}

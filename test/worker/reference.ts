/**
 * Exhaustive references: score every catalog item in plain TypeScript, apply the same rules, take the
 * top `limit`. If the model's candidate pruning (neighbour lists, top-k, ladders) ever dropped a
 * valid suggestion or admitted an invalid one, the API's answer would differ from these.
 */
import { NO_GROUP, NO_PRICE, type Catalog } from "../../models/catalog.js";
import type { CrossSellRules, BundleRules, CartRules } from "../../models/config/rulesConfig.js";
import type { Evidence } from "../../models/evidence.js";
import { selectBundle } from "../../models/rules/bundle.js";
import { selectCartCrossSells } from "../../models/rules/cartCrossSell.js";
import { selectCrossSells, singleAnchorInput } from "../../models/rules/crossSell.js";
import { isAvailable } from "../../models/rules/availability.js";
import {
  coveredBySpend,
  inPriceBand,
  isHigherTier,
  upgradeOrder,
  type UpgradeRequest,
} from "../../models/rules/upsell.js";
import { addCoPurchase, basketQuery, referenceSimilarity, type ScoringTables } from "../../models/scoringTables.js";
import { scoredLines } from "../../models/rules/scoredLines.js";
import type { CartLine } from "../../worker/recommend/suggest.js";
import { fromBase64 } from "./seedKv.js";
import type { SeedModel } from "../seedModel.js";

export interface ReferenceModel {
  catalog: Catalog;
  evidence: Evidence;
  tables: ScoringTables;
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
  return { catalog, evidence, tables };
}

/**
 * The model's score for every catalog item outside the basket: the graph's arithmetic
 * (models/scoringTables.ts addCoPurchase and the embedding term), with items outside the basket's
 * neighbour lists scoring their embedding term alone, so the rules see the whole catalog.
 */
export function scoreEverything(ref: ReferenceModel, basket: readonly number[]) {
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

/** The rules' input for one anchor, every catalog item scored (the worker's question, without the graph). */
const singleAnchor = (ref: ReferenceModel, anchor: number, rules: CrossSellRules, exclude: ReadonlySet<number>) =>
  singleAnchorInput(ref, anchor, scoreEverything(ref, [anchor]), rules, exclude);

export function referenceAlsoBought(
  ref: ReferenceModel,
  anchor: number,
  rules: CrossSellRules,
  exclude: ReadonlySet<number>,
  limit: number,
) {
  return selectCrossSells({ ...singleAnchor(ref, anchor, rules, exclude), limit, fallback: rules.fallback });
}

export function referenceBundle(
  ref: ReferenceModel,
  anchor: number,
  rules: CrossSellRules,
  bundle: BundleRules,
  exclude: ReadonlySet<number>,
) {
  return selectBundle(singleAnchor(ref, anchor, rules, exclude), bundle);
}

export function referenceCart(
  ref: ReferenceModel,
  lines: readonly CartLine[],
  rules: CrossSellRules,
  cart: CartRules,
  exclude: ReadonlySet<number>,
  limit: number,
) {
  // Each add-on priced against the line it complements (its unit price), not the cart total.
  const scored = scoredLines(lines, cart.maxScoredLines);
  const basket = scored.map((l) => l.index);
  return selectCartCrossSells({
    catalog: ref.catalog,
    evidence: ref.evidence,
    lines: scored,
    exclude: new Set([...exclude, ...lines.map((l) => l.index)]),
    candidates: scoreEverything(ref, basket),
    rules,
    limit,
  });
}

/**
 * Upgrades by scanning the whole catalog (no ladder index): same leaf category or family, priced,
 * available, not excluded, a higher tier, in the band (or covered by spend), above the similarity floor.
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
        isHigherTier(catalog, anchor, m)
      );
    })
    .map((index) => ({ index, similarity: referenceSimilarity(ref.tables, q, index) }))
    .filter((u) => u.similarity >= rules.minSimilarity)
    .sort(upgradeOrder(catalog, anchor))
    .slice(0, limit);
  return { items, blocked: null };
}

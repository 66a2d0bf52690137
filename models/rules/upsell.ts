import { NO_PACK, NO_PRICE, NO_TITLE, type CatalogView } from "../catalog.js";
import type { Stage, UpsellRules } from "../config/rulesConfig.js";
import { isAvailable } from "./availability.js";
import { shortfall, type Selection } from "./selection.js";
import type { LadderIndex } from "./ladder.js";
import { ReasonTally } from "./reasons.js";

/** A real step up: strictly more, and at least minStep × the anchor (0.04% more is the same class). */
export function isStepUp(anchorMinor: number, candidateMinor: number, minStep: number): boolean {
  if (anchorMinor === NO_PRICE || candidateMinor === NO_PRICE) return false;
  return candidateMinor > anchorMinor && candidateMinor >= minStep * anchorMinor;
}

/** Price band: a step up of at most band × anchor ("+58%" is an upgrade, "five times the price" is not). */
export function inPriceBand(anchorMinor: number, candidateMinor: number, band: number, minStep = 1): boolean {
  return isStepUp(anchorMinor, candidateMinor, minStep) && candidateMinor <= band * anchorMinor;
}

/** Spend-based upgrade: a step up that costs no more than what the customer already pays. */
export function coveredBySpend(
  anchorMinor: number,
  candidateMinor: number,
  spendMinor: number | null,
  minStep = 1,
): boolean {
  return spendMinor !== null && isStepUp(anchorMinor, candidateMinor, minStep) && candidateMinor <= spendMinor;
}

/** Among equally similar upgrades, the anchor's own brand first (a better Samsung for a Samsung). */
export function sameBrand(catalog: CatalogView, anchor: number, candidate: number): number {
  const brand = catalog.brand.get(anchor);
  return brand !== "" && catalog.brand.get(candidate) === brand ? 1 : 0;
}

/** One class higher: a higher tier when the catalog ranks its ladders; otherwise price alone decides. */
export function isHigherTier(catalog: CatalogView, anchor: number, candidate: number): boolean {
  if (!catalog.hasTiers) return true;
  const a = catalog.tierOf(anchor);
  const c = catalog.tierOf(candidate);
  if (Number.isNaN(a)) return true;
  return !Number.isNaN(c) && c > a;
}

/** The candidate's pack over the anchor's, where both are known in the same measure; else null. */
export function packRatio(catalog: CatalogView, anchor: number, candidate: number): number | null {
  const measure = catalog.packMeasureOf(anchor);
  if (measure === NO_PACK || catalog.packMeasureOf(candidate) !== measure) return null;
  return catalog.packAmountOf(candidate) / catalog.packAmountOf(anchor);
}

/** How much smaller a pack must be to count as smaller: 16 oz and 453 g are one pound. */
const PACK_TOLERANCE = 0.02;

/**
 * Less for more money: a pack of the same measure but smaller than the anchor's ("12 ct" eggs at
 * $1.79 for "18 ct" at $1.49) is no upgrade by price. Unknown or different measures never decide.
 */
export function isSmallerPack(catalog: CatalogView, anchor: number, candidate: number): boolean {
  const ratio = packRatio(catalog, anchor, candidate);
  return ratio !== null && ratio < 1 - PACK_TOLERANCE;
}

/** Nothing above the top: no item of the anchor's ladders ranks (or, without tiers, costs) more. */
export function isTopOfLadder(catalog: CatalogView, ladders: LadderIndex, anchor: number): boolean {
  const anchorPrice = catalog.price[anchor] ?? NO_PRICE;
  const useTiers = catalog.hasTiers && !Number.isNaN(catalog.tierOf(anchor));
  // By price alone, only each ladder's dearest member matters (a category may have thousands).
  if (!useTiers) return ladders.highestPrice(anchor) <= anchorPrice;
  return !ladders.someMember(anchor, (m) => isHigherTier(catalog, anchor, m));
}

export interface UpgradeInput {
  catalog: CatalogView;
  ladders: LadderIndex;
  anchor: number;
  rules: UpsellRules;
  stage: Stage;
  /** What the customer already spends on this product line (minor units), for spend-based upgrades. */
  spendMinor: number | null;
  exclude: ReadonlySet<number>;
}

/** One upgrades question as a caller asks it: the served path and the test reference both take it. */
export type UpgradeRequest = Omit<UpgradeInput, "catalog" | "ladders"> & { limit: number };

export interface UpgradeCandidates {
  candidates: number[];
  tally: ReasonTally;
  /** Set when no candidate can exist at all (stage, ladder, top of ladder). */
  blocked: Selection<never> | null;
}

/** Same-ladder items that pass every upsell rule but similarity, which needs the model. */
export function upgradeCandidates(input: UpgradeInput): UpgradeCandidates {
  const { catalog, ladders, anchor, rules } = input;
  const tally = new ReasonTally();
  const blocked = (reason: "stage" | "no_price" | "no_ladder" | "top_of_ladder") => ({
    candidates: [],
    tally,
    blocked: { items: [], reasons: [reason] },
  });
  // Before the purchase only: after it, an upgrade means returning what was just bought.
  if (input.stage === "post_purchase" || !rules.enabled) return blocked("stage");
  const anchorPrice = catalog.price[anchor] ?? NO_PRICE;
  if (anchorPrice === NO_PRICE) return blocked("no_price");
  if (!ladders.hasLadder(anchor)) return blocked("no_ladder");
  if (isTopOfLadder(catalog, ladders, anchor)) return blocked("top_of_ladder");

  const candidates: number[] = [];
  // Where no tier ranks the anchor, price alone makes the step, and a smaller pack for more money is
  // none; a tier the catalog gives is the merchandiser's word, whatever the pack.
  const byPrice = !catalog.hasTiers || Number.isNaN(catalog.tierOf(anchor));
  // Nothing dearer than the band and the spend can pass: those are counted, not listed.
  const highest = Math.max(rules.priceBand * anchorPrice, input.spendMinor ?? NO_PRICE, anchorPrice);
  const dearer = ladders.countPricedAbove(anchor, highest);
  if (dearer > 0) tally.add("price_band", dearer);
  for (const member of ladders.membersPricedIn(anchor, anchorPrice, highest)) {
    const price = catalog.price[member] ?? NO_PRICE;
    const inBand = inPriceBand(anchorPrice, price, rules.priceBand, rules.minStep);
    if (!inBand && !coveredBySpend(anchorPrice, price, input.spendMinor, rules.minStep)) {
      tally.add("price_band");
    } else if (input.exclude.has(member)) tally.add("excluded");
    else if (!isAvailable(catalog, member)) tally.add("unavailable");
    else if (!isHigherTier(catalog, anchor, member)) tally.add("tier");
    else if (byPrice && isSmallerPack(catalog, anchor, member)) tally.add("smaller_pack");
    else candidates.push(member);
  }
  return { candidates, tally, blocked: null };
}

export interface Upgrade {
  index: number;
  similarity: number;
  priceDeltaMinor: number;
  priceRatio: number;
  tierDelta: number | null;
  /** The upgrade's pack over the anchor's (1.33: a third more), where both are known in one measure; else null. */
  sizeRatio: number | null;
  /** spend − price, when the upgrade is covered by what the customer already spends. */
  savingMinor: number | null;
}

/** Most similar first; then the anchor's brand; then the smaller step up; then catalog order. */
export function upgradeOrder(catalog: CatalogView, anchor: number) {
  // Brands are strings decoded from the catalog: each candidate's is compared once, not per comparison.
  const brand = catalog.brand.get(anchor);
  const ownBrand = new Map<number, number>();
  const isOwn = (index: number) => {
    if (brand === "") return 0;
    let own = ownBrand.get(index);
    if (own === undefined) ownBrand.set(index, (own = sameBrand(catalog, anchor, index)));
    return own;
  };
  return (a: { index: number; similarity: number }, b: { index: number; similarity: number }): number =>
    b.similarity - a.similarity ||
    isOwn(b.index) - isOwn(a.index) ||
    (catalog.price[a.index] ?? 0) - (catalog.price[b.index] ?? 0) ||
    a.index - b.index;
}

/**
 * The first `limit` candidates, one per title: upgrades a shopper cannot tell apart (three colours of
 * one phone that the catalog names alike, two listings of one milk) are one card shown three times.
 */
function distinctTitles<T extends { index: number }>(
  catalog: CatalogView,
  ranked: readonly T[],
  limit: number,
  tally: ReasonTally,
): T[] {
  const taken: T[] = [];
  const titles = new Set<number>();
  for (const candidate of ranked) {
    if (taken.length >= limit) break;
    const title = catalog.titleKey(candidate.index);
    if (title !== NO_TITLE && titles.has(title)) {
      tally.add("diversity");
      continue;
    }
    titles.add(title);
    taken.push(candidate);
  }
  return taken;
}

/** Ranks candidates by similarity to the anchor (then same brand, then the smaller step up), above the floor. */
export function rankUpgrades(
  input: UpgradeInput,
  found: UpgradeCandidates,
  similarity: ArrayLike<number>,
  limit: number,
): Selection<Upgrade> {
  if (found.blocked) return found.blocked;
  const { catalog, anchor } = input;
  const anchorPrice = catalog.price[anchor] ?? NO_PRICE;
  const anchorTier = catalog.tierOf(anchor);
  const scored = found.candidates
    .map((index, i) => ({ index, similarity: similarity[i] ?? Number.NEGATIVE_INFINITY }))
    .filter(({ similarity: s }) => {
      const ok = s >= input.rules.minSimilarity;
      if (!ok) found.tally.add("similarity");
      return ok;
    })
    .sort(upgradeOrder(catalog, anchor));
  const items = distinctTitles(catalog, scored, limit, found.tally).map(({ index, similarity: s }): Upgrade => {
    const price = catalog.price[index] ?? NO_PRICE;
    const tier = catalog.tierOf(index);
    return {
      index,
      similarity: s,
      priceDeltaMinor: price - anchorPrice,
      priceRatio: anchorPrice > 0 ? price / anchorPrice : Number.POSITIVE_INFINITY,
      tierDelta: Number.isNaN(tier) || Number.isNaN(anchorTier) ? null : tier - anchorTier,
      sizeRatio: packRatio(catalog, anchor, index),
      savingMinor: coveredBySpend(anchorPrice, price, input.spendMinor, input.rules.minStep)
        ? (input.spendMinor ?? 0) - price
        : null,
    };
  });
  return { items, reasons: shortfall(items.length, limit, true, found.tally) };
}

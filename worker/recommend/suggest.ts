import { NO_PRICE } from "../../models/catalog.js";
import type { BundleRules, CartRules, CrossSellRules, Stage, UpsellRules } from "../../models/config/rulesConfig.js";
import { selectBundle, type Bundle } from "../../models/rules/bundle.js";
import { selectCartCrossSells, type CartCrossSell } from "../../models/rules/cartCrossSell.js";
import {
  selectCrossSells,
  singleAnchorInput,
  type CrossSell,
  type CrossSellInput,
  type Selection,
} from "../../models/rules/crossSell.js";
import { scoredLines } from "../../models/rules/scoredLines.js";
import { rankUpgrades, upgradeCandidates, type Upgrade, type UpgradeRequest } from "../../models/rules/upsell.js";
import type { LoadedModel } from "../model/readModel.js";

/**
 * The graph's candidates for a basket (every slot of every basket item's neighbour list), and in the
 * same run the similarity of `compare` items to their anchors (basket positions).
 */
async function coPurchaseCandidates(
  model: LoadedModel,
  basket: readonly number[],
  compare: readonly number[] = [],
  compareAnchors: readonly number[] = [],
) {
  return model.scorer.score({
    basket,
    weights: basket.map(() => 1),
    topK: basket.length * model.manifest.model.neighbours,
    compare,
    compareAnchors,
  });
}

/** The cross-sell question for one anchor, priced against the anchor, with the graph's candidates. */
async function singleAnchor(
  model: LoadedModel,
  anchor: number,
  rules: CrossSellRules,
  exclude: ReadonlySet<number>,
): Promise<Omit<CrossSellInput, "limit">> {
  return singleAnchorInput(model, anchor, await coPurchaseCandidates(model, [anchor]), rules, exclude);
}

export async function alsoBought(
  model: LoadedModel,
  anchor: number,
  rules: CrossSellRules,
  exclude: ReadonlySet<number>,
  limit: number,
): Promise<Selection<CrossSell>> {
  // Only also-bought falls back to weaker levels: a bundle's and a cart's claims stay about item pairs.
  return selectCrossSells({ ...(await singleAnchor(model, anchor, rules, exclude)), limit, fallback: rules.fallback });
}

export async function upgrades(model: LoadedModel, request: UpgradeRequest): Promise<Selection<Upgrade>> {
  const { limit, ...asked } = request;
  const input = { catalog: model.catalog, ladders: model.ladders, ...asked };
  const found = upgradeCandidates(input);
  if (found.blocked) return found.blocked;
  const { similarity } =
    found.candidates.length === 0
      ? { similarity: new Float32Array(0) }
      : await model.scorer.score({ basket: [asked.anchor], weights: [1], topK: 1, compare: found.candidates });
  return rankUpgrades(input, found, similarity, limit);
}

export async function bundle(
  model: LoadedModel,
  anchor: number,
  crossSell: CrossSellRules,
  rules: BundleRules,
  exclude: ReadonlySet<number>,
): Promise<Selection<Bundle>> {
  return selectBundle(await singleAnchor(model, anchor, crossSell, exclude), rules);
}

export interface CartLine {
  index: number;
  quantity: number;
  /** The line's own unit price when the storefront sent one, else the catalog's. */
  unitPriceMinor: number;
}

export interface CartSuggestions {
  totalMinor: number;
  /** Each names the scored line it complements (evidence.anchor) and is priced against that line. */
  crossSells: Selection<CartCrossSell>;
  upgrades: { line: number; selection: Selection<Upgrade> }[];
}

/** Cart total in minor units; lines of unknown price add nothing. */
export function cartTotal(lines: readonly CartLine[]): number {
  return lines.reduce((sum, l) => sum + (l.unitPriceMinor === NO_PRICE ? 0 : l.unitPriceMinor * l.quantity), 0);
}

export async function cartSuggestions(
  model: LoadedModel,
  lines: readonly CartLine[],
  rules: { crossSell: CrossSellRules; upsell: UpsellRules; cart: CartRules },
  stage: Stage,
  exclude: ReadonlySet<number>,
  limit: number,
): Promise<CartSuggestions> {
  const scored = scoredLines(lines, rules.cart.maxScoredLines);
  const basket = scored.map((l) => l.index);
  const totalMinor = cartTotal(lines);
  const inCart = new Set([...exclude, ...lines.map((l) => l.index)]);
  // Each line's upgrade candidates, measured against that line in the same graph run as the cross-sells.
  const ladders = (rules.cart.upgradesPerLine === 0 ? [] : scored).map((line) => {
    const input = {
      catalog: model.catalog,
      ladders: model.ladders,
      anchor: line.index,
      rules: rules.upsell,
      stage,
      spendMinor: null,
      exclude: inCart,
    };
    return { line: line.index, input, found: upgradeCandidates(input) };
  });
  const compare: number[] = [];
  const compareAnchors: number[] = [];
  ladders.forEach(({ found }, position) => {
    if (found.blocked) return;
    compare.push(...found.candidates);
    for (let i = 0; i < found.candidates.length; i++) compareAnchors.push(position);
  });
  const scoredRun = await coPurchaseCandidates(model, basket, compare, compareAnchors);
  // Evidence, the price anchor and the substitute rule are about the scored lines, the ones the
  // candidates come from; each candidate goes to the line with the best evidence it qualifies for.
  const crossSells = selectCartCrossSells({
    catalog: model.catalog,
    evidence: model.evidence,
    lines: scored,
    exclude: inCart,
    candidates: scoredRun,
    rules: rules.crossSell,
    limit,
  });
  let at = 0;
  const perLine = ladders.map(({ line, input, found }) => {
    if (found.blocked) return { line, selection: found.blocked };
    const similarity = scoredRun.similarity.subarray(at, at + found.candidates.length);
    at += found.candidates.length;
    return { line, selection: rankUpgrades(input, found, similarity, rules.cart.upgradesPerLine) };
  });
  return { totalMinor, crossSells, upgrades: perLine };
}

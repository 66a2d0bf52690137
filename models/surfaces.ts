/**
 * The one answer pipeline: each surface (also-bought, bundle, upgrades, cart) as one function from the
 * shop (catalog, evidence, ladders), the rules and the request to the answer. Only the candidate
 * source differs between callers: the worker passes the ONNX graph, the eval, the benchmarks and the
 * tests pass the TypeScript reference scorer. So the conventions (which surface falls back, how a cart
 * prices its add-ons, where indirect pairs go) live here once, and an eval measures what the worker
 * serves.
 *
 * A surface returns a plan in two steps, what to score and the answer from those scores, because the
 * worker scores asynchronously (ORT, after reading the rows' pages) and answers over pages it may
 * have to read first: it runs the query, then answer() with that run (worker/recommend/pagedAnswer.ts).
 */
import { NO_PRICE, type CatalogView } from "./catalog.js";
import type { BundleRules, CartRules, CrossSellRules, Stage, UpsellRules } from "./config/rulesConfig.js";
import type { EvidenceView } from "./evidence.js";
import { selectBundle, type Bundle } from "./rules/bundle.js";
import { selectCrossSells, type CrossSell, type ScoredCandidates } from "./rules/crossSell.js";
import type { LevelCandidate } from "./rules/fallbackLevels.js";
import type { LadderIndex } from "./rules/ladder.js";
import { scoredLines, type PricedLine } from "./rules/scoredLines.js";
import type { Selection } from "./rules/selection.js";
import { rankUpgrades, upgradeCandidates, type Upgrade, type UpgradeRequest } from "./rules/upsell.js";

export interface Shop {
  catalog: CatalogView;
  evidence: EvidenceView;
  ladders: LadderIndex;
}

/** What a surface asks its candidate source for one request. */
export interface ScoreQuery {
  /** The products the candidates are for (one anchor, or a cart's scored lines). */
  basket: readonly number[];
  /** Whether co-purchase candidates are needed (upgrades need only the similarities). */
  candidates: boolean;
  /** Items whose similarity to an anchor is wanted, and that anchor's position in `basket`. */
  compare: readonly number[];
  compareAnchors: readonly number[];
}

/** The source's answer: candidates in any order (none when not asked for), and one similarity per compare item. */
export interface ScoredRun extends ScoredCandidates {
  similarity: ArrayLike<number>;
}

export interface CandidateSource {
  score(query: ScoreQuery): ScoredRun;
}

/** One request's answer in two steps: what to score (null: nothing), and the answer from the scores. */
export interface Plan<A> {
  query: ScoreQuery | null;
  answer(run: ScoredRun): A;
}

const NO_RUN: ScoredRun = { items: [], scores: [], similarity: [] };

export function answer<A>(plan: Plan<A>, source: CandidateSource): A {
  return plan.answer(plan.query === null ? NO_RUN : source.score(plan.query));
}

const coPurchase = (basket: readonly number[]): ScoreQuery => ({
  basket,
  candidates: true,
  compare: [],
  compareAnchors: [],
});

/** A product page's anchor: its add-ons are priced against its catalog price. */
const productAnchor = (catalog: CatalogView, anchor: number) => ({
  index: anchor,
  priceMinor: catalog.price[anchor] ?? NO_PRICE,
});

export interface AlsoBoughtRequest {
  anchor: number;
  rules: CrossSellRules;
  exclude: ReadonlySet<number>;
  limit: number;
  /** Fallback levels' candidates kept across calls (the eval's sweeps); the worker passes none. */
  levelMemo?: Map<string, readonly LevelCandidate[]>;
}

/** "Customers also bought": the anchor's item pairs, then the rules' fallback levels; the only surface with all levels. */
export function alsoBought(shop: Shop, request: AlsoBoughtRequest): Plan<Selection<CrossSell>> {
  const { catalog, evidence } = shop;
  return {
    query: coPurchase([request.anchor]),
    answer: (run) =>
      selectCrossSells({
        catalog,
        evidence,
        anchors: [productAnchor(catalog, request.anchor)],
        exclude: request.exclude,
        candidates: run,
        rules: request.rules,
        limit: request.limit,
        fallback: request.rules.fallback,
        ...(request.levelMemo ? { levelMemo: request.levelMemo } : {}),
      }),
  };
}

export interface BundleRequest {
  anchor: number;
  crossSell: CrossSellRules;
  bundle: BundleRules;
  exclude: ReadonlySet<number>;
}

/** Frequently bought together: no fallback levels, since a bundle claims a set bought with the anchor. */
export function bundle(shop: Shop, request: BundleRequest): Plan<Selection<Bundle>> {
  const { catalog, evidence } = shop;
  return {
    query: coPurchase([request.anchor]),
    answer: (run) =>
      selectBundle(
        {
          catalog,
          evidence,
          anchors: [productAnchor(catalog, request.anchor)],
          exclude: request.exclude,
          candidates: run,
          rules: request.crossSell,
        },
        request.bundle,
      ),
  };
}

/** Upsells from the anchor's ladders, ranked by the source's similarity to the anchor. */
export function upgrades(shop: Shop, request: UpgradeRequest): Plan<Selection<Upgrade>> {
  const { limit, ...asked } = request;
  const input = { catalog: shop.catalog, ladders: shop.ladders, ...asked };
  const found = upgradeCandidates(input);
  const query =
    found.blocked || found.candidates.length === 0
      ? null
      : {
          basket: [asked.anchor],
          candidates: false,
          compare: found.candidates,
          compareAnchors: found.candidates.map(() => 0),
        };
  return { query, answer: (run) => found.blocked ?? rankUpgrades(input, found, run.similarity, limit) };
}

export interface CartRequest {
  /** One line per product, with its quantity and the unit price the shopper pays (else the catalog's). */
  lines: readonly PricedLine[];
  rules: { crossSell: CrossSellRules; upsell: UpsellRules; cart: CartRules };
  stage: Stage;
  exclude: ReadonlySet<number>;
  limit: number;
}

export interface CartSuggestions {
  totalMinor: number;
  /** Each names the scored line it complements (evidence.anchor) and is priced against that line. */
  crossSells: Selection<CrossSell>;
  upgrades: { line: number; selection: Selection<Upgrade> }[];
}

/** Cart total in minor units; lines of unknown price add nothing. */
export function cartTotal(lines: readonly PricedLine[]): number {
  return lines.reduce((sum, l) => sum + (l.unitPriceMinor === NO_PRICE ? 0 : l.unitPriceMinor * l.quantity), 0);
}

/**
 * Cart suggestions: the also-bought pipeline over the most valuable lines at once, each add-on
 * credited to the line it has the best evidence with and priced against that line's unit price (not
 * the cart total, which a television makes large for a cable); of the fallback levels only the
 * category level, whose claims are still about a line. And each scored line's upgrades, measured in
 * the same run.
 */
export function cart(shop: Shop, request: CartRequest): Plan<CartSuggestions> {
  const { catalog, evidence, ladders } = shop;
  const { rules } = request;
  const scored = scoredLines(request.lines, rules.cart.maxScoredLines);
  const inCart = new Set([...request.exclude, ...request.lines.map((l) => l.index)]);
  const perLine = (rules.cart.upgradesPerLine === 0 ? [] : scored).map((line) => {
    const input = {
      catalog,
      ladders,
      anchor: line.index,
      rules: rules.upsell,
      stage: request.stage,
      spendMinor: null,
      exclude: inCart,
    };
    return { line: line.index, input, found: upgradeCandidates(input) };
  });
  const compare: number[] = [];
  const compareAnchors: number[] = [];
  perLine.forEach(({ found }, position) => {
    if (found.blocked) return;
    compare.push(...found.candidates);
    for (let i = 0; i < found.candidates.length; i++) compareAnchors.push(position);
  });
  return {
    query: { basket: scored.map((l) => l.index), candidates: true, compare, compareAnchors },
    answer: (run) => {
      const crossSells = selectCrossSells({
        catalog,
        evidence,
        anchors: scored.map((l) => ({ index: l.index, priceMinor: l.unitPriceMinor })),
        exclude: inCart,
        candidates: run,
        rules: rules.crossSell,
        limit: request.limit,
        fallback: rules.crossSell.fallback.filter((level) => level === "category"),
        ownTypeNeedsStrongPair: true,
      });
      let at = 0;
      const upgrades = perLine.map(({ line, input, found }) => {
        if (found.blocked) return { line, selection: found.blocked };
        const similarity = Array.from(found.candidates, (_, i) => run.similarity[at + i] ?? Number.NEGATIVE_INFINITY);
        at += found.candidates.length;
        return { line, selection: rankUpgrades(input, found, similarity, rules.cart.upgradesPerLine) };
      });
      return { totalMinor: cartTotal(request.lines), crossSells, upgrades };
    },
  };
}

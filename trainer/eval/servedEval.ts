import type { Surface } from "../../models/config/configDocument.js";
import { effectiveRules, type RuleOverrides, type RulesConfig } from "../../models/config/rulesConfig.js";
import type { CrossSell } from "../../models/rules/crossSell.js";
import { SOURCES, type LevelCandidate, type Source } from "../../models/rules/fallbackLevels.js";
import {
  alsoBought as alsoBoughtPlan,
  answer,
  bundle as bundlePlan,
  cart as cartPlan,
  upgrades as upgradesPlan,
} from "../../models/surfaces.js";
import type { CandidateSource } from "../../models/surfaces.js";
import type { AnchorQuery, ServedContext, Targets, UpgradeQuery } from "./servedContext.js";

/** One task answered as served: hits, answers and money, over `queries`. */
export type TaskServed = {
  queries: number;
  /** Share of queries with a non-empty answer. */
  coverage: number;
  /** The most the task's hits could bring in (major units): see `revenueShare@k`. */
  addOnRevenue: number;
} & Record<`HR@${number}` | `revenue@${number}` | `revenueShare@${number}`, number>;

export type AnchorServed = TaskServed & {
  /** Share of all answer items that came from each level. */
  sources: Record<Source, number>;
  /**
   * Share of catalog products (a uniform sample, never-sold ones included) with an answer; absent
   * when the caller asked for none (ServedOptions.catalogCoverage).
   */
  catalogCoverage?: number;
};

export type BasketServed = TaskServed & {
  /** All (basket, held-out item) pairs, when `queries` is their fixed subsample (servedContext.ts). */
  sampledFrom?: number;
};

/** The four served tasks (docs/model-and-evaluation.md, "As served"); money in `currency`'s major units. */
export interface ServedMetrics {
  currency: string;
  anchor: AnchorServed;
  basket: BasketServed;
  upgrades: TaskServed;
  /**
   * Frequently bought together for each anchor query: hits are the bundle's add-ons (at most two, so
   * HR@k is "an add-on was bought") in the anchor's test basket.
   */
  bundle: TaskServed;
}

/** An experiment arm: its overrides, applied on the experiment's surfaces only (as the worker's armsFor). */
export interface ServedArm {
  rules: RuleOverrides;
  surfaces: readonly Surface[];
}

export interface ServedOptions {
  arm?: ServedArm;
  /** Also serve the catalog sample (2,000 more also-bought answers); on by default. */
  catalogCoverage?: boolean;
  /** Sees every anchor-task answer (runEval checks them against the rules from raw counts). */
  onAnchorAnswer?: (q: number, query: AnchorQuery, answer: readonly CrossSell[]) => void;
}

const NOTHING: ReadonlySet<number> = new Set();

/** An upgrade query's similarities, measured once per split by the graph, as the pipeline's source. */
const similaritySource = (query: UpgradeQuery): CandidateSource => ({
  score: ({ compare }) => ({
    items: [],
    scores: [],
    similarity: compare.map((c) => query.similarity.get(c) ?? Number.NEGATIVE_INFINITY),
  }),
});
const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

/** Counts one task's queries; minor units in, major units out. */
class Tally {
  queries = 0;
  answered = 0;
  hits = 0;
  capturedMinor = 0;
  addOnMinor = 0;

  add(answer: readonly number[], targets: Targets, addOnMinor: number): void {
    this.queries++;
    this.addOnMinor += addOnMinor;
    if (answer.length > 0) this.answered++;
    let hit = false;
    for (const index of answer) {
      const revenue = targets.get(index);
      if (revenue === undefined) continue;
      hit = true;
      this.capturedMinor += revenue;
    }
    if (hit) this.hits++;
  }

  metrics(k: number, exponent: number): TaskServed {
    const share = (n: number, of: number) => (of === 0 ? 0 : round(n / of, 4));
    const money = (minor: number) => round(minor / 10 ** exponent, 2);
    return {
      queries: this.queries,
      coverage: share(this.answered, this.queries),
      [`HR@${k}`]: share(this.hits, this.queries),
      [`revenue@${k}`]: money(this.capturedMinor),
      [`revenueShare@${k}`]: share(this.capturedMinor, this.addOnMinor),
      addOnRevenue: money(this.addOnMinor),
    };
  }
}

/**
 * What one task's answers came to under one set of its rules, kept per context: a sweep or an
 * objective changes some tasks' rules only (the price anchor leaves upgrades and bundles alone), and
 * the configured value's row is the base figures, so each (task, rules) pair is served once.
 */
interface Memo {
  tasks: Map<string, TaskServed>;
  sources: Map<string, Record<Source, number>>;
  sample: Map<string, number>;
  /** Fallback levels' candidates per anchor: the same for every sweep value and objective. */
  levels: Map<string, readonly LevelCandidate[]>;
}
const memos = new WeakMap<ServedContext, Memo>();
function memoOf(context: ServedContext): Memo {
  let memo = memos.get(context);
  if (memo === undefined) {
    memo = { tasks: new Map(), sources: new Map(), sample: new Map(), levels: new Map() };
    memos.set(context, memo);
  }
  return memo;
}
function remember<T>(map: Map<string, T>, key: string, compute: () => T): T {
  const known = map.get(key);
  if (known !== undefined) return known;
  const value = compute();
  map.set(key, value);
  return value;
}

/**
 * The answers as the worker serves them, through its rules code, with `rules` (a resolved config
 * document, or a sweep's variation of one) and an optional experiment arm, top `k` of each:
 * - anchor: also-bought for the test basket's anchor (product stage, fallback levels on); hits are
 *   the basket's other items;
 * - basket: cart suggestions for the basket minus one held-out item (cart stage, scored lines, each
 *   suggestion priced against its line); the hit is the held-out item;
 * - upgrades: for anchors whose basket holds an item a class above them on their ladder (product
 *   stage); hits are those items;
 * - bundle: the anchor's frequently-bought-together set (product stage, the graph's candidates for
 *   the anchor, as the worker's /bundle); hits are its add-ons in the anchor's basket.
 * Revenue captured@k = Σ over hits of the hit line's quantity × unit price; its share is of the
 * revenue of every line a query could hit.
 */
export function evaluateServed(
  context: ServedContext,
  rules: RulesConfig,
  k: number,
  options: ServedOptions = {},
): ServedMetrics {
  const { catalog } = context;
  const exponent = catalog.currencyExponent;
  const memo = memoOf(context);
  const forSurface = (surface: Surface) =>
    options.arm !== undefined && options.arm.surfaces.includes(surface) ? options.arm.rules : {};

  const alsoBought = effectiveRules(rules, "product", forSurface("also-bought")).crossSell;
  const serveAnchor = (anchor: number, q: number, table: ServedContext["anchorCandidates"]) =>
    answer(
      alsoBoughtPlan(context, { anchor, rules: alsoBought, exclude: NOTHING, limit: k, levelMemo: memo.levels }),
      table.source(q),
    ).items;
  const anchorKey = `anchor ${k} ${JSON.stringify(alsoBought)}`;
  const serveAnchors = () => {
    const tally = new Tally();
    const sources: Record<Source, number> = { item: 0, category: 0, graph: 0 };
    context.anchors.forEach((query, q) => {
      const answer = serveAnchor(query.anchor, q, context.anchorCandidates);
      tally.add(
        answer.map((a) => a.index),
        query.targets,
        query.addOnMinor,
      );
      for (const { source } of answer) sources[source]++;
      options.onAnchorAnswer?.(q, query, answer);
    });
    memo.sources.set(anchorKey, sources);
    return tally.metrics(k, exponent);
  };
  // A caller that watches the answers gets them served afresh.
  const anchor = options.onAnchorAnswer ? serveAnchors() : remember(memo.tasks, anchorKey, serveAnchors);
  const sources = memo.sources.get(anchorKey) ?? { item: 0, category: 0, graph: 0 };
  const catalogCoverage =
    options.catalogCoverage === false || context.sample.length === 0
      ? null
      : remember(memo.sample, anchorKey, () => {
          const answered = context.sample.filter((a, q) => serveAnchor(a, q, context.sampleCandidates).length > 0);
          return round(answered.length / context.sample.length, 4);
        });

  // The basket task reads the cart's cross-sells; its per-line upgrades are not scored here.
  const cart = effectiveRules(rules, "cart", forSurface("cart"));
  const cartRules = { ...cart, cart: { ...cart.cart, upgradesPerLine: 0 } };
  const basket = remember(memo.tasks, `cart ${k} ${JSON.stringify([cart.crossSell, cart.cart])}`, () => {
    const carts = context.carts(cart.cart.maxScoredLines);
    const tally = new Tally();
    context.baskets.forEach((query, q) => {
      const plan = cartPlan(context, {
        lines: query.lines,
        rules: cartRules,
        stage: "cart",
        exclude: NOTHING,
        limit: k,
      });
      const served = answer(plan, carts.candidates.source(q)).crossSells.items;
      tally.add(
        served.map((a) => a.index),
        new Map([[query.held, query.heldMinor]]),
        query.heldMinor,
      );
    });
    return tally.metrics(k, exponent);
  });

  const upsell = effectiveRules(rules, "product", forSurface("upgrades")).upsell;
  const upgrades = remember(memo.tasks, `upgrades ${k} ${JSON.stringify(upsell)}`, () => {
    const tally = new Tally();
    for (const query of context.upgrades) {
      const plan = upgradesPlan(context, {
        anchor: query.anchor,
        rules: upsell,
        stage: "product",
        spendMinor: null,
        exclude: NOTHING,
        limit: k,
      });
      const served = answer(plan, similaritySource(query)).items;
      tally.add(
        served.map((u) => u.index),
        query.targets,
        query.addOnMinor,
      );
    }
    return tally.metrics(k, exponent);
  });

  const forBundle = effectiveRules(rules, "product", forSurface("bundle"));
  // A bundle prices add-ons with the bundle's own ratio (it overrides crossSell.priceRatio), so
  // the key leaves the cross-sell ratio out: a price-anchor sweep serves the bundles once.
  const bundleKey = { ...forBundle.crossSell, priceRatio: forBundle.bundle.priceRatio };
  const bundle = remember(memo.tasks, `bundle ${k} ${JSON.stringify([bundleKey, forBundle.bundle])}`, () => {
    const tally = new Tally();
    context.anchors.forEach((query, q) => {
      const plan = bundlePlan(context, {
        anchor: query.anchor,
        crossSell: forBundle.crossSell,
        bundle: forBundle.bundle,
        exclude: NOTHING,
      });
      const found = answer(plan, context.anchorCandidates.source(q)).items[0];
      tally.add(found?.items.slice(1) ?? [], query.targets, query.addOnMinor);
    });
    return tally.metrics(k, exponent);
  });

  const items = SOURCES.reduce((sum, s) => sum + sources[s], 0);
  const sourceShare = (s: Source) => (items === 0 ? 0 : round(sources[s] / items, 4));
  return {
    currency: catalog.currency,
    anchor: {
      ...anchor,
      sources: { item: sourceShare("item"), category: sourceShare("category"), graph: sourceShare("graph") },
      ...(catalogCoverage === null ? {} : { catalogCoverage }),
    },
    basket: {
      ...basket,
      ...(context.basketQueriesTotal > basket.queries ? { sampledFrom: context.basketQueriesTotal } : {}),
    },
    upgrades,
    bundle,
  };
}

/**
 * Reading served answers against a bench:synth shop's planted structure (issue 18): which anchors can
 * be answered well, what also-bought, bundles and carts give them, and how much of it lies in a
 * planted complementary leaf. Shared by bench/plantedAudit.ts (50k) and test/trainer/plantedShop.test.ts
 * (a small shop), so `npm test` checks what docs/benchmarks.md states.
 *
 * Definitions:
 * - planted partners of a leaf: the leaves its baskets draw complements from AND the leaves that name
 *   it as one (co-purchase is symmetric: an add-on's own page rightly shows the anchors it is bought with);
 * - answerable anchor: some available product in a partner leaf (not the anchor's own leaf, which the
 *   rules exclude as substitutes) costs at most priceRatio × the anchor's price;
 * - an answer item is "in a planted leaf" when its leaf is a planted partner of the anchor's (for a cart
 *   suggestion: of the line it names in evidence.anchor).
 */
import { uniformFloat64 } from "pure-rand/distribution/uniformFloat64";
import { uniformInt } from "pure-rand/distribution/uniformInt";
import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";
import { Catalog, encodeCatalog, NO_PRICE } from "../models/catalog.js";
import { DEFAULT_RULES, type RulesConfig } from "../models/config/rulesConfig.js";
import { encodeEvidence, Evidence } from "../models/evidence.js";
import type { ScoredCandidates } from "../models/rules/crossSell.js";
import { LadderIndex } from "../models/rules/ladder.js";
import { referenceCandidates } from "../models/referenceCandidates.js";
import { alsoBought, answer, bundle, cart, type CandidateSource, type Shop } from "../models/surfaces.js";
import { SOURCES, type Source } from "../models/rules/fallbackLevels.js";
import { withinPriceAnchor } from "../models/rules/priceAnchor.js";
import { served } from "../trainer/eval/scorers.js";
import type { TrainedModel } from "../trainer/train.js";
import { basketDraws, pick, synthLeaf, synthSku, type Planted } from "./synth.js";

/** Each leaf's planted partners, either direction (see the module comment). */
export function plantedPartners(complements: readonly (readonly number[])[]): (leaf: number) => ReadonlySet<number> {
  const reverse = complements.map(() => [] as number[]);
  complements.forEach((targets, leaf) => targets.forEach((t) => reverse[t]?.push(leaf)));
  const partners = complements.map((targets, leaf) => new Set([...targets, ...(reverse[leaf] ?? [])]));
  const none = new Set<number>();
  return (leaf) => partners[leaf] ?? none;
}

/**
 * Each leaf's siblings: leaves named as complements by a leaf that also names it (a phone case and a
 * screen protector, both bought with the phone). Not planted partners, but their items are bought in
 * the same baskets, so pairwise co-purchase evidence vouches for them as strongly.
 */
export function plantedSiblings(complements: readonly (readonly number[])[]): (leaf: number) => ReadonlySet<number> {
  const siblings = complements.map(() => new Set<number>());
  for (const targets of complements) for (const a of targets) for (const b of targets) if (a !== b) siblings[a]?.add(b);
  const none = new Set<number>();
  return (leaf) => siblings[leaf] ?? none;
}

/** What the audit needs to know of the shop: prices, availability, leaves and their planted partners. */
export interface PlantedShop {
  /** Minor units, NO_PRICE when unknown (catalog index order). */
  price: ArrayLike<number>;
  available: ArrayLike<number>;
  /** The planted leaf of each catalog index. */
  leaf: ArrayLike<number>;
  partners: (leaf: number) => ReadonlySet<number>;
  siblings: (leaf: number) => ReadonlySet<number>;
}

export function shopOf(catalog: Catalog, planted: Pick<Planted, "complements">): PlantedShop {
  const leaf = Int32Array.from({ length: catalog.size }, (_, i) => synthLeaf(catalog.sku.get(i)));
  return {
    price: catalog.price,
    available: catalog.available,
    leaf,
    partners: plantedPartners(planted.complements),
    siblings: plantedSiblings(planted.complements),
  };
}

/** Answerable anchors: a predicate over catalog indices (see the module comment). */
export function answerability(shop: PlantedShop, priceRatio: number): (anchor: number) => boolean {
  const cheapest = new Map<number, number>();
  for (let i = 0; i < shop.leaf.length; i++) {
    const price = shop.price[i] ?? NO_PRICE;
    if (price === NO_PRICE || shop.available[i] !== 1) continue;
    const leaf = shop.leaf[i] ?? -1;
    cheapest.set(leaf, Math.min(cheapest.get(leaf) ?? Number.POSITIVE_INFINITY, price));
  }
  return (anchor) => {
    const own = shop.leaf[anchor] ?? -1;
    const anchorPrice = shop.price[anchor] ?? NO_PRICE;
    for (const partner of shop.partners(own)) {
      if (partner === own) continue;
      const price = cheapest.get(partner);
      if (price !== undefined && withinPriceAnchor(price, anchorPrice, priceRatio)) return true;
    }
    return false;
  };
}

export interface AnchorAnswer {
  anchor: number;
  alsoBought: readonly { index: number; source: Source }[];
  /** The bundle's add-ons (the anchor left out); empty when there is no bundle. */
  bundle: readonly number[];
}

export interface CartAnswer {
  lines: readonly number[];
  /** Each suggestion and the line it names (evidence.anchor). */
  suggestions: readonly { index: number; line: number }[];
}

/**
 * items: how many; inPlanted: the share of them in a planted leaf (1 when there are none); inSibling:
 * the share in a sibling leaf that is not a planted partner (a diagnostic of what the rest is).
 */
export interface Share {
  items: number;
  inPlanted: number;
  inSibling: number;
}

export interface AnchorFigures {
  anchors: number;
  answerable: number;
  answerableShare: number;
  /** Among answerable anchors. */
  answered: {
    nonEmpty: number;
    alsoBought: Share & { bySource: Record<Source, Share> };
    bundle: Share & { bundles: number };
  };
  /** What the other anchors got. */
  notAnswerable: {
    anchors: number;
    empty: number;
    /** Share of these anchors whose answer has an item of each level. */
    withSource: Record<Source, number>;
    alsoBought: Share & { bySource: Record<Source, Share> };
    bundle: Share & { bundles: number };
  };
}

export interface CartFigures {
  carts: number;
  nonEmpty: number;
  suggestions: Share;
}

export interface OffItem {
  anchor: number;
  item: number;
  what: Source | "bundle" | "cart";
  relation: "sibling" | "other";
}

const round = (x: number) => Math.round(x * 1e4) / 1e4;

type Relation = "planted" | "sibling" | "other";

class Tally {
  items = 0;
  hits = 0;
  siblings = 0;
  add(relation: Relation) {
    this.items++;
    if (relation === "planted") this.hits++;
    if (relation === "sibling") this.siblings++;
  }
  share(): Share {
    const of = (n: number) => (this.items === 0 ? 0 : round(n / this.items));
    return { items: this.items, inPlanted: this.items === 0 ? 1 : of(this.hits), inSibling: of(this.siblings) };
  }
}

/** How an answer item's leaf relates to its anchor's (or cart line's). */
function relationOf(shop: PlantedShop, anchor: number, item: number): Relation {
  const own = shop.leaf[anchor] ?? -1;
  const other = shop.leaf[item] ?? -2;
  if (shop.partners(own).has(other)) return "planted";
  return shop.siblings(own).has(other) ? "sibling" : "other";
}

const bySource = () =>
  ({ item: new Tally(), category: new Tally(), graph: new Tally() }) satisfies Record<Source, Tally>;

/** The pure reading: anchors' answers (and carts') against the planted leaves. */
export function auditAnchors(
  shop: PlantedShop,
  isAnswerable: (anchor: number) => boolean,
  answers: readonly AnchorAnswer[],
  off: OffItem[] = [],
): AnchorFigures {
  const groups = [true, false].map(() => ({
    anchors: 0,
    nonEmpty: 0,
    withSource: { item: 0, category: 0, graph: 0 } as Record<Source, number>,
    items: new Tally(),
    sources: bySource(),
    bundles: 0,
    addOns: new Tally(),
  }));
  let answerable = 0;
  for (const { anchor, alsoBought, bundle } of answers) {
    const ok = isAnswerable(anchor);
    if (ok) answerable++;
    const group = groups[ok ? 0 : 1];
    if (group === undefined) continue;
    group.anchors++;
    if (alsoBought.length > 0) group.nonEmpty++;
    for (const source of SOURCES) if (alsoBought.some((a) => a.source === source)) group.withSource[source]++;
    for (const { index, source } of alsoBought) {
      const relation = relationOf(shop, anchor, index);
      group.items.add(relation);
      group.sources[source].add(relation);
      if (relation !== "planted" && ok) off.push({ anchor, item: index, what: source, relation });
    }
    if (bundle.length > 0) group.bundles++;
    for (const index of bundle) {
      const relation = relationOf(shop, anchor, index);
      group.addOns.add(relation);
      if (relation !== "planted" && ok) off.push({ anchor, item: index, what: "bundle", relation });
    }
  }
  const [yes, no] = groups;
  if (yes === undefined || no === undefined) throw new Error("unreachable");
  const perSource = (tallies: Record<Source, Tally>) =>
    Object.fromEntries(SOURCES.map((s) => [s, tallies[s].share()])) as Record<Source, Share>;
  return {
    anchors: answers.length,
    answerable,
    answerableShare: round(answerable / Math.max(answers.length, 1)),
    answered: {
      nonEmpty: round(yes.nonEmpty / Math.max(yes.anchors, 1)),
      alsoBought: { ...yes.items.share(), bySource: perSource(yes.sources) },
      bundle: { bundles: yes.bundles, ...yes.addOns.share() },
    },
    notAnswerable: {
      anchors: no.anchors,
      empty: round((no.anchors - no.nonEmpty) / Math.max(no.anchors, 1)),
      withSource: Object.fromEntries(
        SOURCES.map((s) => [s, round(no.withSource[s] / Math.max(no.anchors, 1))]),
      ) as Record<Source, number>,
      alsoBought: { ...no.items.share(), bySource: perSource(no.sources) },
      bundle: { bundles: no.bundles, ...no.addOns.share() },
    },
  };
}

export function auditCarts(shop: PlantedShop, carts: readonly CartAnswer[], off: OffItem[] = []): CartFigures {
  const tally = new Tally();
  let nonEmpty = 0;
  for (const { suggestions } of carts) {
    if (suggestions.length > 0) nonEmpty++;
    for (const { index, line } of suggestions) {
      const relation = relationOf(shop, line, index);
      tally.add(relation);
      if (relation !== "planted") off.push({ anchor: line, item: index, what: "cart", relation });
    }
  }
  return { carts: carts.length, nonEmpty: round(nonEmpty / Math.max(carts.length, 1)), suggestions: tally.share() };
}

// ---- Drawing anchors and carts, and answering them as the worker does ----

/** Anchors drawn with replacement: by sales (an item's share of baskets) and uniformly over the catalog. */
export function sampleAnchors(
  itemBaskets: ArrayLike<number>,
  count: number,
  seed: number,
): { bySales: number[]; uniform: number[] } {
  const rng = xoroshiro128plus(seed);
  const n = itemBaskets.length;
  const cumulative = new Float64Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) cumulative[i] = sum += itemBaskets[i] ?? 0;
  for (let i = 0; i < n; i++) cumulative[i] = (cumulative[i] ?? 0) / Math.max(sum, 1);
  const bySales = Array.from({ length: count }, () => pick(cumulative, uniformFloat64(rng)));
  const uniform = Array.from({ length: count }, () => uniformInt(rng, 0, n - 1));
  return { bySales, uniform };
}

/**
 * Carts of 2–4 distinct lines drawn as bench:synth draws its baskets: a Zipf-popular anchor, then items
 * 80% from the anchor's complementary leaves and 20% from anywhere. Returns synth item numbers.
 */
export function drawCarts(planted: Planted, items: number, count: number, seed: number): number[][] {
  const rng = xoroshiro128plus(seed);
  const draw = basketDraws(planted, items, rng);
  const carts: number[][] = [];
  while (carts.length < count) {
    const anchor = draw.anchor();
    const cart = new Set([anchor]);
    const size = uniformInt(rng, 2, 4);
    for (let tries = 0; cart.size < size && tries < 20; tries++) {
      const item = draw.companion(anchor);
      if (item !== null) cart.add(item);
    }
    if (cart.size >= 2) carts.push([...cart]);
  }
  return carts;
}

/** A trained model as the worker loads it: catalog and evidence blobs, and the graph's scores. */
export interface ServedModel extends Shop {
  /** The whole catalog (the audit looks SKUs up in it). */
  catalog: Catalog;
  /** The graph's candidates for a basket (every finite score). */
  candidates(basket: readonly number[]): ScoredCandidates;
  /** The same, with the graph's similarities, as the answer pipeline's source. */
  source: CandidateSource;
}

export function servedModel(model: TrainedModel): ServedModel {
  const catalog = new Catalog(encodeCatalog(model.catalog));
  const evidence = new Evidence(encodeEvidence(model.evidence), catalog.size);
  const scorer = served("sidecart", model.tables);
  const scores = new Float64Array(catalog.size);
  const candidates = (basket: readonly number[]): ScoredCandidates => {
    scorer.score(basket, scores);
    const items: number[] = [];
    const values: number[] = [];
    for (let i = 0; i < scores.length; i++) {
      const s = scores[i] ?? Number.NEGATIVE_INFINITY;
      if (s === Number.NEGATIVE_INFINITY) continue;
      items.push(i);
      values.push(s);
    }
    return { items, scores: values };
  };
  const ladders = new LadderIndex(catalog);
  return { catalog, evidence, ladders, candidates, source: referenceCandidates(model.tables, candidates) };
}

/** Also-bought (with the levels) and the bundle for one anchor, as worker/recommend/suggest.ts asks. */
export function answerAnchor(model: ServedModel, anchor: number, rules: RulesConfig = DEFAULT_RULES): AnchorAnswer {
  const none = new Set<number>();
  const { crossSell } = rules;
  const list = answer(
    alsoBought(model, { anchor, rules: crossSell, exclude: none, limit: crossSell.limit }),
    model.source,
  );
  const set = answer(bundle(model, { anchor, crossSell, bundle: rules.bundle, exclude: none }), model.source).items[0];
  return {
    anchor,
    alsoBought: list.items.map(({ index, source }) => ({ index, source })),
    bundle: set?.items.slice(1) ?? [],
  };
}

/** Cart cross-sells for lines of quantity 1 at catalog prices, most valuable first (as the worker sorts). */
export function answerCart(
  model: ServedModel,
  lines: readonly number[],
  rules: RulesConfig = DEFAULT_RULES,
): CartAnswer {
  const { catalog } = model;
  // One of each item, at the catalog price; the cart's upgrades are not read here.
  const plan = cart(model, {
    lines: lines.map((index) => ({ index, quantity: 1, unitPriceMinor: catalog.price[index] ?? NO_PRICE })),
    rules: { ...rules, cart: { ...rules.cart, upgradesPerLine: 0 } },
    stage: "cart",
    exclude: new Set(),
    limit: rules.crossSell.limit,
  });
  const selection = answer(plan, model.source).crossSells;
  return { lines, suggestions: selection.items.map(({ index, evidence: e }) => ({ index, line: e.anchor })) };
}

export interface PlantedFigures {
  bySales: AnchorFigures;
  uniform: AnchorFigures;
  carts: CartFigures;
}

/** Samples anchors and carts of a trained bench:synth shop, answers them, and reads the answers. */
export function auditTrainedShop(
  model: TrainedModel,
  planted: Planted,
  items: number,
  options: { anchors: number; carts: number; seed: number },
): { figures: PlantedFigures; off: OffItem[]; shop: PlantedShop; served: ServedModel } {
  const live = servedModel(model);
  const shop = shopOf(live.catalog, planted);
  const isAnswerable = answerability(shop, DEFAULT_RULES.crossSell.priceRatio);
  const { bySales, uniform } = sampleAnchors(live.evidence.itemBaskets, options.anchors, options.seed);
  const cache = new Map<number, AnchorAnswer>();
  const answer = (anchor: number) => {
    let found = cache.get(anchor);
    if (found === undefined) cache.set(anchor, (found = answerAnchor(live, anchor)));
    return found;
  };
  const off: OffItem[] = [];
  const offUniform: OffItem[] = [];
  const figures = {
    bySales: auditAnchors(shop, isAnswerable, bySales.map(answer), off),
    uniform: auditAnchors(shop, isAnswerable, uniform.map(answer), offUniform),
    carts: auditCarts(
      shop,
      drawCarts(planted, items, options.carts, options.seed + 1).map((cart) =>
        answerCart(
          live,
          cart.flatMap((item) => {
            const index = live.catalog.indexOf(synthSku(item));
            return index === undefined ? [] : [index];
          }),
        ),
      ),
      off,
    ),
  };
  return { figures, off: [...off, ...offUniform], shop, served: live };
}

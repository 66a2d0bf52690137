import type { EvidenceView } from "../evidence.js";
import type { CatalogView } from "../catalog.js";
import { NO_GROUP } from "../catalog.js";
import {
  basketWeightOf,
  confidenceBound,
  isRelevantCategoryPair,
  isRelevantPair,
  type AnchoredEvidence,
  type RelevanceKnobs,
} from "./relevance.js";

/** Where a cross-sell came from, best evidence first. */
export const SOURCES = ["item", "category", "graph"] as const;
export type Source = (typeof SOURCES)[number];
/** The levels that may fill a short item-level list, in the order they are tried. */
export const FALLBACK_LEVELS = ["category", "graph"] as const;
export type FallbackLevel = (typeof FALLBACK_LEVELS)[number];

/**
 * The evidence of one suggestion, at its own level:
 * - item: the anchor and the suggestion bought together (support, confidence, lift of that pair);
 * - category: the anchor's leaf category and the suggestion's, bought together (the category pair's
 *   numbers; `categories` names both);
 * - graph: the anchor is bought with `via`, which is bought with the suggestion (the numbers are the
 *   via → suggestion pair's; the anchor → via pair passed the same floor); or `via` is another
 *   variant of the anchor (`viaRelation` "variant": its variant family), or a product whose title is
 *   alike (`viaRelation` "lookalike": the anchor is too new or rare for pairs of its own).
 */
export interface LevelEvidence extends AnchoredEvidence {
  categories?: [number, number];
  via?: number;
  viaRelation?: ViaRelation;
}

/** How `via` relates to the anchor: bought with it, another variant of it, or alike by title. */
export type ViaRelation = "bought_with" | "variant" | "lookalike";

/** First-step weight of a title lookalike: less than a variant (the same product), and a pair's share. */
const LOOKALIKE_WEIGHT = 0.5;

export interface LevelCandidate {
  index: number;
  /** Comparable within a level only: the category pair's confidence, or the walk's probability. */
  score: number;
  evidence: LevelEvidence;
}

/**
 * Level 2: the anchors' complementary leaf categories (category pairs that pass the same privacy floor
 * and lift as item pairs), each filled with its best sellers and then its never-sold products, so a
 * product launched today can be suggested today. Partners come round by round (each one's first item,
 * then each one's second…) so the diversity cap sees the strongest categories first. Lazily: a
 * partner category may list thousands of products, and a list that fills stops asking.
 */
export function* categoryCandidates(
  catalog: CatalogView,
  evidence: EvidenceView,
  anchors: readonly number[],
  knobs: RelevanceKnobs,
): Generator<LevelCandidate, void, undefined> {
  if (!evidence.hasCategoryLevel) return;
  const lists: { items: ArrayLike<number>; evidence: LevelEvidence; score: number }[] = [];
  const seenCategories = new Set<number>();
  for (const anchor of anchors) {
    const category = catalog.categoryId[anchor] ?? NO_GROUP;
    if (category === NO_GROUP) continue;
    for (const partner of evidence.categoryPartners(category)) {
      if (seenCategories.has(partner.category) || !isRelevantCategoryPair(partner, knobs)) continue;
      seenCategories.add(partner.category);
      lists.push({
        items: evidence.categoryItems(partner.category),
        score: partner.confidence,
        evidence: {
          support: partner.support,
          confidence: partner.confidence,
          lift: partner.lift,
          anchor,
          categories: [category, partner.category],
        },
      });
    }
  }
  const longest = lists.reduce((m, l) => Math.max(m, l.items.length), 0);
  for (let rank = 0; rank < longest; rank++) {
    for (const list of lists) {
      const index = list.items[rank];
      if (index !== undefined) yield { index, score: list.score, evidence: list.evidence };
    }
  }
}

/** RP3beta's popularity penalty: a walk's end point is divided by its popularity to this power. */
const POPULARITY_POWER = 0.5;

/**
 * Level 3: two steps on the co-purchase graph (RP3beta-style, Paudel et al. 2016): from the anchors to
 * their neighbours, then to the neighbours' neighbours, each step weighted by its confidence's lower
 * bound (confidenceBound: a sister colour's 6 pairs in 10 baskets must not outrank 60 in 120), every edge
 * past the privacy floor and lift; the end point's probability is divided by popularity^β so the walk
 * does not end at the best sellers. Items already on an anchor's own list are left to the item level.
 *
 * An anchor's other variants (its variant family: the same product in another colour or pack size)
 * are first steps too, of weight 1: a colour launched today, never sold, has no pairs of its own, but
 * what is bought with its sister colours goes with it as well. So are a cold anchor's title
 * lookalikes (the trainer's, for catalogs without categories), of weight 1/2. The evidence names the
 * step's product and how it relates to the anchor.
 */
export function graphCandidates(
  catalog: CatalogView,
  evidence: EvidenceView,
  anchors: readonly number[],
  knobs: RelevanceKnobs,
): LevelCandidate[] {
  // Never an end: the anchors, their own pairs (the item level's) and their lookalikes (alike by title,
  // so more likely substitutes than complements).
  const direct = new Set<number>(anchors);
  for (const anchor of anchors) {
    for (let slot = evidence.rowBegin(anchor), end = evidence.rowEnd(anchor); slot < end; slot++)
      direct.add(evidence.neighbourAt(slot));
    for (const lookalike of evidence.lookalikesOf(anchor, knobs.minSupport)) direct.add(lookalike);
  }
  // Numbers only while walking (a rich evidence object per step was most of the level's time): each
  // end's summed probability and its best step, whose evidence is built once at the end.
  interface Walk {
    probability: number;
    best: number;
    anchor: number;
    via: number;
    slot: number;
    relation: ViaRelation;
  }
  const walks = new Map<number, Walk>();
  const walkFrom = (anchor: number, via: number, weight: number, relation: ViaRelation) => {
    for (let next = evidence.rowBegin(via), rowEnd = evidence.rowEnd(via); next < rowEnd; next++) {
      // The floor first: most slots fail it, and then no evidence object is made.
      if (evidence.supportAt(next) < knobs.minSupport) continue;
      const end = evidence.neighbourAt(next);
      if (direct.has(end)) continue;
      const second = evidence.pairAt(via, next);
      if (!isRelevantPair(second, knobs)) continue;
      const step = weight * confidenceBound(second) * basketWeightOf(second);
      const walk = walks.get(end);
      if (walk === undefined) walks.set(end, { probability: step, best: step, anchor, via, slot: next, relation });
      else {
        walk.probability += step;
        if (step > walk.best) Object.assign(walk, { best: step, anchor, via, slot: next, relation });
      }
    }
  };
  for (const anchor of anchors) {
    for (const variant of catalog.familyMembers(catalog.familyId[anchor] ?? NO_GROUP)) {
      if (variant !== anchor) walkFrom(anchor, variant, 1, "variant");
    }
    const lookalikes = evidence.lookalikesOf(anchor, knobs.minSupport);
    for (let k = 0; k < lookalikes.length; k++)
      walkFrom(anchor, lookalikes[k] ?? anchor, LOOKALIKE_WEIGHT, "lookalike");
    for (let slot = evidence.rowBegin(anchor), end = evidence.rowEnd(anchor); slot < end; slot++) {
      const first = evidence.pairAt(anchor, slot);
      if (isRelevantPair(first, knobs))
        walkFrom(anchor, evidence.neighbourAt(slot), confidenceBound(first) * basketWeightOf(first), "bought_with");
    }
  }
  const total = Math.max(evidence.totalBaskets, 1);
  const out: LevelCandidate[] = [];
  for (const [index, walk] of walks) {
    const pair = evidence.pairAt(walk.via, walk.slot);
    if (pair === null) continue;
    out.push({
      index,
      score: walk.probability / Math.pow(Math.max(evidence.itemBaskets[index] ?? 0, 1) / total, POPULARITY_POWER),
      evidence: { ...pair, anchor: walk.anchor, via: walk.via, viaRelation: walk.relation },
    });
  }
  return out.sort((a, b) => b.score - a.score || a.index - b.index);
}

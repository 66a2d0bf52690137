import { NO_GROUP, NO_PRICE, type Catalog } from "../../models/catalog.js";
import type { CrossSellRules } from "../../models/config/rulesConfig.js";
import type { CrossSell } from "../../models/rules/crossSell.js";
import type { LevelEvidence } from "../../models/rules/fallbackLevels.js";
import { pairCount, type CoPurchase } from "../learn/coPurchase.js";

/**
 * Checks a served cross-sell answer against the cross-sell rules (limit, never the anchor, available,
 * price anchor, privacy floor and lift, complement not substitute, diversity cap) from first
 * principles (raw training counts, not the evidence blob the rules used), and names every rule it
 * breaks.
 */
export function crossSellViolations(
  catalog: Catalog,
  co: CoPurchase,
  totalBaskets: number,
  anchor: number,
  answer: readonly CrossSell[],
  rules: CrossSellRules,
  limit: number,
  /** Whether `via` is on the anchor's lookalike list (by title: not in the counts, so the evidence's list). */
  isLookalike: (anchor: number, via: number) => boolean = () => false,
): string[] {
  const broken: string[] = [];
  const perGroup = new Map<number, number>();
  const groups = catalog.hasCategories ? catalog.categoryId : catalog.familyId;
  const anchorPrice = catalog.price[anchor] ?? NO_PRICE;
  if (answer.length > limit) broken.push("limit");
  const relevantPair = (a: number, b: number) => {
    const support = pairCount(co, a, b);
    const lift = (support * totalBaskets) / ((co.itemBaskets[a] ?? 1) * (co.itemBaskets[b] ?? 1));
    return { floor: support >= rules.minSupport, lift: lift > rules.minLift };
  };
  // A walk's first step: a pair bought together, another variant of the anchor (its family), or a
  // lookalike; each holds both claims (floor and lift) or neither.
  const firstStep = (via: number, relation: LevelEvidence["viaRelation"]) => {
    if (relation === "variant" || relation === "lookalike") {
      const holds =
        relation === "variant"
          ? catalog.familyId[anchor] !== NO_GROUP && catalog.familyId[via] === catalog.familyId[anchor]
          : isLookalike(anchor, via);
      return { floor: holds, lift: holds };
    }
    return relevantPair(anchor, via);
  };
  for (const { index, source, evidence } of answer) {
    if (index === anchor) broken.push("anchor itself");
    if (catalog.available[index] !== 1) broken.push("unavailable");
    const price = catalog.price[index] ?? NO_PRICE;
    if (price === NO_PRICE || anchorPrice === NO_PRICE || price > rules.priceRatio * anchorPrice)
      broken.push("price anchor");
    // Each level's claim checked at its own level: the pair itself, both steps of a walk, or the
    // category pair (whose counts are not in the item matrix, so its stated numbers and membership).
    const claims =
      source === "item"
        ? [relevantPair(anchor, index)]
        : source === "graph" && evidence.via !== undefined
          ? [firstStep(evidence.via, evidence.viaRelation), relevantPair(evidence.via, index)]
          : source === "category" && evidence.categories !== undefined
            ? [
                {
                  floor:
                    evidence.support >= rules.minSupport &&
                    catalog.categoryId[anchor] === evidence.categories[0] &&
                    catalog.categoryId[index] === evidence.categories[1],
                  lift: evidence.lift > rules.minLift,
                },
              ]
            : [{ floor: false, lift: false }];
    if (claims.some((c) => !c.floor)) broken.push("privacy floor");
    if (claims.some((c) => !c.lift)) broken.push("lift");
    const sameCategory =
      catalog.categoryId[index] !== NO_GROUP && catalog.categoryId[index] === catalog.categoryId[anchor];
    const sameFamily = catalog.familyId[index] !== NO_GROUP && catalog.familyId[index] === catalog.familyId[anchor];
    if ((rules.excludeSameCategory && sameCategory) || (rules.excludeSameFamily && sameFamily))
      broken.push("substitute");
    const group = groups[index] ?? NO_GROUP;
    if (group !== NO_GROUP) {
      perGroup.set(group, (perGroup.get(group) ?? 0) + 1);
      // Without categories a variant family is one product: one suggestion per family.
      const cap = catalog.hasCategories ? rules.maxPerCategory : 1;
      if ((perGroup.get(group) ?? 0) > cap) broken.push("diversity");
    }
  }
  return broken;
}

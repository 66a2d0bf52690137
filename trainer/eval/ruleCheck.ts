import { NO_GROUP, NO_PRICE, type Catalog } from "../../models/catalog.js";
import type { CrossSellRules } from "../../models/config/rulesConfig.js";
import type { CrossSell } from "../../models/rules/crossSell.js";
import { pairCount, type CoPurchase } from "../learn/coPurchase.js";

/**
 * Checks a served cross-sell answer against DESIGN §1 from first principles (raw training counts,
 * not the evidence blob the rules used), and names every rule it breaks.
 */
export function crossSellViolations(
  catalog: Catalog,
  co: CoPurchase,
  totalBaskets: number,
  anchor: number,
  answer: readonly CrossSell[],
  rules: CrossSellRules,
  limit: number,
): string[] {
  const broken: string[] = [];
  const perGroup = new Map<number, number>();
  const groups = catalog.hasCategories ? catalog.categoryId : catalog.familyId;
  const anchorPrice = catalog.price[anchor] ?? NO_PRICE;
  if (answer.length > limit) broken.push("limit");
  for (const { index } of answer) {
    if (index === anchor) broken.push("anchor itself");
    if (catalog.available[index] !== 1) broken.push("unavailable");
    const price = catalog.price[index] ?? NO_PRICE;
    if (price === NO_PRICE || anchorPrice === NO_PRICE || price > rules.priceRatio * anchorPrice)
      broken.push("price anchor");
    const support = pairCount(co, anchor, index);
    const lift = (support * totalBaskets) / ((co.itemBaskets[anchor] ?? 1) * (co.itemBaskets[index] ?? 1));
    if (support < rules.minSupport) broken.push("privacy floor");
    if (!(lift > rules.minLift)) broken.push("lift");
    const sameCategory =
      catalog.categoryId[index] !== NO_GROUP && catalog.categoryId[index] === catalog.categoryId[anchor];
    const sameFamily = catalog.familyId[index] !== NO_GROUP && catalog.familyId[index] === catalog.familyId[anchor];
    if ((rules.excludeSameCategory && sameCategory) || (rules.excludeSameFamily && sameFamily))
      broken.push("substitute");
    const group = groups[index] ?? NO_GROUP;
    if (group !== NO_GROUP) {
      perGroup.set(group, (perGroup.get(group) ?? 0) + 1);
      if ((perGroup.get(group) ?? 0) > rules.maxPerCategory) broken.push("diversity");
    }
  }
  return broken;
}

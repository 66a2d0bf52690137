import { NO_PRICE, type Catalog } from "../../models/catalog.js";
import type { CrossSellRules } from "../../models/config/rulesConfig.js";
import type { CrossSell } from "../../models/rules/crossSell.js";
import type { CoPurchase } from "../learn/coPurchase.js";
import { crossSellViolations } from "./ruleViolations.js";
import type { AnchorQuery, ServedContext } from "./servedContext.js";

/** `sidecart.rules`, `.coverage` and `.priceRatios` of the eval result. */
export interface RulesAuditResult {
  rules: { answers: number; obeying: number; share: number; violations: Record<string, number> };
  coverage: { unconstrained: number; withRules: number };
  priceRatios: { unconstrained: number[]; withRules: number[] };
}

/**
 * Checks the served anchor answers against the cross-sell rules from raw counts (ruleViolations.ts), and
 * compares them with the unconstrained top k: which items reach an answer, and at what price ratio. Fed
 * by evaluateServed's onAnchorAnswer, so the answers are the ones measured, not a second run.
 */
export class RulesAudit {
  private readonly violations: Record<string, number> = {};
  private answers = 0;
  private obeying = 0;
  private readonly covered = { unconstrained: new Set<number>(), withRules: new Set<number>() };
  private readonly priceRatios = { unconstrained: [] as number[], withRules: [] as number[] };

  constructor(
    private readonly context: ServedContext,
    private readonly co: CoPurchase,
    private readonly trainBaskets: number,
    private readonly rules: CrossSellRules,
    private readonly k: number,
  ) {}

  private ratio(anchor: number, item: number): number | null {
    const { price } = this.context.catalog;
    const a = price[anchor] ?? NO_PRICE;
    const p = price[item] ?? NO_PRICE;
    return a > 0 && p !== NO_PRICE ? Math.round((p / a) * 1000) / 1000 : null;
  }

  readonly observe = (q: number, query: AnchorQuery, answer: readonly CrossSell[]): void => {
    const { anchor } = query;
    for (const item of this.context.anchorCandidates.top(q, this.k, new Set([anchor]))) {
      this.covered.unconstrained.add(item);
      const r = this.ratio(anchor, item);
      if (r !== null) this.priceRatios.unconstrained.push(r);
    }
    const catalog: Catalog = this.context.catalog;
    const { evidence } = this.context;
    const isLookalike = (a: number, via: number) => evidence.lookalikesOf(a, this.rules.minSupport).includes(via);
    const broken = crossSellViolations(
      catalog,
      this.co,
      this.trainBaskets,
      anchor,
      answer,
      this.rules,
      this.k,
      isLookalike,
    );
    for (const rule of broken) this.violations[rule] = (this.violations[rule] ?? 0) + 1;
    this.answers++;
    if (broken.length === 0) this.obeying++;
    for (const { index } of answer) {
      this.covered.withRules.add(index);
      const r = this.ratio(anchor, index);
      if (r !== null) this.priceRatios.withRules.push(r);
    }
  };

  /** Coverage as a share of the train items. */
  result(trainItems: number): RulesAuditResult {
    const share = (n: number) => Math.round((n / Math.max(trainItems, 1)) * 1e4) / 1e4;
    const { answers, obeying } = this;
    return {
      rules: { answers, obeying, share: answers === 0 ? 1 : obeying / answers, violations: this.violations },
      coverage: {
        unconstrained: share(this.covered.unconstrained.size),
        withRules: share(this.covered.withRules.size),
      },
      priceRatios: this.priceRatios,
    };
  }
}

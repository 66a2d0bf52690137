import { z } from "zod";
import { FALLBACK_LEVELS } from "../rules/fallbackLevels.js";
import { INDIRECT_PAIRS } from "../rules/indirectPairs.js";

/** Where a suggestion is shown; each stage may override the rule knobs. */
export const STAGES = ["product", "cart", "checkout", "post_purchase"] as const;
export type Stage = (typeof STAGES)[number];

// Knob shapes carry no defaults, so a partial override holds only what its author wrote;
// the defaults below are merged in once, when a document is parsed.
const crossSellKnobs = z
  .object({
    /** Relevance and privacy floor: distinct baskets a pair needs (never below the trainer's floor). */
    minSupport: z.int().min(1).max(1_000_000),
    /**
     * Relevance: what a pair's baskets must be worth in average baskets, each weighed by its size (a
     * wholesale order of 700 items about half an average basket): a pair seen only in such orders says
     * little. 0 switches it off; models trained before basket weights count real baskets.
     */
    minWorth: z.number().min(0).max(1_000_000),
    /** Relevance: bought together more often than chance. */
    minLift: z.number().min(0).max(1000),
    /**
     * Relevance: of the pairs each level shows (item pairs, category pairs, graph steps), at most this
     * expected share may be chance (Benjamini–Hochberg over every pair of the level the trainer tried).
     * Lower is stricter: fewer, surer suggestions; 1 lets every pair with lift > 1 through.
     */
    falseDiscoveryRate: z.number().positive().max(1),
    /**
     * Price anchor: an add-on costs at most this share of the anchor's price (cart: of its line's). At
     * most 1: an add-on dearer than what it complements is not a cross-sell (that is an upgrade's job).
     */
    priceRatio: z.number().positive().max(1, "an add-on dearer than its anchor is not a cross-sell: at most 1"),
    /** Complement, not substitute: drop the anchor's leaf category (when the catalog has categories). */
    excludeSameCategory: z.boolean(),
    /** ... and its variant family (when the catalog has families). */
    excludeSameFamily: z.boolean(),
    /** Variety: at most this many suggestions per leaf category (per family without categories). */
    maxPerCategory: z.int().min(1).max(50),
    /** Rank by model score, or by expected revenue (score × price). */
    objective: z.enum(["relevance", "revenue"]),
    /** Default number of suggestions when the caller gives no limit. */
    limit: z.int().min(1).max(50),
    /**
     * No empty shelf: levels that fill an also-bought list its own item pairs leave short, in order
     * (complementary categories, then the co-purchase graph); [] for item pairs only.
     */
    fallback: z
      .array(z.enum(FALLBACK_LEVELS))
      .max(FALLBACK_LEVELS.length)
      .refine((levels) => new Set(levels).size === levels.length, "each level at most once"),
    /**
     * Indirect item pairs, whose categories are bought together only through a third category (a case
     * and a screen protector, each bought with the phone): "drop" leaves them out, so the category
     * level fills the list with direct complements; "last" shows them after every level (fuller
     * carts, weaker answers). Bundles always drop them.
     */
    indirectPairs: z.enum(INDIRECT_PAIRS),
  })
  .strict();

/**
 * A document's crossSell section. `secondHand` was indirectPairs' first name (in retail it means used
 * goods); documents written with it keep working, and one that names both is refused as ambiguous.
 */
const crossSellSection = z.preprocess((value) => {
  if (typeof value !== "object" || value === null || !("secondHand" in value) || "indirectPairs" in value) return value;
  const { secondHand, ...rest } = value;
  return { ...rest, indirectPairs: secondHand };
}, crossSellKnobs.partial());

const upsellKnobs = z
  .object({
    enabled: z.boolean(),
    /** Price band: minStep × anchor ≤ price ≤ priceBand × anchor. */
    priceBand: z.number().gt(1).max(100),
    /** One class higher, not a rounding difference: the smallest step up (1.05 = at least 5% more). */
    minStep: z.number().gt(1).max(100),
    /** Similar in embedding space: similarity to the anchor at least this. */
    minSimilarity: z.number().min(-1).max(1),
    limit: z.int().min(1).max(50),
  })
  .strict();

const bundleKnobs = z
  .object({
    /** Complements besides the anchor: 1 or 2. */
    maxComplements: z.int().min(1).max(2),
    /** Whether bundle.priceRatio limits the add-ons (on by default; false lets any price through). */
    applyPriceAnchor: z.boolean(),
    /**
     * Bundle price anchor: each add-on costs at most this share of the anchor's price. Its own knob so
     * a shop can allow bigger sets than its also-bought list; the default equals crossSell.priceRatio's.
     * At most 1, as there; applyPriceAnchor: false lets any price through.
     */
    priceRatio: z
      .number()
      .positive()
      .max(1, "a bundle's add-on dearer than its anchor: at most 1 (or applyPriceAnchor: false)"),
    /** How many of the anchor's best complements are tried in pairs. */
    pairPool: z.int().min(2).max(50),
  })
  .strict();

const cartKnobs = z
  .object({
    /** Cart lines accepted in one request. */
    maxLines: z.int().min(1).max(1000),
    /** The most valuable lines that are scored together (the graph's work grows with its square). */
    maxScoredLines: z.int().min(1).max(50),
    /** Upgrades offered per cart line. */
    upgradesPerLine: z.int().min(0).max(10),
  })
  .strict();

export type CrossSellRules = z.infer<typeof crossSellKnobs>;
export type UpsellRules = z.infer<typeof upsellKnobs>;
export type BundleRules = z.infer<typeof bundleKnobs>;
export type CartRules = z.infer<typeof cartKnobs>;

export const CROSS_SELL_DEFAULTS: CrossSellRules = {
  minSupport: 5,
  minWorth: 5,
  minLift: 1,
  falseDiscoveryRate: 0.1,
  priceRatio: 0.3,
  excludeSameCategory: true,
  excludeSameFamily: true,
  maxPerCategory: 2,
  objective: "relevance",
  limit: 6,
  fallback: ["category", "graph"],
  indirectPairs: "drop",
};
export const UPSELL_DEFAULTS: UpsellRules = {
  enabled: true,
  priceBand: 1.6,
  minStep: 1.05,
  minSimilarity: 0,
  limit: 3,
};
// 0.3 like also-bought: a bundle's add-ons are then ones the also-bought list could show for the
// same anchor, and the set costs at most 1.6 × the anchor alone (issue 18: 247 of 365 add-ons cost
// more than 0.3 × the anchor while bundles skipped the price rule).
export const BUNDLE_DEFAULTS: BundleRules = {
  maxComplements: 2,
  applyPriceAnchor: true,
  priceRatio: 0.3,
  pairPool: 10,
};
export const CART_DEFAULTS: CartRules = { maxLines: 100, maxScoredLines: 20, upgradesPerLine: 1 };

const stageOverrides = z.object({ crossSell: crossSellSection, upsell: upsellKnobs.partial() }).partial().strict();
export type StageOverrides = z.infer<typeof stageOverrides>;

export const rulesDocumentSchema = z
  .object({
    crossSell: crossSellSection,
    upsell: upsellKnobs.partial(),
    bundle: bundleKnobs.partial(),
    cart: cartKnobs.partial(),
    stages: z.partialRecord(z.enum(STAGES), stageOverrides),
  })
  .partial()
  .strict();
export type RulesDocument = z.infer<typeof rulesDocumentSchema>;

export interface RulesConfig {
  crossSell: CrossSellRules;
  upsell: UpsellRules;
  bundle: BundleRules;
  cart: CartRules;
  stages: Partial<Record<Stage, StageOverrides>>;
}

/** The defaults merged under a (validated) document. */
export function resolveRules(doc: RulesDocument): RulesConfig {
  return {
    crossSell: { ...CROSS_SELL_DEFAULTS, ...doc.crossSell },
    upsell: { ...UPSELL_DEFAULTS, ...doc.upsell },
    bundle: { ...BUNDLE_DEFAULTS, ...doc.bundle },
    cart: { ...CART_DEFAULTS, ...doc.cart },
    stages: doc.stages ?? {},
  };
}

export const DEFAULT_RULES: RulesConfig = resolveRules({});

/** The knobs in force at a stage: the base rules with that stage's overrides on top. */
export function rulesForStage(config: RulesConfig, stage: Stage): { crossSell: CrossSellRules; upsell: UpsellRules } {
  const overrides = config.stages[stage] ?? {};
  return {
    crossSell: { ...config.crossSell, ...overrides.crossSell },
    upsell: { ...config.upsell, ...overrides.upsell },
  };
}

/** What an experiment variant may override: any knob of the base sections, not per-stage ones. */
export type RuleOverrides = Omit<RulesDocument, "stages">;

export interface EffectiveRules {
  crossSell: CrossSellRules;
  upsell: UpsellRules;
  bundle: BundleRules;
  cart: CartRules;
}

/**
 * The knobs one answer uses: base rules, the stage's overrides, then the unit's experiment variant.
 * The variant comes last because an experiment that varies a knob must vary it at every stage, or
 * its arms would differ by less than the report claims.
 */
export function effectiveRules(config: RulesConfig, stage: Stage, overrides: RuleOverrides = {}): EffectiveRules {
  const staged = rulesForStage(config, stage);
  return {
    crossSell: { ...staged.crossSell, ...overrides.crossSell },
    upsell: { ...staged.upsell, ...overrides.upsell },
    bundle: { ...config.bundle, ...overrides.bundle },
    cart: { ...config.cart, ...overrides.cart },
  };
}

import { z } from "zod";
import { eventToken } from "../events/event.js";
import { SOURCES } from "../rules/fallbackLevels.js";

/**
 * The shapes of the API's answers, for the OpenAPI document (worker/openapi.ts), the typed client
 * (models/api/client.ts) and the contract test. Request shapes live beside the routes that validate
 * them and are imported from there, so the document describes exactly what is checked.
 */

export const itemSummary = z.object({
  sku: z.string(),
  title: z.string(),
  /** In the catalog's currency; null when the catalog has no price. */
  price: z.number().nullable(),
  category: z.string().nullable(),
});

export const crossSellItem = itemSummary.extend({
  /** Comparable only among items of the same source. */
  score: z.number(),
  /**
   * Which evidence the suggestion stands on: `item`, the anchor and it bought together; `category`,
   * their leaf categories bought together (the anchor's own pairs left the list short, or it never
   * sold); `graph`, bought with a product that is bought with the anchor.
   */
  source: z.enum(SOURCES),
  evidence: z.object({
    /** The cart line this suggestion comes from (cart answers only). */
    because: z.string().optional(),
    /** Baskets holding both products (source `category`: both categories; `graph`: `via` and this product). */
    support: z.int(),
    /** Share of the anchor's baskets that also hold this product (`category`: of the anchor category's baskets that also hold this category; `graph`: of `via`'s baskets). */
    confidence: z.number(),
    lift: z.number(),
    /** Source `category`: the two leaf categories the numbers are about. */
    categories: z.object({ anchor: z.string(), item: z.string() }).optional(),
    /**
     * Source `graph`: the product in between, bought with this product (the numbers are that pair's),
     * and `relation` to the anchor: `bought_with` it, a `variant` of it (the same product in another
     * colour or size), or a `lookalike` by title (the anchor is too new or rare for pairs of its own).
     */
    via: z
      .object({ sku: z.string(), title: z.string(), relation: z.enum(["bought_with", "variant", "lookalike"]) })
      .optional(),
  }),
});

export const upgradeItem = itemSummary.extend({
  score: z.number(),
  evidence: z.object({
    priceDelta: z.number(),
    priceRatio: z.number().nullable(),
    tierDelta: z.int().nullable(),
    /** The upgrade's pack size over the anchor's (1.333: a third more), where the catalog gives both in one measure. */
    sizeRatio: z.number().nullable(),
    similarity: z.number(),
  }),
  /** What the upgrade saves against the spend given (spend-based upgrades only). */
  saving: z.number().optional(),
});

export const experimentLabel = z.object({ id: z.string(), variant: z.string() });

const envelope = {
  stage: z.string(),
  /** Why fewer suggestions than asked for came back (no_evidence, price_anchor, …). */
  reasons: z.array(z.string()),
  experiments: z.array(experimentLabel),
  /** ISO 4217 code of every price in the answer. */
  currency: z.string(),
  model: z.object({ version: z.string() }),
  /**
   * Pass it untouched with every event about this answer (POST /v1/events): it vouches for the unit, arms,
   * surface, anchor, model and hour. Present when the request named a unit.
   */
  token: eventToken.optional(),
  /**
   * The unit the worker issued for this answer when the request asked for one (`unit=new`): keep it
   * and name it in the next requests (the widget does), so the shopper stays in one arm.
   */
  unit: z.string().optional(),
};

export const alsoBoughtAnswer = z.object({ anchor: itemSummary, items: z.array(crossSellItem), ...envelope });
export const upgradesAnswer = z.object({ anchor: itemSummary, items: z.array(upgradeItem), ...envelope });
export const bundleAnswer = z.object({
  anchor: itemSummary,
  bundle: z
    .object({
      /** The anchor first, then its complements. */
      items: z.array(itemSummary),
      totalPrice: z.number().nullable(),
      pairs: z.array(
        z.object({ skus: z.array(z.string()), support: z.int(), confidence: z.number(), lift: z.number() }),
      ),
    })
    .nullable(),
  ...envelope,
});
export const cartAnswer = z.object({
  cart: z.object({ total: z.number(), lines: z.int(), unknownSkus: z.array(z.string()) }),
  items: z.array(crossSellItem),
  upgrades: z.array(z.object({ line: itemSummary, items: z.array(upgradeItem), reasons: z.array(z.string()) })),
  ...envelope,
});
export const searchAnswer = z.object({
  items: z.array(itemSummary),
  currency: z.string(),
  model: z.object({ version: z.string() }),
});
export const eventsAccepted = z.object({ accepted: z.int() });
export const errorAnswer = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

export type ItemSummary = z.infer<typeof itemSummary>;
export type AlsoBoughtAnswer = z.infer<typeof alsoBoughtAnswer>;
export type UpgradesAnswer = z.infer<typeof upgradesAnswer>;
export type BundleAnswer = z.infer<typeof bundleAnswer>;
export type CartAnswer = z.infer<typeof cartAnswer>;
export type SearchAnswer = z.infer<typeof searchAnswer>;
export type ErrorAnswer = z.infer<typeof errorAnswer>;
export type EventsAccepted = z.infer<typeof eventsAccepted>;

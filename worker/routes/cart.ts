import { Hono } from "hono";
import { z } from "zod";
import { skuText, unitId } from "../../models/api/printableText.js";
import { NO_PRICE } from "../../models/catalog.js";
import type { LiveConfig } from "../../models/config/liveConfig.js";
import { effectiveRules, STAGES } from "../../models/config/rulesConfig.js";
import type { AppEnv } from "../appEnv.js";
import { ApiError } from "../errors.js";
import { setAnswerHeaders } from "../http/answerHeaders.js";
import { withArms } from "../middleware/withArms.js";
import { withModel } from "../middleware/withModel.js";
import type { ModelSource } from "../model/modelSource.js";
import { describeItem, presentCrossSell, presentUpgrade } from "../recommend/present.js";
import { cart } from "../../models/surfaces.js";
import type { PricedLine } from "../../models/rules/scoredLines.js";
import { PageSession } from "../model/pageSession.js";
import { answerPaged } from "../recommend/pagedAnswer.js";
import { answerToken, member, skusIn } from "../tokens/answerToken.js";
import { cartDigest } from "../tokens/eventToken.js";
import { validatedJson, validHeaders, validJson } from "../validate.js";
import { MAX_EXCLUDED, unitHeaders } from "./requestSchemas.js";
import { knownIndices } from "./skuLookup.js";

// The line cap is checked against the live rules in the handler; the schema only bounds the parse.
const MAX_PARSED_LINES = 1000;
/** A cart's JSON, in bytes (the byte limit is in /openapi.json beside the schema). */
export const CART_MAX_BYTES = 64 * 1024;

export const cartBody = z
  .object({
    items: z
      .array(
        z
          .object({
            sku: skuText,
            quantity: z.int().min(1).max(100_000).default(1),
            /** The line's unit price, when it differs from the catalog's list price. */
            price: z.number().min(0).max(1e9).optional(),
          })
          .strict(),
      )
      .min(1)
      .max(MAX_PARSED_LINES),
    exclude: z.array(skuText).max(MAX_EXCLUDED).default([]),
    stage: z.enum(STAGES).default("cart"),
    limit: z.int().min(1).max(50).optional(),
    unit: unitId.optional(),
  })
  .strict();

/**
 * The most cart lines every request is sure to be allowed under a live config: cart.maxLines of the
 * base rules and of every experiment variant that sets it (a unit's arm decides which applies).
 * /openapi.json publishes this as the cart's maxItems.
 */
export function cartLineLimit(config: LiveConfig): number {
  const variants = config.document.experiments.flatMap((e) =>
    e.enabled && e.surfaces.includes("cart") ? e.variants : [],
  );
  return Math.min(config.rules.cart.maxLines, ...variants.map((v) => v.rules.cart?.maxLines ?? Infinity));
}

export function cartRoutes(source: ModelSource) {
  return new Hono<AppEnv>().post(
    "/suggestions",
    validHeaders(unitHeaders),
    ...validJson(cartBody, { maxBytes: CART_MAX_BYTES }),
    withArms({ surface: "cart", unitParam: (c) => validatedJson(c, cartBody).unit }),
    withModel({ source }),
    answerToken({
      surface: "cart",
      anchor: (c) => cartDigest(validatedJson(c, cartBody).items.map((i) => i.sku)),
      // The suggestions, each line's upgrades, and the lines themselves (a purchase of a line counts too).
      shown: (answer, c) => {
        const upgrades = member(answer, "upgrades");
        return [
          ...skusIn(member(answer, "items")),
          ...(Array.isArray(upgrades) ? upgrades.flatMap((u: unknown) => skusIn(member(u, "items"))) : []),
          ...validatedJson(c, cartBody).items.map((i) => i.sku),
        ];
      },
    }),
    async (c) => {
      const model = c.get("model");
      const body = c.req.valid("json");
      const session = new PageSession(model);
      const { catalog } = session.shop;
      const rules = effectiveRules(c.get("config").rules, body.stage, c.get("arms").rules);
      if (body.items.length > rules.cart.maxLines) {
        throw new ApiError(400, "invalid_body", `items: a cart may have at most ${rules.cart.maxLines} lines`);
      }
      const found = await session.lookup([...body.items.map((line) => line.sku), ...body.exclude]);
      // One line per product: a SKU sent twice is one line with the quantities added.
      const lines = new Map<number, PricedLine>();
      const unknown: string[] = [];
      for (const line of body.items) {
        const index = found.get(line.sku);
        if (index === undefined) {
          unknown.push(line.sku);
          continue;
        }
        const unitPriceMinor =
          line.price === undefined ? (catalog.price[index] ?? NO_PRICE) : catalog.toMinor(line.price);
        const known = lines.get(index);
        if (known) known.quantity += line.quantity;
        else lines.set(index, { index, quantity: line.quantity, unitPriceMinor });
      }
      if (lines.size === 0) {
        throw new ApiError(404, "unknown_sku", `none of the cart's products is in model ${model.manifest.version}`);
      }
      const plan = cart(session.shop, {
        lines: [...lines.values()],
        rules,
        stage: body.stage,
        exclude: knownIndices(found, body.exclude),
        limit: body.limit ?? rules.crossSell.limit,
      });
      const answer = await answerPaged(model, session, plan, (result) => ({
        cart: { total: catalog.toMajor(result.totalMinor), lines: lines.size, unknownSkus: unknown },
        stage: body.stage,
        items: result.crossSells.items.map((item) => presentCrossSell(catalog, item, true)),
        reasons: result.crossSells.reasons,
        upgrades: result.upgrades.map(({ line, selection }) => ({
          line: describeItem(catalog, line),
          items: selection.items.map((item) => presentUpgrade(catalog, item)),
          reasons: selection.reasons,
        })),
      }));
      setAnswerHeaders(c, model, false);
      return c.json({
        ...answer,
        experiments: c.get("arms").labels,
        currency: catalog.currency,
        model: { version: model.manifest.version },
      });
    },
  );
}

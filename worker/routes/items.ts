import { Hono, type Context } from "hono";
import { effectiveRules, type Stage } from "../../models/config/rulesConfig.js";
import type { AppEnv } from "../appEnv.js";
import { answerCache } from "../middleware/answerCache.js";
import { withArms } from "../middleware/withArms.js";
import { withModel } from "../middleware/withModel.js";
import type { ModelSource } from "../model/modelSource.js";
import { describeItem, presentBundle, presentCrossSell, presentUpgrade } from "../recommend/present.js";
import type { Selection } from "../../models/rules/selection.js";
import { alsoBought, bundle, upgrades, type Plan } from "../../models/surfaces.js";
import { PageSession } from "../model/pageSession.js";
import { answerPaged } from "../recommend/pagedAnswer.js";
import { answerToken, member, skusIn } from "../tokens/answerToken.js";
import { setAnswerHeaders } from "../http/answerHeaders.js";
import { validHeaders, validQuery } from "../validate.js";
import { itemQuery, unitHeaders, upgradesQuery } from "./requestSchemas.js";
import { anchorSku, lookupAnchor } from "./skuLookup.js";

/** What every item route starts from: the model and this request's pages of it, the anchor, the rules for this stage and arm. */
async function itemRequest(c: Context<AppEnv>, query: { stage: Stage; exclude: readonly string[] }) {
  const model = c.get("model");
  const sku = anchorSku(c.req.param("sku") ?? "");
  const session = new PageSession(model);
  const { anchor, exclude } = await lookupAnchor(session, model.manifest.version, sku, query.exclude);
  return {
    model,
    session,
    shop: session.shop,
    catalog: session.shop.catalog,
    anchor,
    stage: query.stage,
    rules: effectiveRules(c.get("config").rules, query.stage, c.get("arms").rules),
    exclude,
  };
}

/**
 * Runs a surface's plan on the model's ONNX graph and answers in the envelope every item answer
 * shares: anchor, stage, reasons, experiments, currency and model version.
 */
async function serveItem<T, B extends object>(
  c: Context<AppEnv>,
  { model, session, catalog, anchor, stage }: Awaited<ReturnType<typeof itemRequest>>,
  plan: Plan<Selection<T>>,
  body: (items: T[]) => B,
) {
  const answer = await answerPaged(model, session, plan, ({ items, reasons }) => ({
    anchor: describeItem(catalog, anchor),
    stage,
    ...body(items),
    reasons,
  }));
  setAnswerHeaders(c, model, true);
  return c.json({
    ...answer,
    experiments: c.get("arms").labels,
    currency: catalog.currency,
    model: { version: model.manifest.version },
  });
}

export interface ItemRoutesOptions {
  source: ModelSource;
  /** Seconds an answer is kept in the Cache API (0: computed every time). */
  cacheSeconds: number;
}

export function itemRoutes({ source, cacheSeconds }: ItemRoutesOptions) {
  // Validated by itemQuery before withArms reads it.
  const unitParam = (c: Context<AppEnv>) => c.req.query("unit");
  // The query is validated first, then the unit is assigned, then the arm's model is fetched, and only
  // then can a stored answer be looked up (its key names the arm and the model).
  const cache = answerCache({ seconds: cacheSeconds });
  const serve = (surface: "also-bought" | "upgrades" | "bundle") =>
    [
      validHeaders(unitHeaders),
      withArms({ surface, unitParam }),
      withModel({ source }),
      // Outside the cache: a stored answer is shared by an arm, its token is the asking unit's own.
      answerToken({
        surface,
        anchor: (c) => c.req.param("sku") ?? "",
        // A bundle shows its anchor among its items; the other surfaces show their items.
        shown: (answer) =>
          surface === "bundle" ? skusIn(member(member(answer, "bundle"), "items")) : skusIn(member(answer, "items")),
      }),
      cache,
    ] as const;
  return new Hono<AppEnv>()
    .get("/:sku/also-bought", validQuery(itemQuery), ...serve("also-bought"), async (c) => {
      const query = c.req.valid("query");
      const asked = await itemRequest(c, query);
      const { shop, catalog, anchor, rules, exclude } = asked;
      const plan = alsoBought(shop, {
        anchor,
        rules: rules.crossSell,
        exclude,
        limit: query.limit ?? rules.crossSell.limit,
      });
      return serveItem(c, asked, plan, (items) => ({ items: items.map((item) => presentCrossSell(catalog, item)) }));
    })
    .get("/:sku/upgrades", validQuery(upgradesQuery), ...serve("upgrades"), async (c) => {
      const query = c.req.valid("query");
      const asked = await itemRequest(c, query);
      const { shop, catalog, anchor, rules, exclude } = asked;
      const plan = upgrades(shop, {
        anchor,
        rules: rules.upsell,
        stage: query.stage,
        spendMinor: query.spend === undefined ? null : catalog.toMinor(query.spend),
        exclude,
        limit: query.limit ?? rules.upsell.limit,
      });
      return serveItem(c, asked, plan, (items) => ({ items: items.map((item) => presentUpgrade(catalog, item)) }));
    })
    .get("/:sku/bundle", validQuery(itemQuery), ...serve("bundle"), async (c) => {
      const query = c.req.valid("query");
      const asked = await itemRequest(c, query);
      const { shop, catalog, anchor, rules, exclude } = asked;
      const plan = bundle(shop, { anchor, crossSell: rules.crossSell, bundle: rules.bundle, exclude });
      return serveItem(c, asked, plan, ([found]) => ({ bundle: found ? presentBundle(catalog, found) : null }));
    });
}

import { Hono, type Context } from "hono";
import { effectiveRules, type Stage } from "../../models/config/rulesConfig.js";
import type { AppEnv } from "../appEnv.js";
import { answerCache } from "../middleware/answerCache.js";
import { withArms } from "../middleware/withArms.js";
import { withModel } from "../middleware/withModel.js";
import type { ModelSource } from "../model/modelSource.js";
import { describeItem, presentBundle, presentCrossSell, presentUpgrade } from "../recommend/present.js";
import type { Selection } from "../../models/rules/selection.js";
import { alsoBought, answerAsync, bundle, upgrades, type Plan } from "../../models/surfaces.js";
import { onnxCandidates } from "../recommend/onnxCandidates.js";
import { answerToken } from "../tokens/answerToken.js";
import { setAnswerHeaders } from "../http/answerHeaders.js";
import { validHeaders, validQuery } from "../validate.js";
import { itemQuery, unitHeaders, upgradesQuery } from "./requestSchemas.js";
import { anchorIndex, indicesOf } from "./skuLookup.js";

/** What every item route starts from: the model (the shop the pipeline reads), the anchor, the rules for this stage and arm. */
function itemRequest(c: Context<AppEnv>, query: { stage: Stage; exclude: readonly string[] }) {
  const model = c.get("model");
  return {
    model,
    anchor: anchorIndex(model, c.req.param("sku") ?? ""),
    stage: query.stage,
    rules: effectiveRules(c.get("config").rules, query.stage, c.get("arms").rules),
    exclude: indicesOf(model, query.exclude),
  };
}

/**
 * Runs a surface's plan on the model's ONNX graph and answers in the envelope every item answer
 * shares: anchor, stage, reasons, experiments, currency and model version.
 */
async function serveItem<T, B extends object>(
  c: Context<AppEnv>,
  { model, anchor, stage }: ReturnType<typeof itemRequest>,
  plan: Plan<Selection<T>>,
  body: (items: T[]) => B,
) {
  const { items, reasons } = await answerAsync(plan, onnxCandidates(model));
  setAnswerHeaders(c, model, true);
  return c.json({
    anchor: describeItem(model, anchor),
    stage,
    ...body(items),
    reasons,
    experiments: c.get("arms").labels,
    currency: model.catalog.currency,
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
      answerToken({ surface, anchor: (c) => c.req.param("sku") ?? "" }),
      cache,
    ] as const;
  return new Hono<AppEnv>()
    .get("/:sku/also-bought", validQuery(itemQuery), ...serve("also-bought"), (c) => {
      const query = c.req.valid("query");
      const asked = itemRequest(c, query);
      const { model, anchor, rules, exclude } = asked;
      const plan = alsoBought(model, {
        anchor,
        rules: rules.crossSell,
        exclude,
        limit: query.limit ?? rules.crossSell.limit,
      });
      return serveItem(c, asked, plan, (items) => ({ items: items.map((item) => presentCrossSell(model, item)) }));
    })
    .get("/:sku/upgrades", validQuery(upgradesQuery), ...serve("upgrades"), (c) => {
      const query = c.req.valid("query");
      const asked = itemRequest(c, query);
      const { model, anchor, rules, exclude } = asked;
      const plan = upgrades(model, {
        anchor,
        rules: rules.upsell,
        stage: query.stage,
        spendMinor: query.spend === undefined ? null : model.catalog.toMinor(query.spend),
        exclude,
        limit: query.limit ?? rules.upsell.limit,
      });
      return serveItem(c, asked, plan, (items) => ({ items: items.map((item) => presentUpgrade(model, item)) }));
    })
    .get("/:sku/bundle", validQuery(itemQuery), ...serve("bundle"), (c) => {
      const query = c.req.valid("query");
      const asked = itemRequest(c, query);
      const { model, anchor, rules, exclude } = asked;
      const plan = bundle(model, { anchor, crossSell: rules.crossSell, bundle: rules.bundle, exclude });
      return serveItem(c, asked, plan, ([found]) => ({ bundle: found ? presentBundle(model, found) : null }));
    });
}

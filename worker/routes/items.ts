import { Hono, type Context } from "hono";
import { effectiveRules, type Stage } from "../../models/config/rulesConfig.js";
import type { Reason } from "../../models/rules/reasons.js";
import type { AppEnv } from "../appEnv.js";
import { answerCache } from "../middleware/answerCache.js";
import { withArms } from "../middleware/withArms.js";
import { withModel } from "../middleware/withModel.js";
import type { ModelSource } from "../model/modelSource.js";
import type { LoadedModel } from "../model/readModel.js";
import { describeItem, presentBundle, presentCrossSell, presentUpgrade } from "../recommend/present.js";
import { alsoBought, bundle, upgrades } from "../recommend/suggest.js";
import { answerToken } from "../tokens/answerToken.js";
import { setAnswerHeaders } from "../http/answerHeaders.js";
import { validHeaders, validQuery } from "../validate.js";
import { itemQuery, unitHeaders, upgradesQuery } from "./requestSchemas.js";
import { anchorIndex, indicesOf } from "./skuLookup.js";

/** The envelope every item answer shares: anchor, stage, reasons, experiments, currency and model version. */
function answer<T extends object>(
  c: Context<AppEnv>,
  model: LoadedModel,
  anchor: number,
  stage: Stage,
  reasons: readonly Reason[],
  body: T,
) {
  setAnswerHeaders(c, model, true);
  return c.json({
    anchor: describeItem(model, anchor),
    stage,
    ...body,
    reasons,
    experiments: c.get("arms").labels,
    currency: model.catalog.currency,
    model: { version: model.manifest.version },
  });
}

/** What every item route starts from: the model, the anchor's index, and the rules for this stage and arm. */
function asked(c: Context<AppEnv>, sku: string, stage: Stage) {
  const model = c.get("model");
  const anchor = anchorIndex(model, sku);
  return { model, anchor, rules: effectiveRules(c.get("config").rules, stage, c.get("arms").rules) };
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
    .get("/:sku/also-bought", validQuery(itemQuery), ...serve("also-bought"), async (c) => {
      const query = c.req.valid("query");
      const { model, anchor, rules } = asked(c, c.req.param("sku"), query.stage);
      const limit = query.limit ?? rules.crossSell.limit;
      const result = await alsoBought(model, anchor, rules.crossSell, indicesOf(model, query.exclude), limit);
      const items = result.items.map((item) => presentCrossSell(model, item));
      return answer(c, model, anchor, query.stage, result.reasons, { items });
    })
    .get("/:sku/upgrades", validQuery(upgradesQuery), ...serve("upgrades"), async (c) => {
      const query = c.req.valid("query");
      const { model, anchor, rules } = asked(c, c.req.param("sku"), query.stage);
      const spend = query.spend === undefined ? null : model.catalog.toMinor(query.spend);
      const result = await upgrades(model, {
        anchor,
        rules: rules.upsell,
        stage: query.stage,
        spendMinor: spend,
        exclude: indicesOf(model, query.exclude),
        limit: query.limit ?? rules.upsell.limit,
      });
      const items = result.items.map((item) => presentUpgrade(model, item));
      return answer(c, model, anchor, query.stage, result.reasons, { items });
    })
    .get("/:sku/bundle", validQuery(itemQuery), ...serve("bundle"), async (c) => {
      const query = c.req.valid("query");
      const { model, anchor, rules } = asked(c, c.req.param("sku"), query.stage);
      const result = await bundle(model, anchor, rules.crossSell, rules.bundle, indicesOf(model, query.exclude));
      const found = result.items[0];
      return answer(c, model, anchor, query.stage, result.reasons, {
        bundle: found ? presentBundle(model, found) : null,
      });
    });
}

import { Hono } from "hono";
import type { RulesConfig } from "../../models/config/rulesConfig.js";
import { rulesForStage } from "../../models/config/rulesConfig.js";
import type { AppEnv } from "../middleware/withModel.js";
import { describeItem, presentBundle, presentCrossSell, presentUpgrade } from "../recommend/present.js";
import { alsoBought, bundle, upgrades } from "../recommend/suggest.js";
import { validQuery } from "../validate.js";
import { anchorIndex, indicesOf, itemQuery, setModelHeaders, upgradesQuery } from "./params.js";

export function itemRoutes(rules: RulesConfig) {
  return new Hono<AppEnv>()
    .get("/:sku/also-bought", validQuery(itemQuery), async (c) => {
      const model = c.var.model;
      const anchor = anchorIndex(model, c.req.param("sku"));
      const query = c.req.valid("query");
      const { crossSell } = rulesForStage(rules, query.stage);
      const limit = query.limit ?? crossSell.limit;
      const result = await alsoBought(model, anchor, crossSell, indicesOf(model, query.exclude), limit);
      setModelHeaders(c, model, true);
      return c.json({
        anchor: describeItem(model, anchor),
        stage: query.stage,
        items: result.items.map((item) => presentCrossSell(model, item)),
        reasons: result.reasons,
        currency: model.catalog.currency,
        model: { version: model.manifest.version },
      });
    })
    .get("/:sku/upgrades", validQuery(upgradesQuery), async (c) => {
      const model = c.var.model;
      const anchor = anchorIndex(model, c.req.param("sku"));
      const query = c.req.valid("query");
      const { upsell } = rulesForStage(rules, query.stage);
      const spend = query.spend === undefined ? null : model.catalog.toMinor(query.spend);
      const limit = query.limit ?? upsell.limit;
      const result = await upgrades(model, anchor, upsell, query.stage, spend, indicesOf(model, query.exclude), limit);
      setModelHeaders(c, model, true);
      return c.json({
        anchor: describeItem(model, anchor),
        stage: query.stage,
        items: result.items.map((item) => presentUpgrade(model, item)),
        reasons: result.reasons,
        currency: model.catalog.currency,
        model: { version: model.manifest.version },
      });
    })
    .get("/:sku/bundle", validQuery(itemQuery), async (c) => {
      const model = c.var.model;
      const anchor = anchorIndex(model, c.req.param("sku"));
      const query = c.req.valid("query");
      const { crossSell } = rulesForStage(rules, query.stage);
      const result = await bundle(model, anchor, crossSell, rules.bundle, indicesOf(model, query.exclude));
      const found = result.items[0];
      setModelHeaders(c, model, true);
      return c.json({
        anchor: describeItem(model, anchor),
        stage: query.stage,
        bundle: found ? presentBundle(model, found) : null,
        reasons: result.reasons,
        currency: model.catalog.currency,
        model: { version: model.manifest.version },
      });
    });
}

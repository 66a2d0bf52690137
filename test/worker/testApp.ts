import type { ConfigDocument } from "../../models/config/configDocument.js";
import { readConfigText } from "../../models/config/liveConfig.js";
import { createApp } from "../../worker/app.js";
import { ConfigSource } from "../../worker/config/configSource.js";
import { ModelSource } from "../../worker/model/modelSource.js";

export interface TestAppOptions {
  models?: ModelSource;
  /** The wrangler-defaults document this app starts with (a pushed one in KV still wins). */
  config?: Partial<ConfigDocument> | Record<string, unknown>;
  configRefreshMs?: number;
  /** Seconds item answers stay in the Cache API (0: off, as in the other tests). */
  answerCacheSeconds?: number;
}

/** The real app with its own model and config sources, for app.request() against a chosen namespace. */
export function testApp({
  models,
  config = {},
  configRefreshMs = 3_600_000,
  answerCacheSeconds = 0,
}: TestAppOptions = {}) {
  const parsed = readConfigText(JSON.stringify(config));
  if (!parsed.ok) throw new Error(`test config invalid: ${parsed.errors.join("; ")}`);
  return createApp({
    models: models ?? new ModelSource({ refreshMs: 3_600_000 }),
    configs: new ConfigSource({ defaults: parsed.config, refreshMs: configRefreshMs }),
    answerCacheSeconds,
  });
}

/** POST /v1/cart/suggestions for these SKUs and unit, through an app (for the tests of its token). */
export function askCart(app: ReturnType<typeof testApp>, skus: readonly string[], unit: string, bindings: Env) {
  return app.request(
    "/v1/cart/suggestions",
    {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ items: skus.map((sku) => ({ sku })), unit }),
    },
    bindings,
  );
}

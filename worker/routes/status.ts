import { Hono } from "hono";
import type { AppEnv } from "../middleware/withModel.js";
import type { ModelSource } from "../model/modelSource.js";
import type { RulesConfig } from "../../models/config/rulesConfig.js";
import { withModel } from "../middleware/withModel.js";

/** Operator-facing: what is loaded, and what went wrong since. */
export function statusRoutes(source: ModelSource, rules: RulesConfig, rulesErrors: readonly string[] = []) {
  return new Hono<AppEnv>()
    .get("/healthz", async (c) => {
      // Trigger a first load so a fresh isolate reports the truth, not "nothing yet".
      await source.get(c.env.MODELS).catch(() => undefined);
      await source.settled();
      const status = source.status();
      c.header("Cache-Control", "no-store");
      const state = status.state === "ok" && rulesErrors.length > 0 ? "degraded" : status.state;
      return c.json(
        { status: state, model: status, rules: { valid: rulesErrors.length === 0, errors: rulesErrors } },
        status.state === "no_model" ? 503 : 200,
      );
    })
    .get("/v1/model", withModel({ source }), (c) => {
      const { manifest, loadedAt } = c.var.model;
      c.header("Cache-Control", "no-store");
      c.header("X-Sidecart-Model", manifest.version);
      return c.json({
        version: manifest.version,
        createdAt: manifest.createdAt,
        loadedAt,
        trainingWindow: manifest.trainingWindow,
        model: manifest.model,
        blobs: { model: manifest.blobs.model.bytes, catalog: manifest.blobs.catalog.bytes },
        stats: manifest.stats,
        status: source.status(),
        rules,
      });
    });
}

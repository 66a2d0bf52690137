import { eventsBlocked, tokenSecrets } from "../tokens/tokenKeys.js";
import { Hono } from "hono";
import type { ExperimentConfig } from "../../models/config/configDocument.js";
import type { AppEnv } from "../appEnv.js";
import type { ConfigSource } from "../config/configSource.js";
import type { ModelSource } from "../model/modelSource.js";
import { withModel } from "../middleware/withModel.js";

export interface StatusOptions {
  models: ModelSource;
  configs: ConfigSource;
  /** Why wrangler.toml's [vars.CONFIG] was refused (the built-in defaults stand in for it then). */
  wranglerConfigErrors: readonly string[];
}

/**
 * What a caller may know of the running experiments: ids and arms. Never the salt: with it anyone could
 * compute every unit's arm, and so make up events that pass the sample-ratio check.
 */
function publicExperiments(experiments: readonly ExperimentConfig[]) {
  return experiments.map((e) => ({
    id: e.id,
    enabled: e.enabled,
    surfaces: e.surfaces,
    variants: e.variants.map((v) => ({ name: v.name, weight: v.weight })),
  }));
}

/** Operator-facing: what is loaded, and what went wrong since. */
export function statusRoutes({ models, configs, wranglerConfigErrors }: StatusOptions) {
  return new Hono<AppEnv>()
    .get("/healthz", async (c) => {
      // Trigger a first load so a fresh isolate reports the truth, not "nothing yet".
      await models.get(c.env.MODELS).catch(() => undefined);
      await Promise.all([models.settled(), configs.settled()]);
      const model = models.status();
      const config = configs.status();
      const configTrouble = config.lastError !== null || wranglerConfigErrors.length > 0;
      const blocked = eventsBlocked(c.env);
      const events = { accepted: blocked === null, tokenKey: tokenSecrets(c.env).source, problem: blocked };
      const state = model.state === "ok" && (configTrouble || blocked !== null) ? "degraded" : model.state;
      c.header("Cache-Control", "no-store");
      return c.json(
        {
          status: state,
          model,
          config: { ...config, wrangler: { valid: wranglerConfigErrors.length === 0, errors: wranglerConfigErrors } },
          events,
        },
        model.state === "no_model" ? 503 : 200,
      );
    })
    .get("/v1/model", withModel({ source: models }), (c) => {
      const { manifest, loadedAt } = c.get("model");
      c.header("Cache-Control", "no-store");
      c.header("X-Sidecart-Model", manifest.version);
      return c.json({
        version: manifest.version,
        createdAt: manifest.createdAt,
        loadedAt,
        trainingWindow: manifest.trainingWindow,
        model: manifest.model,
        blobs: {
          model: manifest.blobs.model.bytes,
          head: manifest.blobs.head?.bytes ?? 0,
          pages: manifest.blobs.pages?.bytes ?? 0,
          pageCount: manifest.blobs.pages?.pages ?? 0,
        },
        stats: manifest.stats,
        status: models.status(),
        config: {
          digest: c.get("config").digest,
          experiments: publicExperiments(c.get("config").document.experiments),
        },
        rules: c.get("config").rules,
      });
    });
}

import { DEFAULT_RULES, parseRulesConfig } from "../models/config/rulesConfig.js";
import { createApp } from "./app.js";
import { ModelSource } from "./model/modelSource.js";

// Module scope lives as long as the isolate: the model is loaded once and shared by its requests.
let app: ReturnType<typeof createApp> | null = null;

function appFor(env: Env) {
  if (app === null) {
    const seconds = Number(env.MODEL_REFRESH_SECONDS);
    const refreshMs = (Number.isFinite(seconds) && seconds > 0 ? seconds : 30) * 1000;
    const parsed = parseRulesConfig(env.RULES);
    // A bad rules document must not take suggestions down: serve the defaults and say so on /healthz.
    if (!parsed.ok) console.error(`RULES refused, serving the defaults: ${parsed.errors.join("; ")}`);
    app = createApp({
      source: new ModelSource({ refreshMs }),
      rules: parsed.ok ? parsed.config : DEFAULT_RULES,
      rulesErrors: parsed.ok ? [] : parsed.errors,
    });
  }
  return app;
}

export default {
  fetch: (request, env, ctx) => appFor(env).fetch(request, env, ctx),
} satisfies ExportedHandler<Env>;

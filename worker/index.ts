import { DEFAULT_CONFIG_TEXT, readConfigText, type LiveConfig } from "../models/config/liveConfig.js";
import { createApp } from "./app.js";
import { ConfigSource } from "./config/configSource.js";
import { ModelSource } from "./model/modelSource.js";
import { startOrt } from "./ort/ortRuntime.js";
import { useBenchScorer } from "./recommend/benchScorer.js";

// Module scope lives as long as the isolate: the model is loaded once and shared by its requests.
let app: ReturnType<typeof createApp> | null = null;

// ORT's first use (~300 ms) is paid while the isolate starts, not by its first request: no I/O, and
// the promise never rejects (a failure shows in /healthz and the first session pays instead).
void startOrt();

function seconds(text: string, fallback: number): number {
  const value = Number(text);
  return (Number.isFinite(value) && value >= 0 ? value : fallback) * 1000;
}

/** A size in MiB from a var, in bytes; undefined (the default) when it is not a positive number. */
function mebibytes(text: string | undefined): number | undefined {
  const value = Number(text);
  return Number.isFinite(value) && value > 0 ? value * 1024 * 1024 : undefined;
}

/** wrangler.toml's [vars.CONFIG]; a document that fails validation must not take suggestions down. */
function wranglerConfig(value: unknown): { config: LiveConfig; errors: string[] } {
  const parsed = readConfigText(JSON.stringify(value ?? {}));
  if (parsed.ok) return { config: parsed.config, errors: [] };
  console.error(`[vars.CONFIG] refused, serving the built-in defaults: ${parsed.errors.join("; ")}`);
  const fallback = readConfigText(DEFAULT_CONFIG_TEXT);
  if (!fallback.ok) throw new Error(`built-in config invalid: ${fallback.errors.join("; ")}`);
  return { config: fallback.config, errors: parsed.errors };
}

function appFor(env: Env) {
  if (app === null) {
    const defaults = wranglerConfig(env.CONFIG);
    if (String(env.SIDECART_BENCH) === "1") useBenchScorer(env.BENCH_SCORER);
    app = createApp({
      // 0 is refused for the model (a KV read per request); the config may be re-read that often.
      models: new ModelSource({
        refreshMs: seconds(env.MODEL_REFRESH_SECONDS, 30) || 30_000,
        modelMemoryBytes: mebibytes(env.MODEL_MEMORY_MIB),
      }),
      configs: new ConfigSource({ defaults: defaults.config, refreshMs: seconds(env.CONFIG_REFRESH_SECONDS, 30) }),
      wranglerConfigErrors: defaults.errors,
      answerCacheSeconds: seconds(env.ANSWER_CACHE_SECONDS, 0) / 1000,
      // Typed as the literal in wrangler.toml; the benchmark overrides it at start.
      benchRoutes: String(env.SIDECART_BENCH) === "1",
    });
  }
  return app;
}

export default {
  fetch: (request, env, ctx) => appFor(env).fetch(request, env, ctx),
} satisfies ExportedHandler<Env>;

import { Hono } from "hono";
import { cors } from "hono/cors";
import { secureHeaders } from "hono/secure-headers";
import type { LiveConfig } from "../models/config/liveConfig.js";
import type { AppEnv } from "./appEnv.js";
import type { ConfigSource } from "./config/configSource.js";
import { onError, onNotFound } from "./errors.js";
import { EventStore } from "./events/eventStore.js";
import { methodNotAllowed } from "./http/methodNotAllowed.js";
import { CACHE_STATUS_HEADER } from "./middleware/answerCache.js";
import { UNIT_HEADER, EXPERIMENTS_HEADER } from "./middleware/withArms.js";
import { drainBody } from "./middleware/drainBody.js";
import { withConfig } from "./middleware/withConfig.js";
import type { ModelSource } from "./model/modelSource.js";
import { benchStaticRoutes } from "./routes/benchStatic.js";
import { isStaticPath, staticFileRoutes } from "./routes/staticFiles.js";
import { cartRoutes } from "./routes/cart.js";
import { catalogRoutes } from "./routes/catalogSearch.js";
import { eventRoutes } from "./routes/events.js";
import { itemRoutes } from "./routes/items.js";
import { openApiRoutes } from "./routes/openApiDocument.js";
import { statusRoutes } from "./routes/status.js";

export interface AppOptions {
  models: ModelSource;
  configs: ConfigSource;
  /** Why wrangler.toml's [vars.CONFIG] was refused (the built-in defaults serve then). */
  wranglerConfigErrors?: readonly string[];
  /** Seconds item answers are kept in the Cache API; 0 (the default) computes every answer. */
  answerCacheSeconds?: number;
  /** Mount /bench/static, the serving benchmark's no-work reference. */
  benchRoutes?: boolean;
}

export function createApp({
  models,
  configs,
  wranglerConfigErrors = [],
  answerCacheSeconds = 0,
  benchRoutes = false,
}: AppOptions) {
  const app = new Hono<AppEnv>();
  app.onError(onError);
  app.notFound(onNotFound);
  // Every answer is JSON for scripts: nothing to frame, sniff or run, and no referrer to leak. CORP
  // cross-origin so a shop on another origin (listed in the config's CORS origins) can read it.
  app.use(drainBody());
  const headers = {
    crossOriginResourcePolicy: "cross-origin",
    crossOriginOpenerPolicy: false,
    crossOriginEmbedderPolicy: false,
    xFrameOptions: "DENY",
    referrerPolicy: "no-referrer",
  } as const;
  const apiHeaders = secureHeaders({
    ...headers,
    contentSecurityPolicy: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
  });
  // The widget and the demo page get the same headers but the API's CSP: the demo is a page that runs scripts.
  const fileHeaders = secureHeaders(headers);
  app.use(async function securityHeaders(c, next) {
    return (isStaticPath(c.req.path) ? fileHeaders : apiHeaders)(c, next);
  });
  app.use(withConfig({ source: configs }));
  app.use(
    cors({
      // The allow-list is part of the live config, so a push changes it without a deploy.
      origin: (origin, c) => {
        const live: LiveConfig = c.get("config");
        const allowed = live.document.cors.origins;
        return allowed.includes("*") ? "*" : allowed.includes(origin) ? origin : null;
      },
      allowMethods: ["GET", "POST", "OPTIONS"],
      allowHeaders: ["Content-Type", UNIT_HEADER],
      exposeHeaders: ["X-Sidecart-Model", EXPERIMENTS_HEADER, CACHE_STATUS_HEADER, "ETag"],
      maxAge: 600,
    }),
  );
  app.route("/", statusRoutes({ models, configs, wranglerConfigErrors }));
  app.route("/v1/items", itemRoutes({ source: models, cacheSeconds: answerCacheSeconds }));
  app.route("/v1/cart", cartRoutes(models));
  app.route("/v1/catalog", catalogRoutes(models));
  app.route("/v1/events", eventRoutes(new EventStore()));
  app.route("/", openApiRoutes());
  app.route("/", staticFileRoutes());
  if (benchRoutes) app.route("/bench", benchStaticRoutes());
  // Last: a known path asked with a method it does not serve is a 405 with Allow, not a 404.
  methodNotAllowed(app);
  return app;
}

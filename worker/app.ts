import { Hono } from "hono";
import { DEFAULT_RULES, type RulesConfig } from "../models/config/rulesConfig.js";
import { onError, onNotFound } from "./errors.js";
import { withModel, type AppEnv } from "./middleware/withModel.js";
import { ModelSource } from "./model/modelSource.js";
import { cartRoutes } from "./routes/cart.js";
import { itemRoutes } from "./routes/items.js";
import { statusRoutes } from "./routes/status.js";

export interface AppOptions {
  source: ModelSource;
  rules?: RulesConfig;
  /** Why the configured rules were refused (the defaults are in force then). */
  rulesErrors?: readonly string[];
}

export function createApp({ source, rules = DEFAULT_RULES, rulesErrors = [] }: AppOptions) {
  const app = new Hono<AppEnv>();
  app.onError(onError);
  app.notFound(onNotFound);
  app.route("/", statusRoutes(source, rules, rulesErrors));
  app.use("/v1/items/*", withModel({ source }));
  app.use("/v1/cart/*", withModel({ source }));
  app.route("/v1/items", itemRoutes(rules));
  app.route("/v1/cart", cartRoutes(rules));
  return app;
}

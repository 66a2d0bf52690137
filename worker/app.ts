import { Hono } from "hono";
import { onError, onNotFound } from "./errors.js";
import { withModel, type AppEnv } from "./middleware/withModel.js";
import { ModelSource } from "./model/modelSource.js";
import { itemRoutes } from "./routes/items.js";
import { statusRoutes } from "./routes/status.js";

export interface AppOptions {
  source: ModelSource;
}

export function createApp({ source }: AppOptions) {
  const app = new Hono<AppEnv>();
  app.onError(onError);
  app.notFound(onNotFound);
  app.route("/", statusRoutes(source));
  app.use("/v1/items/*", withModel({ source }));
  app.route("/v1/items", itemRoutes());
  return app;
}

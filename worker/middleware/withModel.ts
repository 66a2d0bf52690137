import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../appEnv.js";
import { schedulerOf } from "../appEnv.js";
import type { ModelSource } from "../model/modelSource.js";

export interface WithModelOptions {
  source: ModelSource;
}

/**
 * Puts the model that answers on the context: the version the unit's experiment variant pins when it
 * loads, else the isolate's live model; 503 when there is none.
 */
export function withModel({ source }: WithModelOptions) {
  return createMiddleware<AppEnv>(async function withModel(c, next) {
    const pinned = c.get("arms")?.model;
    const model = pinned === undefined ? null : await source.pinned(c.env.MODELS, pinned);
    c.set("model", model ?? (await source.get(c.env.MODELS, schedulerOf(c))));
    await next();
  });
}

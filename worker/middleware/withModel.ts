import { createMiddleware } from "hono/factory";
import type { LoadedModel } from "../model/readModel.js";
import type { ModelSource } from "../model/modelSource.js";

export type AppEnv = { Bindings: Env; Variables: { model: LoadedModel } };

export interface WithModelOptions {
  source: ModelSource;
}

/** Puts the isolate's live model on the context, or answers 503 when there is none. */
export function withModel({ source }: WithModelOptions) {
  return createMiddleware<AppEnv>(async function withModel(c, next) {
    const waitUntil = (promise: Promise<unknown>) => c.executionCtx.waitUntil(promise);
    let schedule: typeof waitUntil | undefined;
    try {
      schedule = c.executionCtx ? waitUntil : undefined;
    } catch {
      // app.request() in unit tests has no execution context: refresh inline instead.
      schedule = undefined;
    }
    c.set("model", await source.get(c.env.MODELS, schedule));
    await next();
  });
}

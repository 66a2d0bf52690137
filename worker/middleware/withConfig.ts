import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../appEnv.js";
import { schedulerOf } from "../appEnv.js";
import type { ConfigSource } from "../config/configSource.js";

export interface WithConfigOptions {
  source: ConfigSource;
}

/** Puts the live config document on the context; it is re-read from KV after answering when stale. */
export function withConfig({ source }: WithConfigOptions) {
  return createMiddleware<AppEnv>(async function withConfig(c, next) {
    c.set("config", await source.get(c.env.MODELS, schedulerOf(c)));
    await next();
  });
}

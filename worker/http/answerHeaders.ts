import type { Context } from "hono";
import { configDigest } from "../../models/config/liveConfig.js";
import { labelsHeader } from "../../models/experiments/assign.js";
import type { AppEnv } from "../appEnv.js";
import type { LoadedModel } from "../model/readModel.js";
import { tokenEpoch } from "../tokens/eventToken.js";

/**
 * A cacheable answer's ETag: the model version, and also the config and the unit's arms, since the
 * same URL answers differently under each, so a cache revalidating one never gets another's.
 */
export function answerTag<E extends AppEnv>(c: Context<E>, model: LoadedModel): string {
  const { labels } = c.get("arms");
  const arm = labels.length > 0 ? `.${configDigest(labelsHeader(labels)).slice(0, 8)}` : "";
  // An answer to a unit carries an event token: a 304 must not keep a browser on one past its life.
  const ttlMs = c.get("config").document.events.tokenTtlHours * 3_600_000;
  const epoch = c.get("unit") === undefined ? "" : `.t${tokenEpoch(Date.now(), ttlMs)}`;
  return `"${model.manifest.version}.${c.get("config").digest.slice(0, 8)}${arm}${epoch}"`;
}

/** What a cacheable answer tells browsers and CDNs, whether computed or served from the answer cache. */
export const ANSWER_CACHE_CONTROL = "public, max-age=60";

export function setAnswerHeaders<E extends AppEnv>(
  c: Context<E>,
  model: LoadedModel,
  cacheable: boolean,
  tag = cacheable ? (c.get("answerTag") ?? answerTag(c, model)) : "",
): void {
  c.header("X-Sidecart-Model", model.manifest.version);
  if (cacheable) {
    c.header("Cache-Control", ANSWER_CACHE_CONTROL);
    c.header("ETag", tag);
  } else {
    c.header("Cache-Control", "no-store");
  }
}

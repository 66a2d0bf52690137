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
/**
 * An answer to a unit carries that unit's event token: a shared cache must never hand it to another
 * unit (whose events it would then refuse), so only the unit's own browser may keep it.
 */
export const UNIT_ANSWER_CACHE_CONTROL = "private, max-age=60";

/** FNV-1a of the unit id, in base 36: enough for two units' ETags to differ, and no id in the header. */
function unitKey(unit: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < unit.length; i++) hash = Math.imul(hash ^ unit.charCodeAt(i), 0x01000193) >>> 0;
  return hash.toString(36);
}

/**
 * The ETag a client sees: the answer's tag (which the answer cache keys on, shared by every unit of an
 * arm), and for a unit's answer also the unit, so two units never share one.
 */
export function clientTag<E extends AppEnv>(c: Context<E>, tag: string): string {
  const unit = c.get("unit");
  return unit === undefined ? tag : `${tag.slice(0, -1)}.u${unitKey(unit)}"`;
}

/** Public for an answer without a unit; private for one that carries a unit's token. */
export function answerCacheControl<E extends AppEnv>(c: Context<E>): string {
  return c.get("unit") === undefined ? ANSWER_CACHE_CONTROL : UNIT_ANSWER_CACHE_CONTROL;
}

export function setAnswerHeaders<E extends AppEnv>(
  c: Context<E>,
  model: LoadedModel,
  cacheable: boolean,
  tag = cacheable ? (c.get("answerTag") ?? answerTag(c, model)) : "",
): void {
  c.header("X-Sidecart-Model", model.manifest.version);
  if (cacheable) {
    c.header("Cache-Control", answerCacheControl(c));
    c.header("ETag", clientTag(c, tag));
  } else {
    c.header("Cache-Control", "no-store");
  }
}

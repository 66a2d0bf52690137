import type { Context } from "hono";
import { z } from "zod";
import { configDigest } from "../../models/config/liveConfig.js";
import { STAGES } from "../../models/config/rulesConfig.js";
import { labelsHeader } from "../../models/experiments/assign.js";
import type { AppEnv } from "../appEnv.js";
import { ApiError } from "../errors.js";
import type { LoadedModel } from "../model/readModel.js";

const CONTROL = /[\u0000-\u001f\u007f]/;
export const skuText = z
  .string()
  .min(1)
  .max(200)
  .refine((s) => !CONTROL.test(s), "control characters are not allowed");

/** Query parameters every item endpoint takes. */
export const itemQuery = z.object({
  limit: z.coerce.number().int().min(1).max(50).optional(),
  stage: z.enum(STAGES).default("product"),
  /** Comma-separated SKUs the customer has or owns. */
  exclude: z
    .string()
    .max(20_000)
    .optional()
    .transform((s) =>
      s
        ? s
            .split(",")
            .map((x) => x.trim())
            .filter((x) => x !== "")
        : [],
    )
    .pipe(z.array(skuText).max(200)),
  /** Experiment unit id (a shopper or session id); also accepted as the X-Sidecart-Unit header. */
  unit: z.string().min(1).max(128).optional(),
});

export const upgradesQuery = itemQuery.extend({
  /** What the customer already pays for this product line (spend-based upgrade). */
  spend: z.coerce.number().min(0).max(1e12).optional(),
});

/** The catalog index of an anchor SKU, or a 4xx. */
export function anchorIndex(model: LoadedModel, raw: string): number {
  const parsed = skuText.safeParse(raw);
  if (!parsed.success) throw new ApiError(400, "invalid_sku", "a SKU is 1–200 printable characters");
  const index = model.catalog.indexOf(parsed.data);
  if (index === undefined) {
    throw new ApiError(
      404,
      "unknown_sku",
      `no product ${JSON.stringify(parsed.data)} in model ${model.manifest.version}`,
    );
  }
  return index;
}

/** Known SKUs as catalog indices; unknown ones cannot be suggested anyway and are ignored. */
export function indicesOf(model: LoadedModel, skus: readonly string[]): Set<number> {
  const found = new Set<number>();
  for (const sku of skus) {
    const index = model.catalog.indexOf(sku);
    if (index !== undefined) found.add(index);
  }
  return found;
}

/**
 * A cacheable answer's ETag: the model version, and also the config and the unit's arms, since the
 * same URL answers differently under each, so a cache revalidating one never gets another's.
 */
export function answerTag<E extends AppEnv>(c: Context<E>, model: LoadedModel): string {
  const { labels } = c.get("arms");
  const arm = labels.length > 0 ? `.${configDigest(labelsHeader(labels)).slice(0, 8)}` : "";
  return `"${model.manifest.version}.${c.get("config").digest.slice(0, 8)}${arm}"`;
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

import { z } from "zod";
import { manifestSchema } from "../manifest.js";

/**
 * The operational answers' shapes (GET /healthz, GET /v1/model), for /openapi.json and the contract
 * test. Internals an operator reads but no client should rely on (load timings, rule values, the
 * experiments' settings) are described as open objects so they can grow without breaking the contract.
 */

const at = z.string().nullable();
const openObject = z.looseObject({});

export const modelStatus = z.object({
  state: z.enum(["ok", "degraded", "no_model"]),
  version: z.string().nullable(),
  loadedAt: at,
  /** How long loading the live model took, step by step (ms). */
  loadTimings: z.record(z.string(), z.number()).nullable(),
  /** ORT's wasm memory in bytes. */
  ortMemoryBytes: z.number().nullable(),
  /** What the isolate holds for models now (bytes): every loaded version's head, the page cache and ORT's wasm memory. */
  residentBytes: z.number().int().nonnegative(),
  /** The live model's pages: the isolate's page cache (bounded by bytes) and the KV reads of this version's pages. */
  pages: z
    .object({
      cachedPages: z.int().nonnegative(),
      cacheBytes: z.int().nonnegative(),
      cacheLimitBytes: z.int().nonnegative(),
      evictions: z.int().nonnegative(),
      wholeFits: z.boolean(),
      reads: z.int().nonnegative(),
      readBytes: z.int().nonnegative(),
      lastError: z.object({ code: z.string(), message: z.string(), at: z.string() }).nullable(),
    })
    .nullable(),
  /** Whether the live version scores on the warm-up's ORT session (a version trained with the default knobs has its graph). */
  sharedSession: z.boolean().nullable(),
  /** ORT started with a small model while the isolate started, so the first model's session is quick. */
  ortWarmup: z.object({ state: z.enum(["pending", "done", "failed"]), error: z.string().nullable() }),
  checkedAt: at,
  lastError: z
    .object({ code: z.string(), message: z.string(), version: z.string().nullable(), at: z.string() })
    .nullable(),
  /** Versions experiment variants pin, beside the live one. */
  pinned: z.array(
    z.object({ version: z.string(), state: z.enum(["ok", "loading", "failed"]), error: z.string().nullable() }),
  ),
});

export const configStatus = z.object({
  source: z.enum(["kv", "wrangler"]),
  digest: z.string(),
  loadedAt: z.string(),
  checkedAt: at,
  lastError: z
    .object({ code: z.string(), digest: z.string().nullable(), errors: z.array(z.string()), at: z.string() })
    .nullable(),
});

export const healthAnswer = z.object({
  status: z.enum(["ok", "degraded", "no_model"]),
  model: modelStatus,
  config: configStatus.extend({
    /** Whether wrangler.toml's [vars.CONFIG] validated (the built-in defaults serve when it did not). */
    wrangler: z.object({ valid: z.boolean(), errors: z.array(z.string()) }),
  }),
  /**
   * Whether POST /v1/events takes events: a deployed worker without its EVENT_TOKEN_KEY secret, or with
   * the public local UNIT_HASH_SALT, takes none (and the status is degraded).
   */
  events: z.object({
    accepted: z.boolean(),
    tokenKey: z.enum(["secret", "local-default", "missing"]),
    problem: z.object({ code: z.string(), message: z.string() }).nullable(),
  }),
});

export const modelAnswer = z.object({
  version: z.string(),
  createdAt: z.string(),
  loadedAt: z.string(),
  trainingWindow: manifestSchema.shape.trainingWindow,
  model: manifestSchema.shape.model,
  /** Sizes in bytes of what the worker serves from: the graph, the head, and all pages together. */
  blobs: z.object({ model: z.int(), head: z.int(), pages: z.int(), pageCount: z.int() }),
  stats: manifestSchema.shape.stats,
  status: modelStatus,
  config: z.object({ digest: z.string(), experiments: z.array(openObject) }),
  /** The base rules in force (defaults merged under the live config's). */
  rules: openObject,
});

import { finishAfterAnswer } from "../appEnv.js";
import { ApiError } from "../errors.js";
import { SingleFlight } from "../singleFlight.js";
import { ortMemoryBytes, ortWarmup } from "../ort/ortRuntime.js";
import { StoredValueError } from "../../models/versionStore.js";
import { heldBytes, readModel, readPointer, type LoadedModel, type LoadTimings } from "./readModel.js";
import { PageCache } from "./pageCache.js";
import type { DecodedPage, PageReadStats } from "./pageStore.js";

export interface ModelStatus {
  state: "ok" | "degraded" | "no_model";
  version: string | null;
  loadedAt: string | null;
  /** How long loading the live model took, step by step (ms). */
  loadTimings: LoadTimings | null;
  /** ORT's wasm memory in bytes (part of the isolate's memory; it never shrinks). */
  ortMemoryBytes: number | null;
  /**
   * What this isolate holds for models now, in bytes: every loaded version's head (the live one,
   * pinned ones, retired ones not yet released), the page cache, and ORT's wasm memory.
   */
  residentBytes: number;
  /** The live model's pages: the isolate's page cache and the KV reads this version's pages took. */
  pages: {
    cachedPages: number;
    cacheBytes: number;
    cacheLimitBytes: number;
    evictions: number;
    /** Whether every page of the live version fits the cache (the isolate can hold the whole model). */
    wholeFits: boolean;
    reads: number;
    readBytes: number;
    lastError: PageReadStats["lastError"];
  } | null;
  /** Whether the live version scores on the warm-up's ORT session (same graph: no session of its own). */
  sharedSession: boolean | null;
  /** ORT's start-up with a small model while the isolate starts (worker/ort/ortRuntime.ts startOrt). */
  ortWarmup: { state: "pending" | "done" | "failed"; error: string | null };
  checkedAt: string | null;
  /** Why the pointer's version is not the one serving; `version` names the one that failed (null: none was read). */
  lastError: { code: string; message: string; version: string | null; at: string } | null;
  /** Versions experiment variants pin, beside the live one. */
  pinned: { version: string; state: "ok" | "loading" | "failed"; error: string | null }[];
}

interface Pin {
  model: LoadedModel | null;
  loading: Promise<void> | null;
  error: string | null;
  triedAt: number;
  usedAt: number;
}

/** Pinned versions kept loaded at once; each holds a head (its pages share the page cache) and may hold an ORT session. */
const MAX_PINS = 3;

/**
 * What the isolate spends on models by default: every loaded head, the page cache and ORT's wasm
 * memory together. An isolate has 128 MB; the rest is the worker's own heap and requests' memory.
 * The page cache gets what the heads and ORT leave (a model whose pages all fit in it, about 50,000
 * items at the default shape, is held whole once read), and never less than MIN_PAGE_CACHE_BYTES.
 */
export const DEFAULT_MODEL_MEMORY_BYTES = 52 * 1024 * 1024;
/**
 * The page cache's floor: 64 pages of the default shape, the pages of a few cold answers. A request
 * keeps its own pages until it answers whatever the cache drops, so this bounds speed, not correctness.
 */
export const MIN_PAGE_CACHE_BYTES = 2 * 1024 * 1024;

export interface ModelSourceOptions {
  /** How often the pointer is re-read while a model is live. */
  refreshMs: number;
  /** Memory for models in bytes: heads + page cache + ORT (default DEFAULT_MODEL_MEMORY_BYTES). */
  modelMemoryBytes?: number;
  /** A fixed page cache bound instead of what the model memory leaves (the tests' small caches). */
  pageCacheBytes?: number;
  /** How often an isolate with no model at all looks again. */
  emptyRetryMs?: number;
  now?: () => number;
}

/** How long a replaced model stays usable for requests that already hold it. */
const RETIRE_GRACE_MS = 60_000;

/**
 * The model of this isolate: loaded from KV once, kept in module scope, the pointer re-checked at
 * most every refreshMs. A version that fails to load never replaces the one being served; the
 * failure is kept for /healthz. Requests never wait for a refresh once a model is live.
 */
export class ModelSource {
  private current: LoadedModel | null = null;
  private readonly flight = new SingleFlight();
  private checkedAt = Number.NEGATIVE_INFINITY;
  private lastError: ModelStatus["lastError"] = null;
  private retired: { model: LoadedModel; at: number }[] = [];
  private readonly pins = new Map<string, Pin>();
  private readonly now: () => number;
  private readonly pageCache: PageCache<DecodedPage>;

  constructor(private readonly options: ModelSourceOptions) {
    this.now = options.now ?? Date.now;
    this.pageCache = new PageCache(options.pageCacheBytes ?? MIN_PAGE_CACHE_BYTES);
  }

  /** Resolves when no refresh is in flight. */
  async settled(): Promise<void> {
    await this.flight.settled();
  }

  /** The live model; throws a 503 ApiError when there is none. */
  async get(kv: KVNamespace, waitUntil?: (promise: Promise<unknown>) => void): Promise<LoadedModel> {
    const age = this.now() - this.checkedAt;
    if (this.current) {
      if (age >= this.options.refreshMs && !this.flight.busy) {
        // In a request, refresh after answering; without an execution context (tests), inline.
        await finishAfterAnswer(waitUntil, this.refresh(kv));
      }
      return this.current;
    }
    if (this.flight.busy) await this.flight.settled();
    else if (age >= (this.options.emptyRetryMs ?? 1000)) await this.refresh(kv);
    if (this.current) return this.current;
    const error = this.lastError;
    throw error === null || error.code === "no_model"
      ? new ApiError(503, "no_model", "no model has been published yet (run `sidecart publish`)")
      : new ApiError(
          503,
          "model_unavailable",
          `the published model${error.version === null ? "" : ` ${error.version}`} cannot be loaded: ${error.message}`,
        );
  }

  /**
   * A published version an experiment variant pins. Versions never change, so a loaded one is kept
   * (up to MAX_PINS); one that fails to load is retried after emptyRetryMs. Null while it cannot be
   * served: the caller falls back to the live model and /healthz says why.
   */
  async pinned(kv: KVNamespace, version: string): Promise<LoadedModel | null> {
    if (this.current?.manifest.version === version) return this.current;
    let pin = this.pins.get(version);
    if (!pin) {
      this.evictPins();
      pin = { model: null, loading: null, error: null, triedAt: Number.NEGATIVE_INFINITY, usedAt: 0 };
      this.pins.set(version, pin);
    }
    pin.usedAt = this.now();
    if (pin.model) return pin.model;
    if (!pin.loading && this.now() - pin.triedAt >= (this.options.emptyRetryMs ?? 1000)) {
      const target = pin;
      target.triedAt = this.now();
      target.loading = readModel(kv, version, this.pageCache)
        .then((model) => {
          target.model = model;
          target.error = null;
          this.rebound();
        })
        .catch((error: unknown) => {
          target.error = error instanceof Error ? error.message : String(error);
        })
        .finally(() => {
          target.loading = null;
        });
    }
    await pin.loading;
    return pin.model;
  }

  /** Drops the least recently used pins beyond MAX_PINS - 1, after the usual grace for requests holding them. */
  private evictPins(): void {
    const byUse = [...this.pins.entries()].sort((a, b) => a[1].usedAt - b[1].usedAt);
    while (byUse.length >= MAX_PINS) {
      const oldest = byUse.shift();
      if (!oldest) break;
      this.pins.delete(oldest[0]);
      if (oldest[1].model) this.retired.push({ model: oldest[1].model, at: this.now() });
    }
  }

  /** Bytes of every loaded version's resident part (live, pinned, retired and not yet released). */
  private headBytes(): number {
    const loaded = new Set<LoadedModel>();
    if (this.current) loaded.add(this.current);
    for (const pin of this.pins.values()) if (pin.model) loaded.add(pin.model);
    for (const { model } of this.retired) loaded.add(model);
    return [...loaded].reduce((sum, model) => sum + heldBytes(model), 0);
  }

  private residentBytes(): number {
    return this.headBytes() + this.pageCache.heldBytes + (ortMemoryBytes() ?? 0);
  }

  /** The page cache gets what the model memory leaves once heads and ORT are counted (after every load). */
  private rebound(): void {
    if (this.options.pageCacheBytes !== undefined) return;
    const budget = this.options.modelMemoryBytes ?? DEFAULT_MODEL_MEMORY_BYTES;
    const left = budget - this.headBytes() - (ortMemoryBytes() ?? 0);
    this.pageCache.setLimit(Math.max(MIN_PAGE_CACHE_BYTES, left));
  }

  status(): ModelStatus {
    const iso = (ms: number) => (Number.isFinite(ms) ? new Date(ms).toISOString() : null);
    return {
      state: this.current ? (this.lastError ? "degraded" : "ok") : "no_model",
      version: this.current?.manifest.version ?? null,
      loadedAt: this.current?.loadedAt ?? null,
      loadTimings: this.current?.timings ?? null,
      ortMemoryBytes: ortMemoryBytes(),
      residentBytes: this.residentBytes(),
      sharedSession: this.current?.scorer.sharedSession ?? null,
      pages: this.current
        ? {
            cachedPages: this.pageCache.size,
            cacheBytes: this.pageCache.heldBytes,
            cacheLimitBytes: this.pageCache.limitBytes,
            evictions: this.pageCache.evictions,
            wholeFits: this.current.pages.wholeFits,
            reads: this.current.pages.stats.reads,
            readBytes: this.current.pages.stats.bytes,
            lastError: this.current.pages.stats.lastError,
          }
        : null,
      ortWarmup: ortWarmup(),
      checkedAt: iso(this.checkedAt),
      lastError: this.lastError,
      pinned: [...this.pins.entries()].map(([version, pin]) => ({
        version,
        state: pin.model ? "ok" : pin.loading ? "loading" : "failed",
        error: pin.error,
      })),
    };
  }

  private refresh(kv: KVNamespace): Promise<void> {
    return this.flight.run(() => this.check(kv));
  }

  private async check(kv: KVNamespace): Promise<void> {
    this.checkedAt = this.now();
    this.releaseRetired();
    // The version being loaded, so a failure names it: the operator must know which one was refused.
    let version: string | null = null;
    try {
      const pointer = await readPointer(kv);
      if (pointer === null) {
        this.lastError = this.current
          ? { code: "pointer_missing", message: "the pointer disappeared from KV", version: null, at: this.stamp() }
          : { code: "no_model", message: "nothing published", version: null, at: this.stamp() };
        return;
      }
      if (this.current?.manifest.version === pointer.version) {
        this.lastError = null;
        return;
      }
      version = pointer.version;
      const loaded = await readModel(kv, pointer.version, this.pageCache);
      if (this.current) this.retired.push({ model: this.current, at: this.now() });
      this.current = loaded;
      this.lastError = null;
      this.rebound();
    } catch (error) {
      const code = error instanceof StoredValueError ? error.code : "kv_unavailable";
      this.lastError = {
        code,
        message: error instanceof Error ? error.message : String(error),
        version,
        at: this.stamp(),
      };
    }
  }

  private releaseRetired(): void {
    const cutoff = this.now() - RETIRE_GRACE_MS;
    const [old, keep] = [this.retired.filter((r) => r.at < cutoff), this.retired.filter((r) => r.at >= cutoff)];
    this.retired = keep;
    const inUse = new Set(
      [this.current, ...[...this.pins.values()].map((p) => p.model), ...keep.map((r) => r.model)].map(
        (model) => model?.manifest.version,
      ),
    );
    for (const { model } of old) {
      model.scorer.release();
      if (!inUse.has(model.manifest.version)) this.pageCache.dropVersion(model.manifest.version);
    }
    if (old.length > 0) this.rebound();
  }

  private stamp(): string {
    return new Date(this.now()).toISOString();
  }
}

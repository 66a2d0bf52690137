import { KvKeys } from "../../models/contract.js";
import { configDigest, readConfigText, type LiveConfig } from "../../models/config/liveConfig.js";
import { finishAfterAnswer } from "../appEnv.js";
import { SingleFlight } from "../singleFlight.js";

export interface ConfigStatus {
  /** Where the live document came from: KV (pushed), or wrangler.toml's [vars.CONFIG] defaults. */
  source: "kv" | "wrangler";
  digest: string;
  loadedAt: string;
  checkedAt: string | null;
  /** The last document refused (it is not live), or why KV could not be read. */
  lastError: { code: string; digest: string | null; errors: string[]; at: string } | null;
}

export interface ConfigSourceOptions {
  /** wrangler.toml's document, already validated: live while KV holds none. */
  defaults: LiveConfig;
  /** How often KV is re-read. */
  refreshMs: number;
  now?: () => number;
}

/**
 * The isolate's live config document: the pushed one from KV when there is one, re-read at most every
 * refreshMs, else the wrangler.toml defaults. A document that fails validation or cannot be read never
 * replaces the live one; the refusal is kept for /healthz.
 */
export class ConfigSource {
  private live: LiveConfig;
  private source: ConfigStatus["source"] = "wrangler";
  private loadedAt: number;
  private checkedAt = Number.NEGATIVE_INFINITY;
  private lastError: ConfigStatus["lastError"] = null;
  /** The KV text behind the live document, so an unchanged document is not parsed again. */
  private liveText: string | null = null;
  private readonly flight = new SingleFlight();
  private readonly now: () => number;

  constructor(private readonly options: ConfigSourceOptions) {
    this.now = options.now ?? Date.now;
    this.live = options.defaults;
    this.loadedAt = this.now();
  }

  /** The live config; only an isolate's first request waits for KV. */
  async get(kv: KVNamespace, waitUntil?: (promise: Promise<unknown>) => void): Promise<LiveConfig> {
    const stale = this.now() - this.checkedAt >= this.options.refreshMs;
    if (stale && !this.flight.busy) {
      const first = this.checkedAt === Number.NEGATIVE_INFINITY;
      // The isolate's first request waits: there is no config to answer with before it.
      await finishAfterAnswer(first ? undefined : waitUntil, this.refresh(kv));
    } else if (this.flight.busy && this.checkedAt === Number.NEGATIVE_INFINITY) {
      await this.flight.settled();
    }
    return this.live;
  }

  async settled(): Promise<void> {
    await this.flight.settled();
  }

  status(): ConfigStatus {
    const iso = (ms: number) => new Date(ms).toISOString();
    return {
      source: this.source,
      digest: this.live.digest,
      loadedAt: iso(this.loadedAt),
      checkedAt: Number.isFinite(this.checkedAt) ? iso(this.checkedAt) : null,
      lastError: this.lastError,
    };
  }

  private refresh(kv: KVNamespace): Promise<void> {
    return this.flight.run(() => this.check(kv));
  }

  private async check(kv: KVNamespace): Promise<void> {
    const at = this.now();
    let text: string | null;
    try {
      text = await kv.get(KvKeys.config, "text");
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.lastError = { code: "kv_unavailable", digest: null, errors: [message], at: new Date(at).toISOString() };
      return;
    } finally {
      this.checkedAt = at;
    }
    if (text === null) {
      // Deleting the pushed document hands control back to wrangler.toml.
      if (this.source === "kv") this.adopt(this.options.defaults, "wrangler", null, at);
      this.lastError = null;
      return;
    }
    if (this.source === "kv" && text === this.liveText) {
      this.lastError = null;
      return;
    }
    const parsed = readConfigText(text);
    if (parsed.ok) {
      this.adopt(parsed.config, "kv", text, at);
      this.lastError = null;
    } else {
      this.lastError = {
        code: "config_invalid",
        digest: configDigest(text),
        errors: parsed.errors,
        at: new Date(at).toISOString(),
      };
    }
  }

  private adopt(config: LiveConfig, source: ConfigStatus["source"], text: string | null, at: number): void {
    this.live = config;
    this.liveText = text;
    this.source = source;
    this.loadedAt = at;
  }
}

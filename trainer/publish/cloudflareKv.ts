import type { KvStore } from "./kvStore.js";
import { UserError } from "../errors.js";
import { bulkBody, KV_API_LIMITS, planBulkWrites, type BulkLimits, type Entry } from "./kvBulkWrites.js";

export const CLOUDFLARE_API = "https://api.cloudflare.com/client/v4";

export interface CloudflareApiOptions {
  apiToken: string;
  accountId: string;
  namespaceId: string;
  /** The API root; tests point it at a local server. */
  baseUrl?: string;
  limits?: BulkLimits;
  /** Tries per request, the first included. */
  maxAttempts?: number;
  /** First backoff; it doubles per try, up to maxDelayMs, with jitter. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** The longest Retry-After honoured as given; a longer one is cut to this. */
  maxRetryAfterMs?: number;
  /** One request's time limit (a 100 MB bulk write on a slow link takes a while). */
  timeoutMs?: number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  onRetry?: (event: { method: string; path: string; attempt: number; delayMs: number; reason: string }) => void;
}

interface Envelope {
  success: boolean;
  errors: { code: number; message: string }[];
  result: unknown;
  result_info?: { cursor?: string; count?: number };
}

function parseEnvelope(bytes: Uint8Array): Envelope | null {
  try {
    const value: unknown = JSON.parse(new TextDecoder().decode(bytes));
    if (typeof value !== "object" || value === null || !("success" in value)) return null;
    const errors = "errors" in value && Array.isArray(value.errors) ? value.errors : [];
    return {
      success: value.success === true,
      errors: errors.map((e: unknown) => ({
        code: typeof e === "object" && e !== null && "code" in e && typeof e.code === "number" ? e.code : 0,
        message:
          typeof e === "object" && e !== null && "message" in e && typeof e.message === "string" ? e.message : "",
      })),
      result: "result" in value ? value.result : null,
      result_info:
        "result_info" in value && typeof value.result_info === "object" && value.result_info !== null
          ? (value.result_info as Envelope["result_info"])
          : undefined,
    };
  } catch {
    return null;
  }
}

const describeErrors = (envelope: Envelope | null, status: number) =>
  envelope && envelope.errors.length > 0
    ? envelope.errors.map((e) => `${e.code}: ${e.message}`).join("; ")
    : `HTTP ${status}`;

/** Retry-After in ms (delta seconds or an HTTP date), or null when absent or unreadable. */
function retryAfterMs(header: string | null, now: number): number | null {
  if (header === null || header.trim() === "") return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

const KEY_NOT_FOUND = 10009;

interface Reply {
  status: number;
  bytes: Uint8Array;
}

/**
 * A Workers KV namespace through the Cloudflare API v4. Bulk writes and deletes are split under the
 * API's limits; 429, 5xx and network failures are retried with exponential backoff and jitter
 * (Retry-After honoured), a bounded number of times. Every write is idempotent, so a retry after a
 * lost answer is safe. Bad credentials and other refusals become one-line UserErrors.
 */
export class CloudflareKv implements KvStore {
  private readonly base: string;
  private readonly limits: BulkLimits;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: CloudflareApiOptions) {
    const root = (options.baseUrl ?? CLOUDFLARE_API).replace(/\/+$/, "");
    this.base = `${root}/accounts/${encodeURIComponent(options.accountId)}/storage/kv/namespaces/${encodeURIComponent(options.namespaceId)}`;
    this.limits = options.limits ?? KV_API_LIMITS;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  async put(key: string, value: Uint8Array | string): Promise<void> {
    await this.putMany([[key, value]]);
  }

  async putMany(entries: readonly Entry[]): Promise<void> {
    for (const plan of planBulkWrites(entries, this.limits)) await this.writeBulk(plan.entries);
  }

  async get(key: string): Promise<Uint8Array | null> {
    const reply = await this.send("GET", `/values/${encodeURIComponent(key)}`);
    if (reply.status === 200) return reply.bytes;
    // 404 is also what an unknown namespace gets: only "key not found" (or no envelope) means null.
    if (reply.status === 404) {
      const envelope = parseEnvelope(reply.bytes);
      if (envelope === null || envelope.errors.length === 0 || envelope.errors.some((e) => e.code === KEY_NOT_FOUND))
        return null;
    }
    throw this.refusal("GET", `/values/${key}`, reply);
  }

  async delete(key: string): Promise<void> {
    await this.deleteMany([key]);
  }

  async deleteMany(keys: readonly string[]): Promise<void> {
    for (let at = 0; at < keys.length; at += this.limits.pairs) {
      await this.json("POST", "/bulk/delete", JSON.stringify(keys.slice(at, at + this.limits.pairs)));
    }
  }

  async list(prefix: string): Promise<string[]> {
    const names: string[] = [];
    const seen = new Set<string>();
    let cursor = "";
    for (;;) {
      const query = new URLSearchParams({ prefix, limit: "1000" });
      if (cursor !== "") query.set("cursor", cursor);
      const envelope = await this.json("GET", `/keys?${query.toString()}`);
      if (!Array.isArray(envelope.result)) throw new Error("Cloudflare API: list keys answered without a key list");
      for (const item of envelope.result as unknown[]) {
        if (typeof item === "object" && item !== null && "name" in item && typeof item.name === "string")
          names.push(item.name);
      }
      cursor = envelope.result_info?.cursor ?? "";
      // A cursor seen before would loop forever; the API never repeats one.
      if (cursor === "" || seen.has(cursor)) return names;
      seen.add(cursor);
    }
  }

  async close(): Promise<void> {
    // Nothing held open: every request is its own fetch.
  }

  /** One bulk write; keys the API names as not written are sent again, within the same bounded tries. */
  private async writeBulk(entries: readonly Entry[]): Promise<void> {
    let pending = entries;
    for (let attempt = 1; ; attempt++) {
      const envelope = await this.json("PUT", "/bulk", bulkBody(pending));
      const result = envelope.result;
      const unsuccessful =
        typeof result === "object" &&
        result !== null &&
        "unsuccessful_keys" in result &&
        Array.isArray(result.unsuccessful_keys)
          ? new Set(result.unsuccessful_keys.filter((k): k is string => typeof k === "string"))
          : new Set<string>();
      if (unsuccessful.size === 0) return;
      pending = pending.filter(([key]) => unsuccessful.has(key));
      const maxAttempts = this.options.maxAttempts ?? 6;
      if (attempt >= maxAttempts) {
        throw new UserError(
          `Cloudflare API: ${unsuccessful.size} key(s) still not written after ${maxAttempts} tries (first: ${[...unsuccessful][0]})`,
        );
      }
      await this.backoff("PUT", "/bulk", attempt, null, `${unsuccessful.size} unsuccessful key(s)`);
    }
  }

  /** A JSON-envelope call that must succeed. */
  private async json(method: string, path: string, body?: string): Promise<Envelope> {
    const reply = await this.send(method, path, body);
    const envelope = parseEnvelope(reply.bytes);
    if (reply.status >= 200 && reply.status < 300 && envelope?.success) return envelope;
    throw this.refusal(method, path, reply);
  }

  private refusal(method: string, path: string, reply: Reply): UserError {
    const envelope = parseEnvelope(reply.bytes);
    const what = describeErrors(envelope, reply.status);
    if (reply.status === 401 || reply.status === 403) {
      return new UserError(
        `Cloudflare API refused the credentials (HTTP ${reply.status}, ${what}): check that CLOUDFLARE_API_TOKEN is valid and may edit Workers KV on account CLOUDFLARE_ACCOUNT_ID=${this.options.accountId}`,
      );
    }
    return new UserError(`Cloudflare API ${method} ${this.where(path)}: HTTP ${reply.status} (${what})`);
  }

  private where(path: string): string {
    return `namespace ${this.options.namespaceId}${path.split("?")[0] ?? ""}`;
  }

  /** Sends one request, retrying what may pass on a later try; returns the first final answer. */
  private async send(method: string, path: string, body?: string): Promise<Reply> {
    const maxAttempts = this.options.maxAttempts ?? 6;
    for (let attempt = 1; ; attempt++) {
      let reason: string;
      let retryAfter: number | null = null;
      try {
        const response = await fetch(`${this.base}${path}`, {
          method,
          headers: {
            Authorization: `Bearer ${this.options.apiToken}`,
            ...(body === undefined ? {} : { "Content-Type": "application/json" }),
          },
          body,
          signal: AbortSignal.timeout(this.options.timeoutMs ?? 300_000),
        });
        const bytes = new Uint8Array(await response.arrayBuffer());
        if (response.status !== 429 && response.status < 500) return { status: response.status, bytes };
        reason = `HTTP ${response.status} (${describeErrors(parseEnvelope(bytes), response.status)})`;
        retryAfter = retryAfterMs(response.headers.get("Retry-After"), Date.now());
      } catch (error) {
        // fetch rejects on a refused or dropped connection and on our own timeout: all worth another try.
        const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : "";
        reason = `${error instanceof Error ? error.message : String(error)}${cause}`;
      }
      if (attempt >= maxAttempts) {
        throw new UserError(
          `Cloudflare API ${method} ${this.where(path)}: gave up after ${maxAttempts} tries, last ${reason}`,
        );
      }
      await this.backoff(method, path, attempt, retryAfter, reason);
    }
  }

  private async backoff(
    method: string,
    path: string,
    attempt: number,
    retryAfter: number | null,
    reason: string,
  ): Promise<void> {
    const base = this.options.baseDelayMs ?? 500;
    const ceiling = Math.min(this.options.maxDelayMs ?? 30_000, base * 2 ** (attempt - 1));
    // Jitter spreads the retries of many clients (or many chunks) instead of syncing them into a herd.
    const jittered = ceiling / 2 + ((this.options.random ?? Math.random)() * ceiling) / 2;
    const delayMs =
      retryAfter === null ? Math.round(jittered) : Math.min(retryAfter, this.options.maxRetryAfterMs ?? 300_000);
    this.options.onRetry?.({ method, path: path.split("?")[0] ?? path, attempt, delayMs, reason });
    await this.sleep(delayMs);
  }
}

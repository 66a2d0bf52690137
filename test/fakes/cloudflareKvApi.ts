import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A local stand-in for the Workers KV part of the Cloudflare API v4, on 127.0.0.1: the endpoints
 * `sidecart publish --remote` uses, an in-memory namespace, the API's JSON envelopes and limits, a
 * log of every request, and faults to inject. Nothing here reaches the network.
 */

export interface FakeLimits {
  pairs: number;
  requestBytes: number;
  valueBytes: number;
}

/** The API's documented limits (developers.cloudflare.com/kv/platform/limits). */
export const API_LIMITS: FakeLimits = { pairs: 10_000, requestBytes: 100_000_000, valueBytes: 25 * 1024 * 1024 };

export interface FakeKvApiOptions {
  token: string;
  accountId: string;
  namespaceId: string;
  limits?: FakeLimits;
  /** Largest page a key listing returns (the API's is 1000); small ones exercise the cursor. */
  pageSize?: number;
  /** The Workers API's side: each deployed worker's secret names (GET …/workers/scripts/:name/secrets). */
  workerSecrets?: Record<string, string[]>;
}

export type Route = "write" | "delete" | "read" | "list" | "secrets";

export interface RecordedRequest {
  /** Order of arrival. */
  seq: number;
  method: string;
  route: Route | "unknown";
  /** Keys written or deleted (writes and deletes), or read (reads). */
  keys: string[];
  status: number;
  bodyBytes: number;
  /** What happened instead of an answer, for injected faults. */
  fault?: Fault["kind"];
}

export type Fault =
  /** 429 with this Retry-After (seconds, as sent). */
  | { kind: "throttle"; retryAfter?: string }
  | { kind: "server_error"; status?: number }
  /** The connection closes before any answer; nothing is applied. */
  | { kind: "drop" }
  /** The write is applied, then the connection closes before the answer (a lost reply). */
  | { kind: "drop_after_apply" }
  /** A bulk write stores all but its last pair and names that one in unsuccessful_keys. */
  | { kind: "unsuccessful_last" };

interface Pending {
  fault: Fault;
  remaining: number;
  routes: readonly Route[];
}

const envelope = (result: unknown, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ success: true, errors: [], messages: [], result, ...extra });
const failure = (code: number, message: string) =>
  JSON.stringify({ success: false, errors: [{ code, message }], messages: [], result: null });

class Refusal extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

export class FakeCloudflareKvApi {
  /** The namespace's contents. */
  readonly store = new Map<string, Uint8Array>();
  readonly requests: RecordedRequest[] = [];
  private readonly pending: Pending[] = [];
  /** Write and delete requests fail with 500 once this many have been applied. */
  private writesAllowed = Number.POSITIVE_INFINITY;
  private writesApplied = 0;
  private readonly limits: FakeLimits;
  private server: Server | null = null;
  url = "";

  private constructor(private readonly options: FakeKvApiOptions) {
    this.limits = options.limits ?? API_LIMITS;
  }

  static async start(options: FakeKvApiOptions): Promise<FakeCloudflareKvApi> {
    const api = new FakeCloudflareKvApi(options);
    const server = createServer((request, response) => {
      api.handle(request, response).catch((error: unknown) => {
        response.destroy(error instanceof Error ? error : new Error(String(error)));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    api.server = server;
    api.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/client/v4`;
    return api;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
  }

  /** The next `times` requests of the given routes (all by default) meet this fault instead of an answer. */
  inject(fault: Fault, times = 1, routes: readonly Route[] = ["write", "delete", "read", "list"]): void {
    this.pending.push({ fault, remaining: times, routes });
  }

  /** Every write or delete after the first `k` applied ones fails with 500: a publish cut off midway. */
  failWritesAfter(k: number): void {
    this.writesAllowed = this.writesApplied + k;
  }

  /** Faults and the write cut-off off; the store and the log stay. */
  heal(): void {
    this.pending.length = 0;
    this.writesAllowed = Number.POSITIVE_INFINITY;
  }

  /** Requests that changed the store, in the order they were applied. */
  appliedWrites(): RecordedRequest[] {
    return this.requests.filter((r) => (r.route === "write" || r.route === "delete") && r.status === 200);
  }

  text(key: string): string | null {
    const bytes = this.store.get(key);
    return bytes === undefined ? null : new TextDecoder().decode(bytes);
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const url = new URL(request.url ?? "/", "http://127.0.0.1");
    const record: RecordedRequest = {
      seq: this.requests.length + 1,
      method: request.method ?? "",
      route: "unknown",
      keys: [],
      status: 0,
      bodyBytes: body.length,
    };
    this.requests.push(record);
    const reply = (status: number, text: string | Uint8Array, headers: Record<string, string> = {}) => {
      record.status = status;
      const contentType = typeof text === "string" ? "application/json" : "application/octet-stream";
      response.writeHead(status, { "Content-Type": contentType, ...headers });
      response.end(text);
    };
    try {
      const route = this.authorize(request, url);
      record.route = route.route;
      const fault = this.takeFault(route.route);
      if (fault) record.fault = fault.kind;
      if (fault?.kind === "throttle") {
        const headers: Record<string, string> =
          fault.retryAfter === undefined ? {} : { "Retry-After": fault.retryAfter };
        return reply(429, failure(10429, "Too many requests"), headers);
      }
      if (fault?.kind === "server_error") return reply(fault.status ?? 503, failure(10001, "service unavailable"));
      if (fault?.kind === "drop") {
        record.status = -1;
        request.socket.destroy();
        return;
      }
      const isWrite = route.route === "write" || route.route === "delete";
      if (isWrite && this.writesApplied >= this.writesAllowed) {
        return reply(500, failure(10001, "internal error (injected: writes cut off)"));
      }
      const answer = this.serve(route, url, request, body, record, fault?.kind === "unsuccessful_last");
      if (isWrite) this.writesApplied++;
      if (fault?.kind === "drop_after_apply") {
        record.status = 200;
        request.socket.destroy();
        return;
      }
      reply(200, answer);
    } catch (error) {
      if (!(error instanceof Refusal)) throw error;
      reply(error.status, failure(error.code, error.message));
    }
  }

  private takeFault(route: Route): Fault | null {
    const next = this.pending.find((p) => p.remaining > 0 && p.routes.includes(route));
    if (!next) return null;
    next.remaining--;
    return next.fault;
  }

  /** Checks the token, account and namespace, and names the endpoint. */
  private authorize(request: IncomingMessage, url: URL): { route: Route; key?: string } {
    const auth = request.headers.authorization;
    if (auth === undefined || !auth.startsWith("Bearer ")) {
      throw new Refusal(400, 6003, "Invalid request headers");
    }
    if (auth !== `Bearer ${this.options.token}`) throw new Refusal(403, 10000, "Authentication error");
    const script = /^\/client\/v4\/accounts\/([^/]+)\/workers\/scripts\/([^/]+)\/secrets$/.exec(url.pathname);
    if (script !== null && request.method === "GET") {
      if (script[1] !== this.options.accountId) throw new Refusal(403, 10000, "Authentication error");
      const name = decodeURIComponent(script[2] ?? "");
      if (this.options.workerSecrets?.[name] === undefined) throw new Refusal(404, 10007, "This Worker does not exist");
      return { route: "secrets", key: name };
    }
    const match = /^\/client\/v4\/accounts\/([^/]+)\/storage\/kv\/namespaces\/([^/]+)\/(.*)$/.exec(url.pathname);
    if (!match) throw new Refusal(404, 7000, "No route for that URI");
    const [, account, namespace, rest] = match;
    if (account !== this.options.accountId) throw new Refusal(403, 10000, "Authentication error");
    if (namespace !== this.options.namespaceId) throw new Refusal(404, 10013, "namespace not found");
    const method = request.method ?? "";
    if (method === "PUT" && rest === "bulk") return { route: "write" };
    if (method === "POST" && rest === "bulk/delete") return { route: "delete" };
    if (method === "GET" && rest === "keys") return { route: "list" };
    if (method === "GET" && rest?.startsWith("values/")) {
      // The key is one path segment: a "/" in it must have come percent-encoded.
      const raw = rest.slice("values/".length);
      if (raw.includes("/")) throw new Refusal(404, 7000, "No route for that URI (key not URL-encoded)");
      return { route: "read", key: decodeURIComponent(raw) };
    }
    throw new Refusal(405, 10000, `${method} not allowed on ${rest ?? ""}`);
  }

  private serve(
    route: { route: Route; key?: string },
    url: URL,
    request: IncomingMessage,
    body: Buffer,
    record: RecordedRequest,
    dropLast: boolean,
  ): string | Uint8Array {
    switch (route.route) {
      case "read": {
        const key = route.key ?? "";
        record.keys = [key];
        const value = this.store.get(key);
        if (value === undefined) throw new Refusal(404, 10009, "get: 'key not found'");
        return value;
      }
      case "list":
        return this.list(url);
      case "secrets":
        return envelope(
          (this.options.workerSecrets?.[route.key ?? ""] ?? []).map((name) => ({ name, type: "secret_text" })),
        );
      case "delete": {
        const keys = this.jsonBody(request, body);
        if (!Array.isArray(keys) || !keys.every((k): k is string => typeof k === "string")) {
          throw new Refusal(400, 10026, "request body must be an array of key names");
        }
        if (keys.length > this.limits.pairs) throw new Refusal(400, 10026, `at most ${this.limits.pairs} keys`);
        record.keys = keys;
        for (const key of keys) this.store.delete(key);
        return envelope({ successful_key_count: keys.length, unsuccessful_keys: [] });
      }
      case "write": {
        const pairs = this.parsePairs(request, body);
        record.keys = pairs.map((p) => p.key);
        const stored = dropLast ? pairs.slice(0, -1) : pairs;
        for (const { key, value } of stored) this.store.set(key, value);
        const unsuccessful = dropLast ? pairs.slice(-1).map((p) => p.key) : [];
        return envelope({ successful_key_count: stored.length, unsuccessful_keys: unsuccessful });
      }
    }
  }

  private jsonBody(request: IncomingMessage, body: Buffer): unknown {
    if (!(request.headers["content-type"] ?? "").startsWith("application/json")) {
      throw new Refusal(415, 10026, "Content-Type must be application/json");
    }
    if (body.length > this.limits.requestBytes) {
      throw new Refusal(413, 10004, `request body of ${body.length} bytes exceeds ${this.limits.requestBytes}`);
    }
    try {
      return JSON.parse(body.toString("utf8"));
    } catch {
      throw new Refusal(400, 10026, "request body is not valid JSON");
    }
  }

  /** The bulk-write body: checked as the API checks it, decoded only if every pair is acceptable. */
  private parsePairs(request: IncomingMessage, body: Buffer): { key: string; value: Uint8Array }[] {
    const items = this.jsonBody(request, body);
    if (!Array.isArray(items)) throw new Refusal(400, 10026, "request body must be an array of key-value pairs");
    if (items.length > this.limits.pairs) {
      throw new Refusal(400, 10026, `too many pairs: ${items.length}, at most ${this.limits.pairs}`);
    }
    return items.map((item: unknown) => {
      if (typeof item !== "object" || item === null) throw new Refusal(400, 10026, "pair is not an object");
      const { key, value, base64 } = item as { key?: unknown; value?: unknown; base64?: unknown };
      if (typeof key !== "string" || key === "" || Buffer.byteLength(key) > 512) {
        throw new Refusal(400, 10026, `invalid key ${JSON.stringify(key)}`);
      }
      if (typeof value !== "string") throw new Refusal(400, 10026, `${key}: value must be a string`);
      if (base64 !== undefined && typeof base64 !== "boolean")
        throw new Refusal(400, 10026, `${key}: base64 must be a boolean`);
      if (base64 === true && (value.length % 4 !== 0 || !BASE64.test(value))) {
        throw new Refusal(400, 10026, `${key}: value is not valid base64`);
      }
      const bytes = base64 === true ? new Uint8Array(Buffer.from(value, "base64")) : new TextEncoder().encode(value);
      if (bytes.length >= this.limits.valueBytes) {
        throw new Refusal(
          413,
          10033,
          `${key}: value of ${bytes.length} bytes exceeds the limit of ${this.limits.valueBytes}`,
        );
      }
      return { key, value: bytes };
    });
  }

  private list(url: URL): string {
    const prefix = url.searchParams.get("prefix") ?? "";
    const limit = Number(url.searchParams.get("limit") ?? "1000");
    if (!Number.isInteger(limit) || limit < 10 || limit > 1000)
      throw new Refusal(400, 10026, "limit must be 10 to 1000");
    const after = url.searchParams.get("cursor");
    const from = after ? Buffer.from(after, "base64url").toString("utf8") : null;
    const names = [...this.store.keys()].filter((k) => k.startsWith(prefix) && (from === null || k > from)).sort();
    const page = names.slice(0, Math.min(limit, this.options.pageSize ?? 1000));
    const last = page.at(-1);
    const more = names.length > page.length && last !== undefined;
    return envelope(
      page.map((name) => ({ name })),
      { result_info: { count: page.length, cursor: more ? Buffer.from(last).toString("base64url") : "" } },
    );
  }
}

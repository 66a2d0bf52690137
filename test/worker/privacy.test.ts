import { env } from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import { pseudonym } from "../../worker/privacy/pseudonym.js";
import { signedEvent } from "./sampleEvent.js";
import { testApp } from "./testApp.js";

// Through the app with the real bindings: the pool's exports.default.fetch slows with every request
// made in a test file (60 ms each by the 300th here), too slow for a 600-request burst.
const app = testApp();
const send = async (unit: string, ip: string) =>
  app.request(
    "/v1/events",
    {
      method: "POST",
      headers: { "Content-Type": "application/json", "CF-Connecting-IP": ip },
      body: JSON.stringify({ events: [await signedEvent({ unit })] }),
    },
    env,
  );
// The cheapest search (the best seller): the limiter counts a request before any work.
const search = (ip: string) => app.request("/v1/catalog/search?limit=1", { headers: { "CF-Connecting-IP": ip } }, env);

/** A rate-limiting binding that lets everything through and remembers the keys it was asked about. */
function recordingLimiter() {
  const keys: string[] = [];
  const limiter: RateLimit = {
    limit: ({ key }) => {
      keys.push(key);
      return Promise.resolve({ success: true });
    },
  };
  return { keys, limiter };
}

/**
 * Miniflare's limiter counts in fixed windows that start on the minute (as Cloudflare's do, per
 * location): a burst that crossed into the next minute would start counting again. Waits for the next
 * window when fewer than `seconds` are left of this one.
 */
async function freshWindow(seconds: number) {
  const left = 60_000 - (Date.now() % 60_000);
  if (left < seconds * 1000) await new Promise((r) => setTimeout(r, left + 50));
}

/** Sends `n` requests, `parallel` at a time; how many got each status, and one refused answer. */
async function burst(n: number, request: () => Response | Promise<Response>, parallel = 1) {
  const statuses = new Map<number, number>();
  let refused: Response | undefined;
  for (let sent = 0; sent < n; sent += parallel) {
    const answers = await Promise.all(Array.from({ length: Math.min(parallel, n - sent) }, request));
    for (const response of answers) {
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      if (response.status === 429) refused ??= response;
      else await response.arrayBuffer();
    }
  }
  return { statuses, refused };
}

async function expectRateLimited(refused: Response | undefined) {
  expect(refused).toBeDefined();
  expect(refused?.headers.get("Retry-After")).toBe("60");
  expect((await refused?.json<{ error: { code: string } }>())?.error.code).toBe("rate_limited");
}

afterEach(() => vi.restoreAllMocks());

describe("privacy: unit ids and IPs leave the worker only hashed", () => {
  it("stores a salted hash of the unit id, never the id", async () => {
    const unit = `shopper-${crypto.randomUUID()}`;
    expect((await send(unit, "198.51.100.1")).status).toBe(202);
    let units: string[] = [];
    for (let i = 0; i < 50 && units.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 20));
      const rows = await env.EVENTS.prepare("SELECT unit FROM events WHERE sku = '22423' ORDER BY id DESC LIMIT 5")
        .all<{ unit: string }>()
        .catch(() => ({ results: [] }));
      units = rows.results.map((r) => r.unit);
    }
    expect(units.length).toBeGreaterThan(0);
    expect(units).not.toContain(unit);
    for (const stored of units) expect(stored).toMatch(/^[0-9a-f]{32}$/);
  });

  it("gives the rate limiters salted hashes of the client IP and the answer's token as keys, never the unit id", async () => {
    const { keys, limiter } = recordingLimiter();
    const limited = { ...env, EVENTS_LIMITER: limiter, SEARCH_LIMITER: limiter };
    const ip = "198.51.100.7";
    const headers = { "CF-Connecting-IP": ip };
    const app = testApp();
    const event = await signedEvent({ unit: "shopper-42" });
    const events = await app.request(
      "/v1/events",
      {
        method: "POST",
        headers: { ...headers, "Content-Type": "application/json" },
        body: JSON.stringify({ events: [event, { ...event, type: "click" }] }),
      },
      limited,
    );
    expect(events.status).toBe(202);
    expect((await app.request("/v1/catalog/search?q=heart", { headers }, limited)).status).toBe(200);
    const salt = env.UNIT_HASH_SALT;
    // A unit id is anyone's to type: counting it would let a stranger use up that shopper's budget.
    expect(keys).toEqual([
      await pseudonym(`ip:${ip}`, salt),
      await pseudonym(`token:${event.token}`, salt),
      await pseudonym(`ip:${ip}`, salt),
    ]);
    expect(keys).not.toContain(await pseudonym("unit:shopper-42", salt));
    for (const key of keys) expect(key).toMatch(/^[0-9a-f]{32}$/);
  });

  it("logs neither the client IP nor the unit id, even when a batch is lost", async () => {
    const lines: string[] = [];
    const capture = (...args: unknown[]) => {
      lines.push(args.map((a) => (a instanceof Error ? `${a.message} ${a.stack ?? ""}` : String(a))).join(" "));
    };
    for (const level of ["log", "info", "warn", "error", "debug"] as const) {
      vi.spyOn(console, level).mockImplementation(capture);
    }
    const failing = new Error("D1 is down");
    const brokenDb = {
      prepare: () => ({ bind: () => ({}) }),
      batch: () => Promise.reject(failing),
    } as unknown as D1Database;
    const ip = "203.0.113.77";
    const unit = "shopper-private-7781";
    const app = testApp();
    const brokenEnv = { ...env, EVENTS: brokenDb };
    const post = (body: unknown) =>
      app.request(
        "/v1/events",
        {
          method: "POST",
          headers: { "Content-Type": "application/json", "CF-Connecting-IP": ip },
          body: JSON.stringify(body),
        },
        brokenEnv,
      );
    expect((await post({ events: [await signedEvent({ unit })] })).status).toBe(202);
    expect((await post({ events: [await signedEvent({ unit, type: "view" })] })).status).toBe(400);
    const item = await app.request(
      `/v1/items/85123A/also-bought?unit=${unit}`,
      { headers: { "CF-Connecting-IP": ip } },
      brokenEnv,
    );
    expect(item.status).toBe(200);
    // The loss itself is logged (so the capture works), without who sent the batch.
    expect(lines.some((line) => line.includes("was not written") && line.includes("D1 is down"))).toBe(true);
    for (const line of lines) {
      expect(line).not.toContain(ip);
      expect(line).not.toContain(unit);
    }
  });
});

describe("rate limits (Workers rate limiting, run locally by Miniflare)", () => {
  it("refuses more than 120 event batches a minute from one client with 429 rate_limited", async () => {
    let i = 0;
    await freshWindow(10);
    const { statuses, refused } = await burst(130, () => send(`unit-${i++}`, "203.0.113.9"));
    expect([...statuses]).toEqual([
      [202, 120],
      [429, 10],
    ]);
    await expectRateLimited(refused);
    // Another client is not affected.
    expect((await send("someone-else", "203.0.113.10")).status).toBe(202);
  });

  it("refuses more than 600 catalog searches a minute from one client", async () => {
    await freshWindow(15);
    const { statuses, refused } = await burst(605, () => search("203.0.113.20"), 25);
    expect(statuses).toEqual(
      new Map([
        [200, 600],
        [429, 5],
      ]),
    );
    await expectRateLimited(refused);
    expect((await search("203.0.113.21")).status).toBe(200);
  });
});

import { env } from "cloudflare:test";
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";

const event = (unit: string) => ({
  type: "impression",
  sku: "22423",
  anchor: "85123A",
  surface: "also-bought",
  experiment: "none",
  variant: "none",
  unit,
});
const send = (unit: string, ip: string) =>
  exports.default.fetch("http://sidecart.test/v1/events", {
    method: "POST",
    headers: { "Content-Type": "application/json", "CF-Connecting-IP": ip },
    body: JSON.stringify({ events: [event(unit)] }),
  });

describe("events: privacy and limits", () => {
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

  it("refuses more than 120 batches a minute from one client with 429 rate_limited", async () => {
    const statuses: number[] = [];
    let refused: Response | undefined;
    for (let i = 0; i < 130; i++) {
      const response = await send(`unit-${i}`, "203.0.113.9");
      statuses.push(response.status);
      if (response.status === 429) refused ??= response;
      else await response.arrayBuffer();
    }
    expect(statuses.slice(0, 120).every((s) => s === 202)).toBe(true);
    expect(refused).toBeDefined();
    expect(refused?.headers.get("Retry-After")).toBe("60");
    expect((await refused?.json<{ error: { code: string } }>())?.error.code).toBe("rate_limited");
    // Another client is not affected.
    expect((await send("someone-else", "203.0.113.10")).status).toBe(202);
  });
});

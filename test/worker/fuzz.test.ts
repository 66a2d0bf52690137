import { exports } from "cloudflare:workers";
import fc from "fast-check";
import { fuzzRequest, requestInit } from "../../bench/fuzzRequests.js";
import { describe, expect, it } from "vitest";

describe("fuzzed requests through the Workers runtime", () => {
  it("never answer 5xx, and every error is JSON with a code", async () => {
    await fc.assert(
      fc.asyncProperty(fuzzRequest, async (r) => {
        const response = await exports.default.fetch(`http://sidecart.test${r.path}${r.query}`, requestInit(r));
        const text = await response.text();
        const where = `${r.method} ${r.path.slice(0, 80)}${r.query.slice(0, 80)} → ${response.status} ${text.slice(0, 200)}`;
        expect(response.status, where).toBeLessThan(500);
        if (response.status === 204 || response.status === 304) return;
        expect(response.headers.get("X-Content-Type-Options"), where).toBe("nosniff");
        expect(response.headers.get("Content-Type") ?? "", where).toContain("application/json");
        const parsed = JSON.parse(text) as { error?: { code?: unknown } };
        if (response.status >= 400) expect(typeof parsed.error?.code, where).toBe("string");
      }),
      { numRuns: 400, seed: 20261126 },
    );
  }, 120_000);

  it("security headers on answers and errors alike", async () => {
    for (const path of ["/v1/items/85123A/also-bought", "/v1/items/NOPE/also-bought", "/nowhere"]) {
      const response = await exports.default.fetch(`http://sidecart.test${path}`);
      expect(response.headers.get("X-Content-Type-Options")).toBe("nosniff");
      expect(response.headers.get("X-Frame-Options")).toBe("DENY");
      expect(response.headers.get("Referrer-Policy")).toBe("no-referrer");
      expect(response.headers.get("Content-Security-Policy")).toContain("default-src 'none'");
    }
  });
});

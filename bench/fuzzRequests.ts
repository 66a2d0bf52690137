import fc from "fast-check";

/**
 * Requests a hostile or broken client sends, shared by the Workers-runtime fuzz test and
 * `npm run bench:fuzz`: odd SKUs (empty, 10 KB, unicode, control characters, path tricks), query
 * strings, bodies (any JSON, deep nesting, huge arrays, NaN, wrong types, not JSON), content types
 * and methods.
 */
const tricky = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: "grapheme", maxLength: 20 }),
  fc.string({ unit: "binary", maxLength: 20 }),
  fc.constantFrom(
    "",
    " ",
    "..",
    "../../etc/passwd",
    "%2e%2e%2f",
    "%00",
    "a\u0000b",
    "\u202e",
    "<script>alert(1)</script>",
    "NaN",
    "-1",
    "1e309",
    "0x10",
    "[]",
    "{}",
    "85123A",
    "85123A,22423",
  ),
  fc.constant("x".repeat(10_000)),
);
const itemPath = fc
  .tuple(tricky, fc.constantFrom("also-bought", "upgrades", "bundle", "nothing"))
  .map(([sku, surface]) => `/v1/items/${encodeURIComponent(sku)}/${surface}`);
const otherPath = fc.constantFrom(
  "/v1/cart/suggestions",
  "/v1/events",
  "/v1/catalog/search",
  "/v1/model",
  "/healthz",
  "/openapi.json",
  "/v1/items",
  "/v1",
  "/",
  "/v1/items//also-bought",
);
const query = fc
  .array(fc.tuple(fc.constantFrom("limit", "stage", "exclude", "unit", "spend", "q", "zzz"), tricky), { maxLength: 4 })
  .map((pairs) => (pairs.length === 0 ? "" : `?${pairs.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join("&")}`));
const deep = (n: number): unknown => (n === 0 ? 1 : { a: [deep(n - 1)] });
const body = fc.oneof(
  fc.jsonValue().map((v) => JSON.stringify(v)),
  fc
    .record({
      items: fc.array(fc.record({ sku: tricky, quantity: fc.oneof(fc.integer(), fc.double(), fc.string()) }), {
        maxLength: 30,
      }),
    })
    .map((v) => JSON.stringify(v)),
  fc
    .record({
      events: fc.array(
        fc.record({ type: tricky, sku: tricky, surface: tricky, experiment: tricky, variant: tricky, unit: tricky }),
        { maxLength: 5 },
      ),
    })
    .map((v) => JSON.stringify(v)),
  fc.constantFrom(
    "",
    "{",
    "null",
    "NaN",
    '{"items":[{"sku":"85123A","quantity":NaN}]}',
    JSON.stringify(deep(2000)),
    JSON.stringify({ items: Array.from({ length: 5000 }, () => ({ sku: "85123A" })) }),
    "x".repeat(200_000),
  ),
);
export const fuzzRequest = fc.record({
  method: fc.constantFrom("GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"),
  path: fc.oneof(itemPath, otherPath),
  query,
  type: fc.constantFrom(
    "application/json",
    "text/plain",
    "application/x-www-form-urlencoded",
    "application/json; charset=utf-8",
    "",
  ),
  body,
  unit: fc.option(
    tricky.map((u) => u.replace(/[^\x20-\x7e]/g, "")),
    { nil: undefined },
  ),
});

export type FuzzRequest = typeof fuzzRequest extends fc.Arbitrary<infer T> ? T : never;

export function requestInit(r: FuzzRequest): RequestInit {
  const headers: Record<string, string> = {};
  if (r.type) headers["Content-Type"] = r.type;
  if (r.unit !== undefined) headers["X-Sidecart-Unit"] = r.unit;
  return { method: r.method, headers, ...(r.method === "GET" || r.method === "OPTIONS" ? {} : { body: r.body }) };
}

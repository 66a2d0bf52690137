import { Validator, type Schema } from "@cfworker/json-schema";
import { exports } from "cloudflare:workers";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { responseSchema, specRequests, type OpenApiDocument, type SpecRequest } from "../../bench/openApiArbitrary.js";

const worker = (path: string, init?: RequestInit) => exports.default.fetch(`http://sidecart.test${path}`, init);

/**
 * What /openapi.json allows, the worker accepts: requests drawn from the document (every operation,
 * every parameter and body field within its published limits, text up to the longest allowed in
 * multi-byte characters) are never answered 400 or 5xx, every answer's status is documented for its
 * operation, and its body matches the documented schema.
 */
describe("requests the OpenAPI document allows", () => {
  let doc: OpenApiDocument;
  let skus: string[];

  beforeAll(async () => {
    doc = await (await worker("/openapi.json")).json<OpenApiDocument>();
    // Real SKUs too (drawn half of the time for a `sku`), so answers are not all 404 unknown_sku.
    const found = await (await worker("/v1/catalog/search?limit=50")).json<{ items: { sku: string }[] }>();
    skus = found.items.map((i) => i.sku);
    expect(skus.length).toBeGreaterThan(10);
  });

  async function check(request: SpecRequest): Promise<void> {
    const init: RequestInit = { method: request.method, headers: request.headers };
    if (request.body !== undefined) init.body = request.body;
    const response = await worker(request.url, init);
    const text = await response.text();
    const where = `${request.method} ${request.url.slice(0, 200)} ${request.body?.slice(0, 200) ?? ""} → ${response.status} ${text.slice(0, 300)}`;
    expect(response.status, where).not.toBe(400);
    expect(response.status, where).toBeLessThan(500);
    if (response.status === 413) {
      // The one refusal JSON Schema cannot express: the byte limit published beside the body schema.
      expect(new TextEncoder().encode(request.body ?? "").byteLength, where).toBeGreaterThan(
        request.maxBytes ?? Infinity,
      );
    }
    const schema = responseSchema(doc, request, response.status);
    expect(schema, `${where}: status documented`).not.toBeUndefined();
    if (schema === null || schema === undefined) return;
    const name = String(schema.$ref ?? "").replace("#/components/schemas/", "");
    const root = (doc.components.schemas[name] ?? schema) as Schema;
    const result = new Validator(root, "2020-12", false).validate(JSON.parse(text));
    expect(
      result.errors.map((e) => `${e.instanceLocation}: ${e.error}`),
      where,
    ).toEqual([]);
  }

  it("are never answered 400 or 5xx, and get documented answers", async () => {
    const hints = { sku: fc.constantFrom(...skus) };
    await fc.assert(fc.asyncProperty(specRequests(doc, hints), check), { numRuns: 300, seed: 20261130 });
  }, 120_000);

  it("the published limits are the enforced ones: one past them is refused", async () => {
    const cart = doc.paths["/v1/cart/suggestions"]?.post?.requestBody?.content["application/json"].schema;
    const maxLines = cart?.properties?.items?.maxItems ?? NaN;
    expect(maxLines).toBe(100); // the default config's cart.maxLines
    const lines = (n: number) => JSON.stringify({ items: Array.from({ length: n }, (_, i) => ({ sku: `S${i}` })) });
    const post = (body: string) =>
      worker("/v1/cart/suggestions", { method: "POST", headers: { "Content-Type": "application/json" }, body });
    expect((await post(lines(maxLines))).status).toBe(404); // allowed, and none of S0… is a product
    expect((await post(lines(maxLines + 1))).status).toBe(400);
    const events = doc.paths["/v1/events"]?.post?.requestBody?.content["application/json"].schema;
    const ts = events?.properties?.events?.items?.properties?.ts?.anyOf?.find((b) => b.type === "integer");
    expect(ts?.minimum).toBe(Date.UTC(2020, 0, 1));
  });
});

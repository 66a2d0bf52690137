import { isStaticPath } from "../../worker/routes/staticFiles.js";
import { Validator, type Schema } from "@cfworker/json-schema";
import { env } from "cloudflare:test";
import { exports } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { sampleEvent, signedEvent } from "./sampleEvent.js";
import { testApp } from "./testApp.js";

interface Operation {
  responses: Record<string, { content?: { "application/json": { schema: Schema } } }>;
}
interface Document {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
}

const worker = (path: string, init?: RequestInit) => exports.default.fetch(`http://sidecart.test${path}`, init);
const post = (path: string, body: unknown, type = "application/json") =>
  worker(path, { method: "POST", headers: { "Content-Type": type }, body: JSON.stringify(body) });

describe("the OpenAPI document matches the real answers", () => {
  let doc: Document;
  const exercised = new Set<string>();

  beforeAll(async () => {
    const response = await worker("/openapi.json");
    expect(response.status).toBe(200);
    doc = await response.json<Document>();
  });

  /** The answer's status is documented for the operation, and its body validates against that schema. */
  async function conforms(template: string, method: string, response: Response): Promise<void> {
    const operation = doc.paths[template]?.[method];
    expect(operation, `${method} ${template} is documented`).toBeDefined();
    const documented = operation?.responses[String(response.status)];
    expect(documented, `${method} ${template} documents ${response.status}`).toBeDefined();
    exercised.add(`${method} ${template} ${response.status}`);
    const schema = documented?.content?.["application/json"].schema;
    if (schema === undefined) return;
    // A component is its own root: its internal #/$defs references resolve against it.
    const name = String(schema.$ref ?? "").replace("#/components/schemas/", "");
    const root = doc.components.schemas[name] ?? schema;
    const result = new Validator(root, "2020-12", false).validate(await response.json());
    expect(
      result.errors.map((e) => `${e.instanceLocation}: ${e.error}`),
      `${method} ${template} ${response.status}`,
    ).toEqual([]);
    expect(result.valid).toBe(true);
  }

  it("is OpenAPI 3.1 with a schema for every JSON answer", () => {
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths).length).toBeGreaterThanOrEqual(6);
  });

  it("item routes: 200, 304, 400, 404", async () => {
    for (const surface of ["also-bought", "upgrades", "bundle"]) {
      const template = `/v1/items/{sku}/${surface}`;
      const ok = await worker(`/v1/items/85123A/${surface}?limit=3`);
      const tag = ok.headers.get("ETag") ?? "";
      await conforms(template, "get", ok);
      await conforms(
        template,
        "get",
        await worker(`/v1/items/85123A/${surface}`, { headers: { "If-None-Match": tag } }),
      );
      await conforms(template, "get", await worker(`/v1/items/NO-SUCH/${surface}`));
      await conforms(template, "get", await worker(`/v1/items/85123A/${surface}?limit=0`));
    }
    await conforms("/v1/items/{sku}/upgrades", "get", await worker("/v1/items/85123A/upgrades?spend=2"));
  });

  it("cart: 200, 400, 404, 415", async () => {
    const template = "/v1/cart/suggestions";
    await conforms(
      template,
      "post",
      await post(template, { items: [{ sku: "85123A" }, { sku: "22423", quantity: 2 }] }),
    );
    await conforms(template, "post", await post(template, { items: [] }));
    await conforms(template, "post", await post(template, { items: [{ sku: "NO-SUCH" }] }));
    await conforms(template, "post", await post(template, { items: [{ sku: "85123A" }] }, "text/plain"));
  });

  it("catalog search and events", async () => {
    await conforms("/v1/catalog/search", "get", await worker("/v1/catalog/search?q=heart&limit=5"));
    await conforms("/v1/catalog/search", "get", await worker("/v1/catalog/search"));
    await conforms("/v1/catalog/search", "get", await worker("/v1/catalog/search?limit=500"));
    await conforms("/v1/events", "post", await post("/v1/events", { events: [await signedEvent()] }));
    await conforms("/v1/events", "post", await post("/v1/events", { events: [sampleEvent({ type: "teleport" })] }));
    const forged = { events: [await signedEvent({}, { key: "someone-else's-key" })] };
    await conforms("/v1/events", "post", await post("/v1/events", forged));
  });

  it("search finds every word of the title in any case, or a SKU prefix, best sellers first", async () => {
    type Found = { items: { sku: string; title: string }[] };
    const found = await (await worker("/v1/catalog/search?q=Heart%20HOLDER&limit=10")).json<Found>();
    expect(found.items.length).toBeGreaterThan(1);
    for (const item of found.items) expect(item.title.toLowerCase()).toMatch(/heart.*holder|holder.*heart/);
    expect(found.items[0]?.sku).toBe("85123A"); // the sample's best seller among them
    const bySku = await (await worker("/v1/catalog/search?q=85123")).json<Found>();
    expect(bySku.items.map((i) => i.sku)).toContain("85123A");
    expect((await (await worker("/v1/catalog/search?q=zzzz-nothing")).json<Found>()).items).toEqual([]);
  });

  it("over a rate limit: 429 as documented", async () => {
    const refuse: RateLimit = { limit: () => Promise.resolve({ success: false }) };
    const limited = { ...env, EVENTS_LIMITER: refuse, SEARCH_LIMITER: refuse };
    const app = testApp();
    await conforms("/v1/catalog/search", "get", await app.request("/v1/catalog/search?q=heart", {}, limited));
    const batch = JSON.stringify({ events: [await signedEvent()] });
    const init = { method: "POST", headers: { "Content-Type": "application/json" }, body: batch };
    await conforms("/v1/events", "post", await app.request("/v1/events", init, limited));
  });

  it("operational routes: health, model, the document itself", async () => {
    await conforms("/healthz", "get", await worker("/healthz"));
    await conforms("/v1/model", "get", await worker("/v1/model"));
    await conforms("/openapi.json", "get", await worker("/openapi.json"));
  });

  it("every API route the app serves is documented (the widget and demo files are not API)", () => {
    const served = testApp()
      .routes.filter((r) => (r.method === "GET" || r.method === "POST") && !isStaticPath(r.path))
      .map((r) => `${r.method} ${r.path.replace(/:(\w+)/g, "{$1}")}`);
    expect(served.length).toBeGreaterThan(6);
    for (const route of served) {
      const [method = "", path = ""] = route.split(" ");
      expect(doc.paths[path]?.[method.toLowerCase()], `${route} is in /openapi.json`).toBeDefined();
    }
  });

  it("every documented path was exercised", () => {
    for (const [template, operations] of Object.entries(doc.paths)) {
      for (const method of Object.keys(operations)) {
        expect(
          [...exercised].some((e) => e.startsWith(`${method} ${template} 2`)),
          `${method} ${template}`,
        ).toBe(true);
      }
    }
  });
});

import { env } from "cloudflare:test";
import { describe, expect, inject, it } from "vitest";
import { BlobName, KvKeys } from "../../models/contract.js";
import { ModelSource } from "../../worker/model/modelSource.js";
import { testApp } from "./testApp.js";

type Mode =
  | "ok"
  | "down"
  | "slow"
  | "truncated"
  | "newer_schema"
  | "pointer_to_missing"
  | "head_missing"
  | "head_corrupt"
  | "head_unlisted"
  | "pages_missing"
  | "pages_corrupt"
  | "pages_of_another_version";

/** The pointer of the "pointer_to_missing" mode: a version whose manifest was never written. */
const MISSING = { version: "v-never-written", publishedAt: "2026-01-01T00:00:00.000Z" };

/**
 * The seeded namespace behind a switch: KV up, throwing, slow (2 s a read), cutting every blob chunk in
 * half, serving manifests of a newer schema, losing, corrupting or not listing the head (the last as a
 * version trained before paged models looks), or losing or corrupting its pages, or answering them
 * with another version's pages under the same numbers. Only `get` and `list` are used by the worker.
 */
function faultyKv(real: KVNamespace, other: { kv: KVNamespace; version: string }) {
  const state = { mode: "ok" as Mode };
  const encoder = new TextEncoder();
  // The worker reads a version's values as bytes (pointer and manifest too; pages with a cacheTtl),
  // the config document as text.
  type Asked = "text" | "arrayBuffer" | { type: "text" | "arrayBuffer"; cacheTtl?: number };
  const get = async (key: string, asked: Asked) => {
    const type = typeof asked === "string" ? asked : asked.type;
    if (state.mode === "down") throw new Error("KV GET failed: 503 Service Unavailable");
    if (state.mode === "slow") await new Promise((r) => setTimeout(r, 2000));
    if (type === "text") return real.get(key, "text");
    if (state.mode === "pointer_to_missing" && key === KvKeys.pointer)
      return encoder.encode(JSON.stringify(MISSING)).buffer;
    if (state.mode === "newer_schema" && key.endsWith("manifest.json")) {
      const text = await real.get(key, "text");
      return text === null ? null : encoder.encode(text.replace(/"schemaVersion":\s*\d+/, '"schemaVersion":99')).buffer;
    }
    const isHead = key.includes(`/${BlobName.head}#`);
    const isPage = key.includes("/pages/");
    if (state.mode === "head_missing" && isHead) return null;
    if (state.mode === "pages_missing" && isPage) return null;
    if (state.mode === "pages_of_another_version" && isPage)
      return other.kv.get(key.replace(/versions\/[^/]+\//, `versions/${other.version}/`), "arrayBuffer");
    if (state.mode === "head_unlisted" && key.endsWith("manifest.json")) {
      const text = await real.get(key, "text");
      if (text === null) return null;
      const manifest = JSON.parse(text) as { blobs: { head?: unknown } };
      delete manifest.blobs.head;
      return encoder.encode(JSON.stringify(manifest)).buffer;
    }
    const bytes = await real.get(key, "arrayBuffer");
    if (((state.mode === "head_corrupt" && isHead) || (state.mode === "pages_corrupt" && isPage)) && bytes !== null) {
      const copy = new Uint8Array(bytes.slice(0));
      copy[copy.length >> 1] = (copy[copy.length >> 1] ?? 0) ^ 0xff;
      return copy.buffer;
    }
    return state.mode === "truncated" && bytes !== null && key.includes("#")
      ? bytes.slice(0, bytes.byteLength >> 1)
      : bytes;
  };
  const kv = { get, list: real.list.bind(real) } as unknown as KVNamespace;
  return { kv, state };
}

interface Health {
  status: string;
  model: {
    state: string;
    version: string | null;
    lastError: { code: string; message: string; version: string | null } | null;
    pages: { lastError: { code: string } | null } | null;
  };
}

describe("KV faults: the worker keeps what it has, says what is wrong, and recovers by itself", () => {
  const { version } = inject("seedModel");
  const other = { kv: env.JOURNEY_MODELS, version: inject("journeyModel").version };
  const setup = () => {
    const { kv, state } = faultyKv(env.MODELS, other);
    const app = testApp({ models: new ModelSource({ refreshMs: 0, emptyRetryMs: 0 }) });
    const ask = (path: string) => app.request(path, {}, { ...env, MODELS: kv });
    const health = async () => (await ask("/healthz")).json<Health>();
    return { state, ask, health };
  };

  it("KV down with a model loaded: answers from the model, degraded on /healthz, ok again when KV is back", async () => {
    const { state, ask, health } = setup();
    expect((await ask("/v1/items/85123A/also-bought")).status).toBe(200);
    state.mode = "down";
    const answer = await ask("/v1/items/85123A/also-bought");
    expect(answer.status).toBe(200);
    expect((await answer.json<{ model: { version: string } }>()).model.version).toBe(version);
    expect(await health()).toMatchObject({ status: "degraded", model: { lastError: { code: "kv_unavailable" } } });
    state.mode = "ok";
    expect(await health()).toMatchObject({ status: "ok", model: { version, lastError: null } });
  });

  it("KV down before any model: 503 model_unavailable with a code, then serves once KV answers", async () => {
    const { state, ask, health } = setup();
    state.mode = "down";
    const refused = await ask("/v1/items/85123A/also-bought");
    expect(refused.status).toBe(503);
    expect((await refused.json<{ error: { code: string } }>()).error.code).toBe("model_unavailable");
    expect((await health()).model.lastError?.code).toBe("kv_unavailable");
    state.mode = "ok";
    expect((await ask("/v1/items/85123A/also-bought")).status).toBe(200);
  });

  it.each([
    ["truncated", "blob_size_mismatch"],
    ["newer_schema", "invalid_manifest"],
    ["head_missing", "missing_blob"],
    ["head_corrupt", "blob_checksum_mismatch"],
    ["head_unlisted", "model_needs_retraining"],
  ] as const)(
    "a %s model is never served (%s on /healthz), and the real one loads when KV heals",
    async (mode, code) => {
      const { state, ask, health } = setup();
      state.mode = mode;
      const refused = await ask("/v1/items/85123A/also-bought");
      expect(refused.status).toBe(503);
      // lastError names the version that failed, so an operator knows which one the worker refused.
      expect((await health()).model.lastError).toMatchObject({ code, version });
      state.mode = "ok";
      expect((await ask("/v1/items/85123A/also-bought")).status).toBe(200);
    },
  );

  it.each([
    ["pages_missing", "page_missing"],
    ["pages_corrupt", "page_corrupt"],
    // The journey model's pages under the retail model's keys: same numbers, another version's bytes.
    ["pages_of_another_version", "page_corrupt"],
  ] as const)(
    "%s: that request is a 503 %s, never a wrong answer, and the isolate goes on serving",
    async (mode, code) => {
      const { state, ask, health } = setup();
      // The head loads (it is fine); the pages this anchor needs are what fail.
      state.mode = mode;
      const refused = await ask("/v1/items/85123A/also-bought");
      expect(refused.status).toBe(503);
      expect((await refused.json<{ error: { code: string } }>()).error.code).toBe(code);
      expect(await health()).toMatchObject({ model: { state: "ok", version, pages: { lastError: { code } } } });
      state.mode = "ok";
      const served = await ask("/v1/items/85123A/also-bought");
      expect(served.status).toBe(200);
      expect((await served.json<{ items: unknown[] }>()).items.length).toBeGreaterThan(0);
    },
  );

  it("a newer version that fails to load: the old one serves, /healthz is degraded and names the failed version", async () => {
    const { state, ask, health } = setup();
    expect((await ask("/v1/items/85123A/also-bought")).status).toBe(200);
    state.mode = "pointer_to_missing";
    expect((await ask("/v1/items/85123A/also-bought")).headers.get("X-Sidecart-Model")).toBe(version);
    expect(await health()).toMatchObject({
      status: "degraded",
      model: { version, lastError: { code: "missing_manifest", version: MISSING.version } },
    });
  });

  it("slow KV never delays an answer once a model is loaded", async () => {
    const { kv, state } = faultyKv(env.MODELS, other);
    const app = testApp({ models: new ModelSource({ refreshMs: 0, emptyRetryMs: 0 }) });
    // A real execution context: the refresh goes to waitUntil, the answer does not wait for it.
    const ctx = { waitUntil: (_: Promise<unknown>) => undefined, passThroughOnException: () => undefined, props: {} };
    const ask = () =>
      app.fetch(new Request("http://sidecart.test/v1/items/85123A/also-bought"), { ...env, MODELS: kv }, ctx);
    expect((await ask()).status).toBe(200);
    state.mode = "slow";
    const started = Date.now();
    const answer = await ask();
    expect(answer.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(1000);
  });
});

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
  | "tables_missing"
  | "tables_corrupt"
  | "tables_unlisted";

/** The pointer of the "pointer_to_missing" mode: a version whose manifest was never written. */
const MISSING = { version: "v-never-written", publishedAt: "2026-01-01T00:00:00.000Z" };

/**
 * The seeded namespace behind a switch: KV up, throwing, slow (2 s a read), cutting every blob chunk in
 * half, serving manifests of a newer schema, or losing, corrupting or not listing the tables blob (the
 * last as a version trained before graph contract v2 looks). Only `get` and `list` are used by the worker.
 */
function faultyKv(real: KVNamespace) {
  const state = { mode: "ok" as Mode };
  const encoder = new TextEncoder();
  // The worker reads a version's values as bytes (pointer and manifest too), the config document as text.
  const get = async (key: string, type: "text" | "arrayBuffer") => {
    if (state.mode === "down") throw new Error("KV GET failed: 503 Service Unavailable");
    if (state.mode === "slow") await new Promise((r) => setTimeout(r, 2000));
    if (type === "text") return real.get(key, "text");
    if (state.mode === "pointer_to_missing" && key === KvKeys.pointer)
      return encoder.encode(JSON.stringify(MISSING)).buffer;
    if (state.mode === "newer_schema" && key.endsWith("manifest.json")) {
      const text = await real.get(key, "text");
      return text === null ? null : encoder.encode(text.replace(/"schemaVersion":\s*\d+/, '"schemaVersion":99')).buffer;
    }
    const isTables = key.includes(`/${BlobName.tables}#`);
    if (state.mode === "tables_missing" && isTables) return null;
    if (state.mode === "tables_unlisted" && key.endsWith("manifest.json")) {
      const text = await real.get(key, "text");
      if (text === null) return null;
      const manifest = JSON.parse(text) as { blobs: { tables?: unknown } };
      delete manifest.blobs.tables;
      return encoder.encode(JSON.stringify(manifest)).buffer;
    }
    const bytes = await real.get(key, "arrayBuffer");
    if (state.mode === "tables_corrupt" && isTables && bytes !== null) {
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
  };
}

describe("KV faults: the worker keeps what it has, says what is wrong, and recovers by itself", () => {
  const { version } = inject("seedModel");
  const setup = () => {
    const { kv, state } = faultyKv(env.MODELS);
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
    ["tables_missing", "missing_blob"],
    ["tables_corrupt", "blob_checksum_mismatch"],
    ["tables_unlisted", "model_needs_retraining"],
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
    const { kv, state } = faultyKv(env.MODELS);
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

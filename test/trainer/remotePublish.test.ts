import { memoryKv, renamedManifest } from "./helpers.js";
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterEach, beforeAll, beforeEach, describe, expect, inject, it } from "vitest";
import { KvKeys } from "../../models/contract.js";
import { sha256Hex } from "../../models/digest.js";
import { readArtifacts, servedBlobs, type Artifacts } from "../../trainer/artifacts.js";
import { UserError } from "../../trainer/errors.js";
import { CloudflareKv, type CloudflareApiOptions } from "../../trainer/publish/cloudflareKv.js";
import { KV_API_LIMITS, planBulkWrites } from "../../trainer/publish/kvBulkWrites.js";
import { readManifest, readPointer } from "../../models/versionStore.js";
import { readHistory, rollback } from "../../trainer/publish/history.js";
import { publishVersion } from "../../trainer/publish/publishVersion.js";
import { applyRetention } from "../../trainer/publish/retention.js";
import { API_LIMITS, FakeCloudflareKvApi } from "../fakes/cloudflareKvApi.js";
import { repoRoot } from "../fixtures.js";
import "../seedModel.js";

const TOKEN = "test-token-0123456789";
const ACCOUNT = "0123456789abcdef0123456789abcdef";
const NAMESPACE = "fedcba9876543210fedcba9876543210";

let seed: Artifacts;
beforeAll(async () => {
  seed = await readArtifacts(inject("seedModel").dir);
});

/** The seed model's blobs under another version id (what a new nightly publish looks like). */
function versionOf(version: string): Artifacts {
  return { ...seed, manifest: renamedManifest(seed.manifest, version) };
}

let api: FakeCloudflareKvApi;
let sleeps: number[];

beforeEach(async () => {
  api = await FakeCloudflareKvApi.start({
    token: TOKEN,
    accountId: ACCOUNT,
    namespaceId: NAMESPACE,
    // The repository's worker ("sidecart") deployed with its token key only; "x" with both secrets.
    workerSecrets: { sidecart: ["EVENT_TOKEN_KEY"], x: ["EVENT_TOKEN_KEY", "UNIT_HASH_SALT"] },
  });
  sleeps = [];
});
afterEach(async () => {
  await api.close();
});

/** A client of the fake; backoff is recorded instead of slept, so retries cost no wall time. */
function client(overrides: Partial<CloudflareApiOptions> = {}): CloudflareKv {
  return new CloudflareKv({
    apiToken: TOKEN,
    accountId: ACCOUNT,
    namespaceId: NAMESPACE,
    baseUrl: api.url,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    ...overrides,
  });
}

/** The keys a publish writes before the manifest: the served blobs' chunks and every page. */
const keysOf = (artifacts: Artifacts) => [
  ...servedBlobs(artifacts.manifest).flatMap(([, entry]) =>
    Array.from({ length: entry.chunks }, (_, i) => KvKeys.chunk(entry.key, i)),
  ),
  ...Array.from(
    { length: artifacts.manifest.blobs.pages?.pages ?? 0 },
    (_, p) => `${artifacts.manifest.blobs.pages?.key}${p}`,
  ),
];

function concat(parts: Uint8Array[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** Every served blob of `version` as stored in the fake matches the manifest's size and sha256, and every page is there. */
async function expectIntact(version: string): Promise<void> {
  const manifest = JSON.parse(api.text(KvKeys.manifest(version)) ?? "null") as Artifacts["manifest"] | null;
  expect(manifest?.version).toBe(version);
  const pages = manifest?.blobs.pages;
  const pageBytes = Array.from({ length: pages?.pages ?? 0 }, (_, p) => api.store.get(`${pages?.key}${p}`)?.length);
  expect(pageBytes.every((n) => n !== undefined && n > 0)).toBe(true);
  expect(pageBytes.reduce<number>((sum, n) => sum + (n ?? 0), 0)).toBe(pages?.bytes);
  for (const [, entry] of servedBlobs(manifest ?? seed.manifest)) {
    const parts = Array.from({ length: entry.chunks }, (_, i) => api.store.get(KvKeys.chunk(entry.key, i)));
    expect(
      parts.every((p) => p !== undefined),
      entry.key,
    ).toBe(true);
    const bytes = concat(parts.filter((p): p is Uint8Array => p !== undefined));
    expect(bytes.length).toBe(entry.bytes);
    expect(await sha256Hex(bytes)).toBe(entry.sha256);
  }
}

describe("CloudflareKv against a local KV API", () => {
  it("publishes a real version: blob chunks in bulk, then the manifest, a read-back of every chunk, the pointer last", async () => {
    const version = "v-remote-1";
    const pointer = await publishVersion(client(), versionOf(version));
    expect(pointer.version).toBe(version);

    const writes = api.appliedWrites();
    const chunkKeys = keysOf(versionOf(version));
    const seqOf = (key: string) => writes.find((w) => w.keys.includes(key))?.seq ?? Number.NaN;
    const pointerWrite = writes.find((w) => w.keys.includes(KvKeys.pointer));
    // The pointer goes alone, after every chunk and the manifest; the manifest after every chunk.
    expect(pointerWrite?.keys).toEqual([KvKeys.pointer]);
    const manifestSeq = seqOf(KvKeys.manifest(version));
    for (const key of chunkKeys) expect(seqOf(key)).toBeLessThan(manifestSeq);
    expect(manifestSeq).toBeLessThan(pointerWrite?.seq ?? Number.NaN);
    expect(seqOf(KvKeys.history)).toBeGreaterThan(pointerWrite?.seq ?? Number.NaN);
    // Blob chunks travel together: one bulk request, not one per key.
    expect(new Set(chunkKeys.map(seqOf)).size).toBe(1);
    // Every chunk was read back before the pointer moved (and the old pointer, for the history's moves).
    const readBefore = api.requests.filter((r) => r.route === "read" && r.seq < (pointerWrite?.seq ?? 0));
    expect(new Set(readBefore.flatMap((r) => r.keys))).toEqual(new Set([...chunkKeys, KvKeys.pointer]));

    await expectIntact(version);
    // Binary blobs round-trip byte for byte through base64.
    for (const [name, entry] of servedBlobs(versionOf(version).manifest)) {
      const stored = concat(
        Array.from({ length: entry.chunks }, (_, i) => api.store.get(KvKeys.chunk(entry.key, i)) ?? new Uint8Array()),
      );
      expect(Buffer.from(stored).equals(Buffer.from(seed.blobs[name] ?? new Uint8Array()))).toBe(true);
    }
    const kv = client();
    expect((await readPointer(kv))?.version).toBe(version);
    expect((await readHistory(kv)).versions.map((v) => v.version)).toEqual([version]);
  });

  it("round-trips every byte value and keys that need URL encoding; a missing key reads as null", async () => {
    const kv = client();
    const every = Uint8Array.from({ length: 512 }, (_, i) => i % 256);
    const keys = ["sidecart/versions/x/a b#0", "é/ü?x=1&y=%2F", "plain"];
    await kv.putMany(keys.map((key) => [key, every] as const));
    await kv.put("text", "héllo ☀");
    for (const key of keys) expect(Array.from((await kv.get(key)) ?? [])).toEqual(Array.from(every));
    expect(new TextDecoder().decode((await kv.get("text")) ?? new Uint8Array())).toBe("héllo ☀");
    expect(await kv.get("nope/nothing")).toBeNull();
    expect((await kv.list("sidecart/")).sort()).toEqual(["sidecart/versions/x/a b#0"]);
    await kv.deleteMany(keys);
    expect(await kv.get("plain")).toBeNull();
  });

  it("lists every key under a prefix across pages", async () => {
    await api.close();
    api = await FakeCloudflareKvApi.start({ token: TOKEN, accountId: ACCOUNT, namespaceId: NAMESPACE, pageSize: 3 });
    const kv = client();
    const keys = Array.from({ length: 11 }, (_, i) => `p/${String(i).padStart(2, "0")}`);
    await kv.putMany([...keys.map((k) => [k, "x"] as const), ["q/other", "y"]]);
    expect(await kv.list("p/")).toEqual(keys);
    expect(api.requests.filter((r) => r.route === "list")).toHaveLength(4);
  });

  it("splits bulk writes under the request limits, sized exactly as sent, and the fake enforces them", async () => {
    const limits = { pairs: 4, requestBytes: 30_000, valueBytes: 12_000 };
    await api.close();
    api = await FakeCloudflareKvApi.start({ token: TOKEN, accountId: ACCOUNT, namespaceId: NAMESPACE, limits });
    const entries = Array.from(
      { length: 23 },
      (_, i) => [`k/${i}`, i % 3 === 0 ? "a string value" : new Uint8Array(1000 + 400 * i).fill(i)] as const,
    );
    const plans = planBulkWrites(entries, limits);
    // Some requests are cut by the pair count, others by the byte limit.
    expect(plans.some((p) => p.entries.length === limits.pairs)).toBe(true);
    expect(plans.slice(0, -1).some((p) => p.entries.length < limits.pairs)).toBe(true);
    await client({ limits }).putMany(entries);
    const writes = api.appliedWrites();
    expect(writes.map((w) => w.bodyBytes)).toEqual(plans.map((p) => p.bodyBytes));
    for (const write of writes) {
      expect(write.keys.length).toBeLessThanOrEqual(limits.pairs);
      expect(write.bodyBytes).toBeLessThanOrEqual(limits.requestBytes);
    }
    expect(api.store.size).toBe(23);

    // A client that believed in larger limits is refused with the API's own message, in one line.
    const refused = client({ limits: { ...limits, pairs: 100, requestBytes: 1_000_000 } }).putMany(entries);
    await expect(refused).rejects.toThrow(UserError);
    await expect(refused).rejects.toThrow(/HTTP 413 \(10004: request body of \d+ bytes exceeds 30000\)/);
    await expect(client().put("big", new Uint8Array(limits.valueBytes))).rejects.toThrow(
      /HTTP 413 \(10033: big: value/,
    );
  });

  it("plans the API's real limits: 10,000 pairs, 100 MB a request, values below 25 MiB", () => {
    const chunk = new Uint8Array(20 * 1024 * 1024);
    // Five 20 MiB chunks are 28 MB each in base64: three fit in 100 MB, so two requests.
    const big = planBulkWrites(Array.from({ length: 5 }, (_, i) => [`c#${i}`, chunk] as const));
    expect(big.map((p) => p.entries.length)).toEqual([3, 2]);
    for (const plan of big) expect(plan.bodyBytes).toBeLessThanOrEqual(KV_API_LIMITS.requestBytes);
    const many = planBulkWrites(Array.from({ length: 10_001 }, (_, i) => [`k${i}`, "v"] as const));
    expect(many.map((p) => p.entries.length)).toEqual([10_000, 1]);
    expect(() => planBulkWrites([["huge", new Uint8Array(25 * 1024 * 1024)]])).toThrow(/below 26214400/);
    expect(KV_API_LIMITS).toEqual(API_LIMITS);
  });

  it("the fake refuses what the API refuses, with the API's error envelope", async () => {
    const put = (body: string, token = TOKEN) =>
      fetch(`${api.url}/accounts/${ACCOUNT}/storage/kv/namespaces/${NAMESPACE}/bulk`, {
        method: "PUT",
        headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
        body,
      });
    const tooMany = await put(JSON.stringify(Array.from({ length: 10_001 }, (_, i) => ({ key: `k${i}`, value: "v" }))));
    expect(tooMany.status).toBe(400);
    expect(await tooMany.json()).toMatchObject({ success: false, errors: [{ code: 10026 }] });
    const huge = await put(
      JSON.stringify([{ key: "h", value: Buffer.alloc(API_LIMITS.valueBytes).toString("base64"), base64: true }]),
    );
    expect(huge.status).toBe(413);
    expect(await huge.json()).toMatchObject({ success: false, errors: [{ code: 10033 }] });
    const badToken = await put("[]", "wrong");
    expect(badToken.status).toBe(403);
    expect(api.store.size).toBe(0);
  });

  it("retries 429 (waiting as Retry-After says), 5xx, dropped connections and lost replies, then publishes", async () => {
    api.inject({ kind: "throttle", retryAfter: "3" }, 2, ["write"]);
    api.inject({ kind: "server_error", status: 502 }, 1, ["write"]);
    api.inject({ kind: "drop" }, 1, ["write"]);
    api.inject({ kind: "drop_after_apply" }, 1, ["write"]);
    api.inject({ kind: "server_error" }, 1, ["read"]);
    api.inject({ kind: "unsuccessful_last" }, 1, ["write"]);
    const retries: string[] = [];
    const kv = client({ random: () => 0.5, onRetry: ({ reason }) => retries.push(reason) });
    const pointer = await publishVersion(kv, versionOf("v-retried"));
    expect(pointer.version).toBe("v-retried");
    // Retry-After as given (3 s twice), then exponential backoff, 500 ms × 2^(try-1), half of it fixed
    // and half random (random() = 0.5 → 75%); the unsuccessful key and the failed read start over at 500 ms.
    expect(sleeps).toEqual([3000, 3000, 1500, 3000, 6000, 375, 375]);
    expect(retries.some((r) => r.includes("HTTP 429"))).toBe(true);
    expect(retries.some((r) => r.includes("HTTP 502"))).toBe(true);
    expect(retries.some((r) => r.includes("fetch failed"))).toBe(true);
    expect(retries.some((r) => r.includes("unsuccessful"))).toBe(true);
    await expectIntact("v-retried");
    expect(JSON.parse(api.text(KvKeys.pointer) ?? "{}")).toMatchObject({ version: "v-retried" });
  });

  it("gives up after a bounded number of tries with one line, backing off exponentially", async () => {
    api.inject({ kind: "server_error" }, 100);
    const failed = client({ random: () => 1 }).put("k", "v");
    await expect(failed).rejects.toThrow(UserError);
    await expect(failed).rejects.toThrow(/gave up after 6 tries, last HTTP 503/);
    expect(sleeps).toEqual([500, 1000, 2000, 4000, 8000]);
    expect(api.requests).toHaveLength(6);
  });

  it("names the token and account problem in one line on 401/403, without retrying", async () => {
    const bad = new CloudflareKv({ apiToken: "revoked", accountId: ACCOUNT, namespaceId: NAMESPACE, baseUrl: api.url });
    const refused = publishVersion(bad, versionOf("v-never"));
    await expect(refused).rejects.toThrow(UserError);
    await expect(refused).rejects.toThrow(
      `Cloudflare API refused the credentials (HTTP 403, 10000: Authentication error): check that CLOUDFLARE_API_TOKEN is valid and may edit Workers KV on account CLOUDFLARE_ACCOUNT_ID=${ACCOUNT}`,
    );
    expect(api.requests).toHaveLength(1);
    const elsewhere = new CloudflareKv({
      apiToken: TOKEN,
      accountId: ACCOUNT,
      namespaceId: "0".repeat(32),
      baseUrl: api.url,
    });
    await expect(elsewhere.get("k")).rejects.toThrow(/HTTP 404 \(10013: namespace not found\)/);
  });

  for (const cut of [0, 1, 2]) {
    it(`a publish cut off after ${cut} write request(s) leaves the old pointer and the old version intact`, async () => {
      const kv = client();
      await publishVersion(kv, versionOf("v-old"));
      const before = new Map(api.store);
      api.failWritesAfter(cut);
      await expect(publishVersion(client({ maxAttempts: 2 }), versionOf("v-new"))).rejects.toThrow(
        /gave up after 2 tries/,
      );
      expect(JSON.parse(api.text(KvKeys.pointer) ?? "{}")).toMatchObject({ version: "v-old" });
      for (const [key, value] of before) {
        expect(Buffer.from(api.store.get(key) ?? []).equals(Buffer.from(value)), key).toBe(true);
      }
      await expectIntact("v-old");
      // The manifest is written only after all of the blobs: a version with a manifest is complete.
      expect(api.text(KvKeys.manifest("v-new")) !== null).toBe(cut >= 2);
      expect((await readHistory(kv)).versions.map((v) => v.version)).toEqual(["v-old"]);

      // Publishing again once the API is back completes it; retention clears nothing it must keep.
      api.heal();
      await publishVersion(kv, versionOf("v-new"));
      await expectIntact("v-new");
      expect(JSON.parse(api.text(KvKeys.pointer) ?? "{}")).toMatchObject({ version: "v-new" });
    });
  }
});

describe("retention", () => {
  it("keeps the newest N, always the live version and where the pointer was before it, and clears interrupted leftovers", async () => {
    const kv = client();
    for (const v of ["v1", "v2", "v3", "v4", "v5"]) await publishVersion(kv, versionOf(v));
    // v6 was cut off after its blobs: keys under sidecart/versions/v6/ but no manifest, no history.
    api.failWritesAfter(1);
    await expect(publishVersion(client({ maxAttempts: 1 }), versionOf("v6"))).rejects.toThrow();
    api.heal();
    expect((await kv.list("sidecart/versions/v6/")).length).toBeGreaterThan(0);
    await rollback(kv, "v2");

    const writesBefore = api.appliedWrites().length;
    // Live v2 came from v5, so v5 is both "the pointer before" and where a plain rollback goes; v1 is not needed.
    const plan = await applyRetention(kv, 1);
    expect(plan.deleted.map((d) => d.version)).toEqual(["v6", "v1", "v3", "v4"]);
    expect(plan.kept).toEqual(["v2", "v5"]);
    for (const gone of ["v1", "v3", "v4", "v6"]) expect(await kv.list(KvKeys.versionPrefix(gone))).toEqual([]);
    for (const kept of ["v2", "v5"]) await expectIntact(kept);
    expect((await readHistory(kv)).versions.map((v) => v.version)).toEqual(["v2", "v5"]);
    // The history is rewritten first, then manifests go before any blob.
    const [history, manifests, blobs] = api.appliedWrites().slice(writesBefore);
    expect(history?.keys).toEqual([KvKeys.history]);
    expect(manifests?.route).toBe("delete");
    expect(manifests?.keys.sort()).toEqual([KvKeys.manifest("v1"), KvKeys.manifest("v3"), KvKeys.manifest("v4")]);
    expect(blobs?.keys.some((k) => k.endsWith("manifest.json"))).toBe(false);
    expect((await readPointer(kv))?.version).toBe("v2");
    expect(await readManifest(kv, "v5")).not.toBeNull();
  });

  it("works on a store without batch calls (the local one), newest publish live", async () => {
    const plain = memoryKv();
    for (const v of ["a1", "a2", "a3", "a4"]) await publishVersion(plain, versionOf(v));
    const plan = await applyRetention(plain, 2);
    expect(plan.deleted.map((d) => d.version)).toEqual(["a1", "a2"]);
    const left = await plain.list("sidecart/versions/");
    expect(left.some((k) => k.includes("/a4/"))).toBe(true);
    expect(left.filter((k) => k.includes("/a1/") || k.includes("/a2/"))).toEqual([]);
    // keep 1 still keeps the previous one.
    expect((await applyRetention(plain, 1)).kept).toEqual(["a3", "a4"]);
  });
});

describe("sidecart publish --remote (the real CLI against the local API)", () => {
  const run = promisify(execFile);
  const dir = () => inject("seedModel").dir;

  async function sidecart(
    args: string[],
    env: Record<string, string> = { CLOUDFLARE_API_TOKEN: TOKEN, CLOUDFLARE_ACCOUNT_ID: ACCOUNT },
  ): Promise<{ code: number; stdout: string; stderr: string }> {
    const inherited = Object.fromEntries(
      Object.entries(process.env).filter(([name]) => !name.startsWith("CLOUDFLARE_")),
    );
    try {
      const { stdout, stderr } = await run(process.execPath, ["bin/sidecart.mjs", ...args], {
        cwd: repoRoot,
        env: {
          ...inherited,
          WRANGLER_SEND_METRICS: "false",
          CLOUDFLARE_CF_FETCH_ENABLED: "false",
          CLOUDFLARE_API_BASE_URL: api.url,
          ...env,
        },
      });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const e = error as { code: number; stdout: string; stderr: string };
      return { code: e.code, stdout: e.stdout, stderr: e.stderr };
    }
  }

  function expectOneLine(result: { code: number; stderr: string }, fragment: string) {
    expect(result.code, result.stderr).toBe(1);
    const lines = result.stderr.trim().split("\n");
    expect(lines.filter((l) => l.startsWith("sidecart: "))).toHaveLength(1);
    expect(lines.at(-1)).toContain(fragment);
    expect(result.stderr).not.toMatch(/^\s+at /m);
  }

  it("publishes, then rolls back, through the API", async () => {
    const first = await sidecart(["publish", "--remote", "--from", dir(), "--namespace-id", NAMESPACE, "--json"]);
    expect(first.code, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ version: inject("seedModel").version });
    await expectIntact(inject("seedModel").version);
    // A second version beside it, then roll back to the CLI's one.
    await publishVersion(client(), versionOf("v-later"));
    const back = await sidecart(["rollback", "--remote", "--namespace-id", NAMESPACE]);
    expect(back.code, back.stderr).toBe(0);
    expect(JSON.parse(api.text(KvKeys.pointer) ?? "{}")).toMatchObject({ version: inject("seedModel").version });
    // The CLI moved a pointer; whether the worker loads that version only /healthz can say.
    expect(back.stderr).toContain(`pointer now at ${inject("seedModel").version} (was v-later`);
    expect(back.stderr).toContain("/healthz");
    expect(back.stderr).not.toContain("live version is now");
  });

  it("warns, and publishes anyway, when the deployed worker lacks the secrets it takes events with", async () => {
    const lacking = await sidecart(["publish", "--remote", "--from", dir(), "--namespace-id", NAMESPACE]);
    expect(lacking.code, lacking.stderr).toBe(0);
    expect(lacking.stderr).toContain("warning: worker sidecart lacks the secret UNIT_HASH_SALT");
    expect(api.text(KvKeys.pointer)).not.toBeNull();
    const folder = await mkdtemp(join(tmpdir(), "sidecart-wrangler-"));
    try {
      for (const [name, expected] of [
        ["x", null],
        ["not-deployed", "could not check worker not-deployed's secrets (the Workers API answered 404)"],
      ] as const) {
        const config = join(folder, `${name}.toml`);
        await writeFile(config, `name = "${name}"\n[[kv_namespaces]]\nbinding = "MODELS"\nid = "${NAMESPACE}"\n`);
        const result = await sidecart(["publish", "--remote", "--from", dir(), "--config", config]);
        expect(result.code, result.stderr).toBe(0);
        if (expected === null) expect(result.stderr).not.toContain("warning:");
        else expect(result.stderr).toContain(expected);
      }
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  it("takes the namespace id from the KV binding in the wrangler config, and refuses a local placeholder", async () => {
    const folder = await mkdtemp(join(tmpdir(), "sidecart-wrangler-"));
    try {
      const config = join(folder, "wrangler.toml");
      await writeFile(config, `name = "x"\n[[kv_namespaces]]\nbinding = "MODELS"\nid = "${NAMESPACE}"\n`);
      const ok = await sidecart(["publish", "--remote", "--from", dir(), "--config", config]);
      expect(ok.code, ok.stderr).toBe(0);
      expect(api.text(KvKeys.pointer)).not.toBeNull();
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
    expectOneLine(
      await sidecart(["publish", "--remote", "--from", dir()]),
      "is a local name, not a Cloudflare namespace id",
    );
  });

  it("--dry-run prints keys, sizes and requests and writes nothing, with no token at all", async () => {
    const result = await sidecart(
      ["publish", "--remote", "--dry-run", "--from", dir(), "--namespace-id", NAMESPACE],
      {},
    );
    expect(result.code, result.stderr).toBe(0);
    for (const key of keysOf(seed)) expect(result.stdout).toContain(key);
    expect(result.stdout).toContain(KvKeys.manifest(seed.manifest.version));
    expect(result.stdout).toMatch(/request +3 +sidecart\/current/);
    expect(result.stdout).toMatch(/4 write requests, [\d,]+ bytes of values/);
    expect(result.stdout).toContain("retention (--keep 5): not computed (needs CLOUDFLARE_API_TOKEN");
    expect(result.stdout).toContain("nothing was written");
    expect(api.requests).toEqual([]);
  });

  it("--dry-run with a token says what retention would delete, and still writes nothing", async () => {
    const kv = client();
    for (const v of ["d1", "d2", "d3"]) await publishVersion(kv, versionOf(v));
    const before = api.requests.length;
    const result = await sidecart([
      "publish",
      "--remote",
      "--dry-run",
      "--keep",
      "2",
      "--from",
      dir(),
      "--namespace-id",
      NAMESPACE,
      "--json",
    ]);
    expect(result.code, result.stderr).toBe(0);
    const plan = JSON.parse(result.stdout) as { requests: number; retention: { deleted: string[] } };
    // After publishing, live is the new one and previous d3: d1 and d2 go.
    expect(plan.retention.deleted).toEqual(["d1", "d2"]);
    expect(plan.requests).toBe(4);
    const during = api.requests.slice(before);
    expect(during.length).toBeGreaterThan(0);
    expect(during.every((r) => r.method === "GET")).toBe(true);
  });

  it("a bad token or missing credentials are one clear line, and nothing is written", async () => {
    const bad = await sidecart(["publish", "--remote", "--from", dir(), "--namespace-id", NAMESPACE], {
      CLOUDFLARE_API_TOKEN: "wrong",
      CLOUDFLARE_ACCOUNT_ID: ACCOUNT,
    });
    expectOneLine(bad, "Cloudflare API refused the credentials (HTTP 403");
    expect(bad.stderr).toContain("CLOUDFLARE_API_TOKEN");
    expect(api.store.size).toBe(0);
    const missing = await sidecart(["publish", "--remote", "--from", dir(), "--namespace-id", NAMESPACE], {
      CLOUDFLARE_API_TOKEN: TOKEN,
    });
    expectOneLine(missing, "--remote needs CLOUDFLARE_ACCOUNT_ID in the environment");
    expectOneLine(await sidecart(["publish", "--from", dir()]), "pass exactly one of --local and --remote");
  });
});

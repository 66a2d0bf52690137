import { describe, expect, it } from "vitest";
import { KvKeys } from "../../models/contract.js";
import { sha256Hex } from "../../models/digest.js";
import type { Manifest } from "../../models/manifest.js";
import {
  blobChunks,
  blobEntry,
  readBlob,
  readManifest,
  readPointer,
  StoredValueError,
  type ValueReader,
} from "../../models/versionStore.js";
import { readHistory, rollback } from "../../trainer/publish/history.js";
import { memoryKv } from "./helpers.js";

const bytes = (n: number, seed = 1) => Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed) & 0xff);

/** A reader over fixed values that counts what it was asked for. */
function reader(values: Record<string, Uint8Array | string>) {
  const asked: string[] = [];
  const store: ValueReader = {
    get: async (key) => {
      asked.push(key);
      const value = values[key];
      return value === undefined ? null : typeof value === "string" ? new TextEncoder().encode(value) : value;
    },
  };
  return { store, asked };
}

/** A manifest that validates, naming `version`. */
async function manifestOf(version: string): Promise<Manifest> {
  const entry = await blobEntry(version, "catalog.bin", bytes(10));
  return {
    schemaVersion: 1,
    version,
    createdAt: "2026-11-30T00:00:00.000Z",
    trainingWindow: { from: "2026-11-01T00:00:00.000Z", to: "2026-11-30T00:00:00.000Z" },
    dataFingerprint: "f",
    model: { itemCount: 1, dimension: 2, neighbours: 1, opset: 17, bytesPerItem: 1 },
    blobs: { model: entry, catalog: entry, evidence: entry },
    stats: {},
  };
}

const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => "resolved",
    (error: unknown) => (error instanceof StoredValueError ? error.code : `not a StoredValueError: ${String(error)}`),
  );

describe("the KV blob format (models/versionStore)", () => {
  it("joins a blob's chunks in order and checks it; one chunk is handed over without a copy", async () => {
    const blob = bytes(1000);
    const entry = { ...(await blobEntry("v1", "catalog.bin", blob)), chunks: 3 };
    const parts = [blob.subarray(0, 10), blob.subarray(10, 600), blob.subarray(600)];
    const { store } = reader(Object.fromEntries(parts.map((part, i) => [KvKeys.chunk(entry.key, i), part])));
    expect(await readBlob(store, entry)).toEqual(blob);

    const single = await blobEntry("v1", "evidence.bin", blob);
    expect(single).toMatchObject({ key: "sidecart/versions/v1/evidence.bin", bytes: 1000, chunks: 1 });
    expect(single.sha256).toBe(await sha256Hex(blob));
    const [[key, value] = ["", blob]] = blobChunks(single, blob);
    expect(value.buffer).toBe(blob.buffer);
    expect((await readBlob(reader({ [key]: blob }).store, single)).buffer).toBe(blob.buffer);
  });

  it("refuses a missing chunk, a blob larger or shorter than its manifest, and one whose bytes changed", async () => {
    const blob = bytes(100);
    const entry = { ...(await blobEntry("v1", "model.onnx", blob)), chunks: 2 };
    const [first, second] = [blob.subarray(0, 50), blob.subarray(50)];
    const chunk = (i: number) => KvKeys.chunk(entry.key, i);
    await expect(readBlob(reader({ [chunk(0)]: first }).store, entry)).rejects.toThrow(`${chunk(1)} is missing`);
    expect(await codeOf(readBlob(reader({ [chunk(0)]: first, [chunk(1)]: blob }).store, entry))).toBe(
      "blob_size_mismatch",
    );
    expect(await codeOf(readBlob(reader({ [chunk(0)]: first, [chunk(1)]: first }).store, entry))).toBe(
      "blob_checksum_mismatch",
    );
    expect(await codeOf(readBlob(reader({ [chunk(0)]: first, [chunk(1)]: second.subarray(1) }).store, entry))).toBe(
      "blob_size_mismatch",
    );
  });

  it("reads pointer, manifest and history as validated JSON: garbage is an error with a code, never a crash", async () => {
    expect(await readPointer(reader({}).store)).toBeNull();
    expect(await codeOf(readPointer(reader({ [KvKeys.pointer]: "{not json" }).store))).toBe("corrupt_json");
    expect(await codeOf(readPointer(reader({ [KvKeys.pointer]: '{"version":"../x"}' }).store))).toBe("invalid_pointer");
    expect(await codeOf(readManifest(reader({ [KvKeys.manifest("v1")]: "[]" }).store, "v1"))).toBe("invalid_manifest");
    const kv = memoryKv();
    await kv.put(KvKeys.history, "{truncated");
    expect(await codeOf(readHistory(kv))).toBe("corrupt_json");
  });

  it("refuses a manifest stored under another version's key", async () => {
    const { store } = reader({ [KvKeys.manifest("v1")]: JSON.stringify(await manifestOf("v2")) });
    await expect(readManifest(store, "v1")).rejects.toThrow("manifest under v1 names version v2");
    expect(
      (await readManifest(reader({ [KvKeys.manifest("v2")]: JSON.stringify(await manifestOf("v2")) }).store, "v2"))
        ?.version,
    ).toBe("v2");
  });

  it("rollback reads the target's manifest once", async () => {
    const kv = memoryKv();
    const pointer = (version: string) => ({ version, publishedAt: "2026-11-30T00:00:00.000Z" });
    await kv.put(KvKeys.pointer, JSON.stringify(pointer("v2")));
    await kv.put(KvKeys.history, JSON.stringify({ versions: [pointer("v1"), pointer("v2")] }));
    await kv.put(KvKeys.manifest("v1"), JSON.stringify(await manifestOf("v1")));
    const reads: string[] = [];
    const counted = { ...kv, get: (key: string) => (reads.push(key), kv.get(key)) };
    expect(await rollback(counted)).toMatchObject({ version: "v1", from: "v2" });
    expect(reads.filter((key) => key === KvKeys.manifest("v1"))).toHaveLength(1);
  });
});

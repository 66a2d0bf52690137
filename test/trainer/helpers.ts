import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import type { Manifest } from "../../models/manifest.js";
import { createReporter } from "../../trainer/progress.js";
import type { KvStore } from "../../trainer/publish/kvStore.js";

export const quiet = createReporter({ quiet: true });

/** The manifest of the same blobs published again under another version name (their keys move with it). */
export function renamedManifest(manifest: Manifest, version: string): Manifest {
  const blobs = Object.fromEntries(
    Object.entries(manifest.blobs).map(([name, entry]) => [
      name,
      { ...entry, key: entry.key.replace(manifest.version, version) },
    ]),
  ) as Manifest["blobs"];
  return { ...manifest, version, blobs };
}

/** Writes a file into a fresh temporary folder (gzip when the name ends in .gz). */
export async function tempFile(name: string, text: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "sidecart-unit-"));
  const path = join(dir, name);
  await writeFile(path, name.endsWith(".gz") ? gzipSync(text) : text);
  return path;
}

/** A KvStore in memory, without batch calls (like the local one): each test gets a fresh namespace. */
export function memoryKv(): KvStore {
  const map = new Map<string, Uint8Array>();
  return {
    put: async (key, value) => {
      map.set(key, typeof value === "string" ? new TextEncoder().encode(value) : value.slice());
    },
    get: async (key) => map.get(key) ?? null,
    delete: async (key) => {
      map.delete(key);
    },
    list: async (prefix) => [...map.keys()].filter((k) => k.startsWith(prefix)).sort(),
    close: async () => undefined,
  };
}

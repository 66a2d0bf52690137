import { resolve } from "node:path";
import { getPlatformProxy } from "wrangler";
import type { KvStore } from "./kvStore.js";
import { UserError } from "../errors.js";
import { boundedParallel } from "./boundedParallel.js";

/** Local writes in flight during a bulk write. */
const LOCAL_WRITE_CONCURRENCY = 32;

interface KvBinding {
  put(key: string, value: ArrayBuffer | string): Promise<void>;
  get(key: string, type: "arrayBuffer"): Promise<ArrayBuffer | null>;
  delete(key: string): Promise<void>;
  list(options: { prefix: string; cursor?: string }): Promise<{
    keys: { name: string }[];
    list_complete: boolean;
    cursor?: string;
  }>;
}

function isKvBinding(value: unknown): value is KvBinding {
  return typeof value === "object" && value !== null && "put" in value && "get" in value;
}

export interface LocalKvOptions {
  /** wrangler.toml whose KV binding to write. */
  configPath: string;
  binding: string;
  /** The folder `wrangler dev --persist-to` uses; wrangler's default is .wrangler/state. */
  persistTo: string;
}

/** wrangler's own local runtime for a config and a persistence folder, with remote bindings off (no account). */
export async function openLocalPlatform(options: Omit<LocalKvOptions, "binding">) {
  process.env.WRANGLER_SEND_METRICS ??= "false";
  process.env.CLOUDFLARE_CF_FETCH_ENABLED ??= "false";
  return getPlatformProxy<Record<string, unknown>>({
    configPath: options.configPath,
    persist: { path: resolve(options.persistTo, "v3") },
    remoteBindings: false,
    envFiles: [],
  });
}

type Platform = Awaited<ReturnType<typeof openLocalPlatform>>;

/** A KV binding of an open platform as a KvStore; closing it disposes the platform. */
export function kvStoreOf(platform: Platform, binding: string, configPath: string): KvStore {
  const kv = platform.env[binding];
  if (!isKvBinding(kv)) throw new UserError(`${configPath}: no KV namespace bound as ${binding}`);
  return {
    async put(key, value) {
      await kv.put(key, typeof value === "string" ? value : value.slice().buffer);
    },
    // Local KV has no bulk write; parallel puts are its equivalent (a million-item model has ~17,600 pages).
    putMany: (entries) =>
      boundedParallel(entries, LOCAL_WRITE_CONCURRENCY, async ([key, value]) => {
        await kv.put(key, typeof value === "string" ? value : value.slice().buffer);
      }),
    async get(key) {
      const value = await kv.get(key, "arrayBuffer");
      return value === null ? null : new Uint8Array(value);
    },
    delete: (key) => kv.delete(key),
    async list(prefix) {
      const names: string[] = [];
      let cursor: string | undefined;
      for (;;) {
        const page = await kv.list(cursor === undefined ? { prefix } : { prefix, cursor });
        names.push(...page.keys.map((k) => k.name));
        if (page.list_complete || page.cursor === undefined) return names;
        cursor = page.cursor;
      }
    },
    close: () => platform.dispose(),
  };
}

/**
 * The local KV namespace exactly as `wrangler dev` sees it: wrangler's own getPlatformProxy, reading
 * the same wrangler.toml and the same persistence folder.
 */
export async function openLocalKv(options: LocalKvOptions): Promise<KvStore> {
  const platform = await openLocalPlatform(options);
  try {
    return kvStoreOf(platform, options.binding, options.configPath);
  } catch (error) {
    await platform.dispose();
    throw error;
  }
}

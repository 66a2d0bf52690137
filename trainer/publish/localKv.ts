import { resolve } from "node:path";
import { getPlatformProxy } from "wrangler";
import type { KvStore } from "./kvStore.js";
import { UserError } from "../errors.js";

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

/**
 * The local KV namespace exactly as `wrangler dev` sees it: wrangler's own getPlatformProxy, reading
 * the same wrangler.toml and the same persistence folder, with remote bindings off (no account).
 */
export async function openLocalKv(options: LocalKvOptions): Promise<KvStore> {
  process.env.WRANGLER_SEND_METRICS ??= "false";
  const proxy = await getPlatformProxy<Record<string, unknown>>({
    configPath: options.configPath,
    persist: { path: resolve(options.persistTo, "v3") },
    remoteBindings: false,
    envFiles: [],
  });
  const kv = proxy.env[options.binding];
  if (!isKvBinding(kv)) {
    await proxy.dispose();
    throw new UserError(`${options.configPath}: no KV namespace bound as ${options.binding}`);
  }
  return {
    async put(key, value) {
      await kv.put(key, typeof value === "string" ? value : value.slice().buffer);
    },
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
    close: () => proxy.dispose(),
  };
}

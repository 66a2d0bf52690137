/** The part of a KV namespace the publisher needs; local (Miniflare) and remote (REST) both fit. */
export interface KvStore {
  put(key: string, value: Uint8Array | string): Promise<void>;
  get(key: string): Promise<Uint8Array | null>;
  delete(key: string): Promise<void>;
  /** Every key under a prefix. */
  list(prefix: string): Promise<string[]>;
  close(): Promise<void>;
}

export async function getText(kv: KvStore, key: string): Promise<string | null> {
  const bytes = await kv.get(key);
  return bytes === null ? null : new TextDecoder().decode(bytes);
}

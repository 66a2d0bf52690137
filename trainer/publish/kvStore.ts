/** The part of a KV namespace the publisher needs; local (Miniflare) and remote (REST) both fit. */
export interface KvStore {
  put(key: string, value: Uint8Array | string): Promise<void>;
  /**
   * Writes many values, in as few round trips as the store allows (the REST API's bulk write). No
   * order among them is promised: a caller that needs one value after others calls it twice.
   */
  putMany?(entries: readonly (readonly [string, Uint8Array | string])[]): Promise<void>;
  get(key: string): Promise<Uint8Array | null>;
  delete(key: string): Promise<void>;
  /** Deletes many keys in as few round trips as the store allows; missing keys are no error. */
  deleteMany?(keys: readonly string[]): Promise<void>;
  /** Every key under a prefix. */
  list(prefix: string): Promise<string[]>;
  close(): Promise<void>;
}

export async function getText(kv: KvStore, key: string): Promise<string | null> {
  const bytes = await kv.get(key);
  return bytes === null ? null : new TextDecoder().decode(bytes);
}

/** Many writes through the store's batch call when it has one, else one by one. */
export async function putAll(kv: KvStore, entries: readonly (readonly [string, Uint8Array | string])[]): Promise<void> {
  if (entries.length === 0) return;
  if (kv.putMany) return kv.putMany(entries);
  for (const [key, value] of entries) await kv.put(key, value);
}

/** Many deletes through the store's batch call when it has one, else one by one. */
export async function deleteAll(kv: KvStore, keys: readonly string[]): Promise<void> {
  if (keys.length === 0) return;
  if (kv.deleteMany) return kv.deleteMany(keys);
  for (const key of keys) await kv.delete(key);
}

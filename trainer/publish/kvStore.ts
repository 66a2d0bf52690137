/** The part of a KV namespace the publisher needs; local (Miniflare) and remote (REST) both fit. */
export interface KvStore {
  put(key: string, value: Uint8Array | string): Promise<void>;
  get(key: string): Promise<Uint8Array | null>;
  close(): Promise<void>;
}

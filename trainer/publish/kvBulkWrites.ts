/** What the KV REST API accepts in one request (developers.cloudflare.com/kv/platform/limits). */
export interface BulkLimits {
  /** Pairs (or keys to delete) in one bulk request. */
  pairs: number;
  /** Bytes of one request body. */
  requestBytes: number;
  /** A value must stay below this many bytes, decoded. */
  valueBytes: number;
}

export const KV_API_LIMITS: BulkLimits = { pairs: 10_000, requestBytes: 100_000_000, valueBytes: 25 * 1024 * 1024 };

export type Entry = readonly [string, Uint8Array | string];

export interface BulkRequestPlan {
  entries: Entry[];
  /** Size of the JSON body this request sends. */
  bodyBytes: number;
}

const base64Length = (bytes: number) => 4 * Math.ceil(bytes / 3);

/** The JSON one pair takes in a bulk body, measured without encoding it (a 20 MiB chunk need not be copied to be sized). */
function pairJsonBytes([key, value]: Entry): number {
  const keyJson = Buffer.byteLength(JSON.stringify(key));
  if (typeof value === "string")
    return Buffer.byteLength(`{"key":,"value":}`) + keyJson + Buffer.byteLength(JSON.stringify(value));
  return Buffer.byteLength(`{"key":,"value":"","base64":true}`) + keyJson + base64Length(value.length);
}

const decodedBytes = (value: Uint8Array | string) =>
  typeof value === "string" ? Buffer.byteLength(value) : value.length;

/**
 * Splits writes into bulk requests the API accepts: at most `pairs` pairs and `requestBytes` of JSON
 * each, in the given order. A value at or above the value limit is a bug upstream (blobs are chunked
 * under it), so it throws rather than being sent to fail.
 */
export function planBulkWrites(entries: readonly Entry[], limits: BulkLimits = KV_API_LIMITS): BulkRequestPlan[] {
  const plans: BulkRequestPlan[] = [];
  let current: BulkRequestPlan = { entries: [], bodyBytes: 2 };
  for (const entry of entries) {
    if (decodedBytes(entry[1]) >= limits.valueBytes) {
      throw new Error(`${entry[0]}: ${decodedBytes(entry[1])} bytes, KV takes values below ${limits.valueBytes}`);
    }
    // "[" and "]" are in the starting 2 bytes; every pair after the first adds a comma.
    const bytes = pairJsonBytes(entry);
    const full = current.entries.length >= limits.pairs || current.bodyBytes + 1 + bytes > limits.requestBytes;
    if (current.entries.length > 0 && full) {
      plans.push(current);
      current = { entries: [], bodyBytes: 2 };
    }
    if (current.bodyBytes + bytes > limits.requestBytes) {
      throw new Error(
        `${entry[0]}: one pair needs ${bytes + 2} bytes of request, the API takes ${limits.requestBytes}`,
      );
    }
    current.bodyBytes += (current.entries.length > 0 ? 1 : 0) + bytes;
    current.entries.push(entry);
  }
  if (current.entries.length > 0) plans.push(current);
  return plans;
}

/** The JSON body of one bulk write: binary values go as base64. */
export function bulkBody(entries: readonly Entry[]): string {
  const pairs = entries.map(([key, value]) =>
    typeof value === "string"
      ? { key, value }
      : { key, value: Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString("base64"), base64: true },
  );
  return JSON.stringify(pairs);
}

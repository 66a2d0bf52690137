import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex } from "@noble/hashes/utils.js";

/*
 * SHA-256, the one place sidecart computes it. Two engines behind it, chosen by what the caller needs:
 * - Web Crypto (native, async; workerd and Node ≥ 20) for blobs: the worker checks every blob at cold
 *   start, 14 MB at 50k items, and native hashing is ~6× faster than pure JS (20 MiB: ~45 ms vs ~300 ms).
 * - @noble/hashes (pure JS) where a caller cannot await (experiment assignment on every request, the
 *   config digest) or hashes a stream it never holds whole (the trainer's input fingerprint).
 * Both give the same digest; node:crypto is not used so the same code runs in the worker and the CLI.
 */

const hex = (digest: Uint8Array) => bytesToHex(digest);

/** Hex SHA-256 of a blob, natively (Web Crypto). */
export async function sha256Hex(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  return hex(new Uint8Array(await crypto.subtle.digest("SHA-256", bytes)));
}

/** SHA-256 of a short text, synchronously: the 32 digest bytes. */
export function sha256OfText(text: string): Uint8Array {
  return sha256(new TextEncoder().encode(text));
}

/** Hex SHA-256 of a short text, synchronously. */
export function sha256HexOfText(text: string): string {
  return hex(sha256OfText(text));
}

/** A SHA-256 fed piece by piece, for inputs too large to hold at once. */
export interface Sha256Stream {
  update(chunk: Uint8Array): void;
  /** The hex digest of everything fed so far (call once). */
  hex(): string;
}

export function sha256Stream(): Sha256Stream {
  const hash = sha256.create();
  return {
    update: (chunk) => void hash.update(chunk),
    hex: () => hex(hash.digest()),
  };
}

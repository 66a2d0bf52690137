import type { TokenKeys } from "./eventToken.js";

/**
 * LOCAL ONLY. The key `wrangler dev` and the tests sign with when no EVENT_TOKEN_KEY secret is set. It is
 * public (it is in this repository), so a deployment running on it accepts events anyone can forge:
 * production must set the secret (docs/api.md, "Events and their tokens"). The worker warns once per isolate.
 */
export const LOCAL_ONLY_TOKEN_KEY = "sidecart-local-only-event-token-key";

// Importing a key is async work; the secrets only change with a deploy, so once per isolate.
const imported = new Map<string, Promise<CryptoKey>>();

function hmacKey(secret: string): Promise<CryptoKey> {
  let key = imported.get(secret);
  if (key === undefined) {
    const raw = new TextEncoder().encode(secret);
    key = crypto.subtle.importKey("raw", raw, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
    imported.set(secret, key);
  }
  return key;
}

/** HMAC keys from secret strings: the worker's (tokenKeys), or a test's minting tokens as the worker would. */
export async function keysFrom(current: string, previous?: string): Promise<TokenKeys> {
  return { current: await hmacKey(current), previous: previous === undefined ? undefined : await hmacKey(previous) };
}

import type { TokenKeys } from "./eventToken.js";

declare global {
  namespace Cloudflare {
    interface Env {
      /** HMAC key for event tokens: a secret (`wrangler secret put EVENT_TOKEN_KEY`), never a var. */
      EVENT_TOKEN_KEY?: string;
      /** The key before the last rotation: its tokens stay good until they expire. */
      EVENT_TOKEN_KEY_PREVIOUS?: string;
    }
  }
}

/**
 * LOCAL ONLY. The key `wrangler dev` and the tests sign with when no EVENT_TOKEN_KEY secret is set. It is
 * public (it is in this repository), so a deployment running on it accepts events anyone can forge:
 * production must set the secret (README, "Events and their tokens"). /healthz says which key signs.
 */
export const LOCAL_ONLY_TOKEN_KEY = "sidecart-local-only-event-token-key";

export type TokenKeySource = "secret" | "local-default";

export interface TokenSecrets {
  current: string;
  previous: string | undefined;
  source: TokenKeySource;
}

let warned = false;

export function tokenSecrets(env: Pick<Env, "EVENT_TOKEN_KEY" | "EVENT_TOKEN_KEY_PREVIOUS">): TokenSecrets {
  const current = env.EVENT_TOKEN_KEY?.trim();
  const previous = env.EVENT_TOKEN_KEY_PREVIOUS?.trim();
  if (current) return { current, previous: previous || undefined, source: "secret" };
  if (!warned) {
    warned = true;
    // Once per isolate, where operators look (wrangler tail): harmless locally, a hole in production.
    console.warn("EVENT_TOKEN_KEY is not set: event tokens use the public local-only key (set the secret)");
  }
  return { current: LOCAL_ONLY_TOKEN_KEY, previous: undefined, source: "local-default" };
}

// Importing a key is async work per call; the secrets only change with a deploy, so once per isolate.
const imported = new Map<string, Promise<CryptoKey>>();

function hmacKey(secret: string): Promise<CryptoKey> {
  let key = imported.get(secret);
  if (key === undefined) {
    key = crypto.subtle.importKey("raw", new TextEncoder().encode(secret), { name: "HMAC", hash: "SHA-256" }, false, [
      "sign",
    ]);
    imported.set(secret, key);
  }
  return key;
}

export async function tokenKeys(env: Pick<Env, "EVENT_TOKEN_KEY" | "EVENT_TOKEN_KEY_PREVIOUS">): Promise<TokenKeys> {
  const secrets = tokenSecrets(env);
  return {
    current: await hmacKey(secrets.current),
    previous: secrets.previous === undefined ? undefined : await hmacKey(secrets.previous),
  };
}

/** Keys from given secrets (tests and tools that mint tokens as the worker would). */
export async function keysFrom(current: string, previous?: string): Promise<TokenKeys> {
  return { current: await hmacKey(current), previous: previous === undefined ? undefined : await hmacKey(previous) };
}

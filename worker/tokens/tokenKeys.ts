import type { TokenKeys } from "./eventToken.js";
import { keysFrom, LOCAL_ONLY_TOKEN_KEY } from "./hmacKeys.js";

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

export type TokenKeySource = "secret" | "local-default";

export interface TokenSecrets {
  current: string;
  previous: string | undefined;
  source: TokenKeySource;
}

type TokenEnv = Pick<Env, "EVENT_TOKEN_KEY" | "EVENT_TOKEN_KEY_PREVIOUS">;

let warned = false;

/** The secrets that sign and verify event tokens: EVENT_TOKEN_KEY (+ _PREVIOUS), else the local-only key. */
export function tokenSecrets(env: TokenEnv): TokenSecrets {
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

export async function tokenKeys(env: TokenEnv): Promise<TokenKeys> {
  const { current, previous } = tokenSecrets(env);
  return keysFrom(current, previous);
}

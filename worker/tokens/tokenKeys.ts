import type { TokenKeys } from "./eventToken.js";
import { keysFrom, LOCAL_ONLY_TOKEN_KEY } from "./hmacKeys.js";

declare global {
  namespace Cloudflare {
    interface Env {
      /** HMAC key for event tokens: a secret (`wrangler secret put EVENT_TOKEN_KEY`), never a var. */
      EVENT_TOKEN_KEY?: string;
      /** The key before the last rotation: its tokens stay good until they expire. */
      EVENT_TOKEN_KEY_PREVIOUS?: string;
      /**
       * "1" only where the worker runs on this machine: `npm start`/`npm run serve`, the tests and the
       * benches pass it (`--var SIDECART_LOCAL:1`, Miniflare bindings); wrangler.toml does not, so a
       * deployed worker never has it. Only then may the public local key and salt stand in for secrets.
       */
      SIDECART_LOCAL?: string;
    }
  }
}

/** The salt wrangler.toml ships for local use: public, so it hides no unit id once deployed. */
export const LOCAL_UNIT_SALT = "sidecart-local";

/** Where the token key comes from: the secret, the public local key (local runs only), or nowhere. */
export type TokenKeySource = "secret" | "local-default" | "missing";

export interface TokenSecrets {
  current: string | null;
  previous: string | undefined;
  source: TokenKeySource;
}

type TokenEnv = Pick<Env, "EVENT_TOKEN_KEY" | "EVENT_TOKEN_KEY_PREVIOUS" | "SIDECART_LOCAL">;

export const isLocal = (env: Pick<Env, "SIDECART_LOCAL">): boolean => env.SIDECART_LOCAL === "1";

let warned = false;

/**
 * The secrets that sign and verify event tokens: EVENT_TOKEN_KEY (+ _PREVIOUS); on this machine only,
 * the public local key in their place. Deployed without the secret there is none: answers carry no
 * token and events are refused (fail closed), rather than signed with a key anyone can read.
 */
export function tokenSecrets(env: TokenEnv): TokenSecrets {
  const current = env.EVENT_TOKEN_KEY?.trim();
  const previous = env.EVENT_TOKEN_KEY_PREVIOUS?.trim();
  if (current) return { current, previous: previous || undefined, source: "secret" };
  if (isLocal(env)) return { current: LOCAL_ONLY_TOKEN_KEY, previous: undefined, source: "local-default" };
  if (!warned) {
    warned = true;
    // Once per isolate, where operators look (wrangler tail).
    console.error("EVENT_TOKEN_KEY is not set: answers carry no event token and POST /v1/events answers 503");
  }
  return { current: null, previous: undefined, source: "missing" };
}

/** The token keys, or null when a deployed worker has no secret to sign with. */
export async function tokenKeys(env: TokenEnv): Promise<TokenKeys | null> {
  const { current, previous } = tokenSecrets(env);
  return current === null ? null : keysFrom(current, previous);
}

/**
 * Why this worker may not take events, or null: no token key (above), or the public local salt deployed
 * (stored unit pseudonyms would then be anyone's to reverse by trying ids).
 */
export function eventsBlocked(env: TokenEnv & Pick<Env, "UNIT_HASH_SALT">): { code: string; message: string } | null {
  if (tokenSecrets(env).source === "missing")
    return { code: "token_key_missing", message: "the EVENT_TOKEN_KEY secret is not set (wrangler secret put)" };
  if (!isLocal(env) && env.UNIT_HASH_SALT === LOCAL_UNIT_SALT)
    return {
      code: "unit_salt_missing",
      message: "UNIT_HASH_SALT is the public local salt (delete the var and wrangler secret put UNIT_HASH_SALT)",
    };
  return null;
}

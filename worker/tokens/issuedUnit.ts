import type { TokenKeys } from "./eventToken.js";

/*
 * Unit ids the worker issues when a request names none: "i1." + 96 random bits + "." + 72 bits of
 * HMAC-SHA-256 over them under the event token key. The widget keeps the one it is given, so a
 * shopper's unit is the worker's, not one a script picked; and a client gets at most UNITS_LIMITER's
 * budget of new ones (wrangler.toml), so trying units until enough land in one arm is slow.
 */
const PREFIX = "i1";
const RANDOM_BYTES = 12;
const MAC_BYTES = 9;
const encoder = new TextEncoder();

function base64url(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

async function macOf(key: CryptoKey, random: string): Promise<string> {
  const full = await crypto.subtle.sign("HMAC", key, encoder.encode(`unit\u001f${random}`));
  return base64url(new Uint8Array(full, 0, MAC_BYTES));
}

/** A new unit id, signed with the current key. */
export async function issueUnit(keys: TokenKeys): Promise<string> {
  const random = base64url(crypto.getRandomValues(new Uint8Array(RANDOM_BYTES)));
  return `${PREFIX}.${random}.${await macOf(keys.current, random)}`;
}

/** Whether a unit id is one this worker issued (under the current or the previous key). */
export async function isIssuedUnit(keys: TokenKeys, unit: string): Promise<boolean> {
  const [prefix, random, mac, extra] = unit.split(".");
  if (prefix !== PREFIX || random === undefined || mac === undefined || extra !== undefined) return false;
  if ((await macOf(keys.current, random)) === mac) return true;
  return keys.previous !== undefined && (await macOf(keys.previous, random)) === mac;
}

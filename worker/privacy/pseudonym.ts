import { sha256HexOfText } from "../../models/digest.js";

/**
 * Unit ids (shopper or session ids) and client IPs are personal data. Whatever sidecart stores or hands
 * to another service (D1 events, rate-limiter keys) is a salted SHA-256 of them instead: the first 128
 * bits, hex. Enough to count units per arm or requests per client, never enough to get the value back
 * without the salt (`UNIT_HASH_SALT`, a secret in production).
 */
export async function pseudonym(value: string, salt: string): Promise<string> {
  return sha256HexOfText(`${salt}\u0000${value}`).slice(0, 32);
}

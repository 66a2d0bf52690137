/**
 * Unit ids (shopper or session ids) and client IPs are personal data. Whatever sidecart stores or hands
 * to another service (D1 events, rate-limiter keys) is a salted SHA-256 of them instead: the first 128
 * bits, hex. Enough to count units per arm or requests per client, never enough to get the value back
 * without the salt (`UNIT_HASH_SALT`, a secret in production).
 */
export async function pseudonym(value: string, salt: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(`${salt}\u0000${value}`));
  return Array.from(new Uint8Array(digest).subarray(0, 16), (b) => b.toString(16).padStart(2, "0")).join("");
}

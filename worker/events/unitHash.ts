/**
 * Unit ids are shopper or session ids: personal data. They are stored as a salted SHA-256 (the first
 * 128 bits, hex), enough to count units per arm and never enough to get the id back without the salt.
 */
export async function hashUnit(unit: string, salt: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(`${salt}\u0000${unit}`));
  return Array.from(new Uint8Array(digest).subarray(0, 16), (b) => b.toString(16).padStart(2, "0")).join("");
}

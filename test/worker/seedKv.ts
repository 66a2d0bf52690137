import "../seedModel.js";
import { env } from "cloudflare:test";
import { beforeAll, inject } from "vitest";

export function fromBase64(text: string): ArrayBuffer {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes.buffer;
}

// Real local KV, seeded with the models the global setup trained.
beforeAll(async () => {
  for (const [key, value] of inject("seedModel").entries) await env.MODELS.put(key, fromBase64(value));
  for (const [key, value] of inject("journeyModel").entries) await env.JOURNEY_MODELS.put(key, fromBase64(value));
});

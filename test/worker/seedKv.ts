import "../seedModel.js";
import { env } from "cloudflare:test";
import { beforeAll, inject } from "vitest";
import { KvKeys } from "../../models/contract.js";

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
  // The experiment tests' namespace: the retail model live, the journey model published beside it (to pin).
  for (const [key, value] of inject("journeyModel").entries) {
    if (key !== KvKeys.pointer) await env.CONFIG_MODELS.put(key, fromBase64(value));
  }
  for (const [key, value] of inject("seedModel").entries) await env.CONFIG_MODELS.put(key, fromBase64(value));
});

import "../seedModel.js";
import { env } from "cloudflare:test";
import { beforeAll, inject } from "vitest";

function fromBase64(text: string): ArrayBuffer {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes.buffer;
}

// Real local KV, seeded with the model the global setup trained on the bundled sample.
beforeAll(async () => {
  for (const [key, value] of inject("seedModel").entries) await env.MODELS.put(key, fromBase64(value));
});

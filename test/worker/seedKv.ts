import "../seedModel.js";
import { env } from "cloudflare:test";
import { beforeAll, inject } from "vitest";
import { KvKeys } from "../../models/contract.js";

import { fromBase64 } from "../base64.js";

export { fromBase64 };

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

import { env } from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import { parseConfigDocument } from "../../models/config/configDocument.js";
import { UNIT_TOTALS } from "../../models/events/event.js";
import { assign } from "../../models/experiments/assign.js";
import { ModelSource } from "../../worker/model/modelSource.js";
import { pseudonym } from "../../worker/privacy/pseudonym.js";
import { mintToken, sampleEvent } from "./sampleEvent.js";
import { askCart, testApp } from "./testApp.js";

interface Answer {
  experiments: { id: string; variant: string }[];
  model: { version: string };
  items: { sku: string }[];
  token?: string;
}
interface Refusal {
  error: { code: string; message: string };
}

const experiment = {
  id: "forgery-check",
  salt: "forgery-check-salt",
  enabled: true,
  traffic: 1,
  surfaces: ["also-bought", "cart"],
  variants: [
    { name: "control", weight: 1, rules: { crossSell: { priceRatio: 0.3 } } },
    { name: "tight", weight: 1, rules: { crossSell: { priceRatio: 0.2 } } },
  ],
};
type Experiment = Parameters<typeof assign>[0];
const ANCHOR = "85123A";
const otherArm = (variant: string) => (variant === "tight" ? "control" : "tight");

const app = testApp({
  models: new ModelSource({ refreshMs: 3_600_000 }),
  config: { experiments: [experiment], events: { maxPurchaseValue: 500 } },
});

async function ask(unit: string, bindings: Env = env): Promise<Answer> {
  const response = await app.request(`/v1/items/${ANCHOR}/also-bought?unit=${unit}`, {}, bindings);
  expect(response.status).toBe(200);
  return response.json<Answer>();
}

const post = (events: unknown[], bindings: Env = env) =>
  app.request(
    "/v1/events",
    { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ events }) },
    bindings,
  );

/** What `sidecart experiments report` reads: per arm, the sums of the stored events. */
async function armTotals() {
  const { results } = await env.EVENTS.prepare(UNIT_TOTALS)
    .all<{ experiment: string; variant: string; impressions: number; clicks: number; revenue: number }>()
    .catch(() => ({ results: [] }));
  const totals: Record<string, { units: number; impressions: number; clicks: number; revenue: number }> = {};
  for (const row of results.filter((r) => r.experiment === experiment.id)) {
    const arm = (totals[row.variant] ??= { units: 0, impressions: 0, clicks: 0, revenue: 0 });
    arm.units += 1;
    arm.impressions += Number(row.impressions);
    arm.clicks += Number(row.clicks);
    arm.revenue += Number(row.revenue);
  }
  return totals;
}

/** A storefront's events about an answer, as the widget builds them. */
function eventsAbout(answer: Answer, unit: string, token = answer.token) {
  const [label] = answer.experiments;
  const base = sampleEvent({ anchor: ANCHOR, experiment: label?.id, variant: label?.variant, unit, token });
  const sku = answer.items[0]?.sku ?? "22423";
  return [
    { ...base, sku },
    { ...base, sku, type: "click" },
    { ...base, sku, type: "purchase", value: 1e9 },
  ];
}

describe("event tokens: only events an answer vouches for reach the report", () => {
  it("accepts a real session's events with its answer's token, and stores no forged one", async () => {
    const unit = `real-${crypto.randomUUID()}`;
    const answer = await ask(unit);
    const variant = answer.experiments[0]?.variant ?? "";
    expect(variant).toBe(assign(experiment as Experiment, unit).variant);
    expect(answer.token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{16}$/);
    const before = await armTotals();

    const forger = `forger-${crypto.randomUUID()}`;
    const forgedClaims = { surface: "also-bought", anchor: ANCHOR, experiment: experiment.id, variant, unit: forger };
    const forgeries: [string, unknown[], number, string][] = [
      ["no token", eventsAbout(answer, forger).map((e) => ({ ...e, token: undefined })), 400, "invalid_body"],
      ["a made-up token", eventsAbout(answer, forger, "AAAA.AAAAAAAAAAAAAAAA"), 403, "token_invalid"],
      ["another unit's token", eventsAbout(answer, forger), 403, "token_invalid"],
      [
        "a token for the other arm",
        eventsAbout(
          { ...answer, experiments: [{ id: experiment.id, variant: otherArm(variant) }] },
          unit,
          answer.token,
        ),
        403,
        "token_arm_mismatch",
      ],
      [
        "an expired token",
        eventsAbout(answer, forger, await mintToken(forgedClaims, { issuedAt: Date.now() - 25 * 3_600_000 })),
        403,
        "token_expired",
      ],
      [
        "a token signed with another key",
        eventsAbout(answer, forger, await mintToken(forgedClaims, { key: "not-the-worker's-key" })),
        403,
        "token_invalid",
      ],
      [
        "a token for another anchor",
        eventsAbout(answer, unit).map((e) => ({ ...e, anchor: "22423" })),
        403,
        "token_invalid",
      ],
      [
        "a token for another surface",
        eventsAbout(answer, unit).map((e) => ({ ...e, surface: "bundle" })),
        403,
        "token_invalid",
      ],
    ];
    for (const [what, events, status, code] of forgeries) {
      const response = await post(events);
      expect(response.status, what).toBe(status);
      const { error } = await response.json<Refusal>();
      expect(error.code, what).toBe(code);
      expect(error.message, what).toContain("token");
    }
    // One good event beside a forged one: the batch is refused whole.
    const mixed = [...eventsAbout(answer, unit), ...eventsAbout(answer, forger)];
    expect((await post(mixed)).status).toBe(403);
    expect(await armTotals()).toEqual(before);

    // The real session: impression, click, and a purchase clamped to the configured 500.
    const accepted = await post(eventsAbout(answer, unit));
    expect(accepted.status).toBe(202);
    const after = await armTotals();
    const arm = before[variant] ?? { units: 0, impressions: 0, clicks: 0, revenue: 0 };
    expect(after[variant]).toEqual({
      units: arm.units + 1,
      impressions: arm.impressions + 1,
      clicks: arm.clicks + 1,
      revenue: arm.revenue + 500,
    });
    expect(after[otherArm(variant)]).toEqual(before[otherArm(variant)]);
    const stored = await env.EVENTS.prepare("SELECT value FROM events WHERE unit = ? AND type = 'purchase'")
      .bind(await pseudonym(unit, env.UNIT_HASH_SALT))
      .all<{ value: number }>();
    expect(stored.results).toEqual([{ value: 500 }]);
  });

  it("keeps tokens signed with the previous key good after a rotation, and signs with the new one", async () => {
    const unit = `rotation-${crypto.randomUUID()}`;
    const before = await ask(unit, { ...env, EVENT_TOKEN_KEY: "key-one" });
    const rotated = { ...env, EVENT_TOKEN_KEY: "key-two", EVENT_TOKEN_KEY_PREVIOUS: "key-one" };
    const after = await ask(unit, rotated);
    expect(after.token).not.toBe(before.token);
    expect((await post(eventsAbout(before, unit), rotated)).status).toBe(202);
    expect((await post(eventsAbout(after, unit), rotated)).status).toBe(202);
    // Once the previous key is retired, its tokens are refused.
    const retired = await post(eventsAbout(before, unit), { ...env, EVENT_TOKEN_KEY: "key-two" });
    expect(retired.status).toBe(403);
    expect((await retired.json<Refusal>()).error.code).toBe("token_invalid");
  });

  it("gives each unit its own token when an arm's answers come from the answer cache", async () => {
    // Two isolates: the second has an empty memo, so its hit comes from the Cache API.
    const isolates = [0, 1].map(() => testApp({ config: { experiments: [experiment] }, answerCacheSeconds: 60 }));
    const units = Array.from({ length: 40 }, (_, i) => `cache-${i}-${crypto.randomUUID()}`);
    const sameArm = units.filter((u) => assign(experiment as Experiment, u).variant === "control").slice(0, 3);
    const answers: { unit: string; answer: Answer; cache: string | null }[] = [];
    for (const [i, unit] of sameArm.entries()) {
      const isolate = isolates[i < 2 ? 0 : 1];
      const response = await isolate?.request(`/v1/items/${ANCHOR}/also-bought?unit=${unit}`, {}, env);
      const answer = await response?.json<Answer>();
      if (answer) answers.push({ unit, answer, cache: response?.headers.get("X-Sidecart-Cache") ?? null });
    }
    expect(answers.map((a) => a.cache)).toEqual(["miss", "hit", "hit"]);
    expect(new Set(answers.map((a) => a.answer.token)).size).toBe(3);
    for (const { unit, answer } of answers) expect((await post(eventsAbout(answer, unit))).status).toBe(202);
    // No unit, no token.
    const anonymous = await isolates[0]?.request(`/v1/items/${ANCHOR}/also-bought`, {}, env);
    expect((await anonymous?.json<Answer>())?.token).toBeUndefined();
  });

  it("answers a revalidation with a fresh body, not 304, once the browser's token could have expired", async () => {
    const unit = `return-${crypto.randomUUID()}`;
    const first = await app.request(`/v1/items/${ANCHOR}/also-bought?unit=${unit}`, {}, env);
    const tag = first.headers.get("ETag") ?? "";
    const firstBody = await first.json<Answer>();
    const again = () =>
      app.request(`/v1/items/${ANCHOR}/also-bought?unit=${unit}`, { headers: { "If-None-Match": tag } }, env);
    expect((await again()).status).toBe(304);
    // A day later (tokens last 24 h): a 304 would leave the browser with the expired token it has.
    vi.useFakeTimers({ now: Date.now() + 24 * 3_600_000, toFake: ["Date"] });
    try {
      const later = await again();
      expect(later.status).toBe(200);
      const { token } = await later.json<Answer>();
      expect(token).not.toBe(firstBody.token);
      expect((await post(eventsAbout({ ...firstBody, token }, unit))).status).toBe(202);
    } finally {
      vi.useRealTimers();
    }
  });

  it("vouches for cart events with the cart answer's token", async () => {
    const unit = `cart-${crypto.randomUUID()}`;
    const response = await askCart(app, [ANCHOR, "22423"], unit, env);
    expect(response.status).toBe(200);
    const answer = await response.json<Answer>();
    const [label] = answer.experiments;
    const event = sampleEvent({ surface: "cart", anchor: undefined, experiment: label?.id, variant: label?.variant });
    const events = [{ ...event, unit, token: answer.token }];
    expect((await post(events)).status).toBe(202);
    // The cart's token is not an item answer's.
    const asItem = await post([{ ...events[0], surface: "also-bought", anchor: ANCHOR }]);
    expect((await asItem.json<Refusal>()).error.code).toBe("token_invalid");
  });

  it("takes the token lifetime and the purchase cap from the config document, with defaults", () => {
    const parsed = parseConfigDocument({});
    expect(parsed.ok && parsed.document.events).toEqual({ tokenTtlHours: 24, maxPurchaseValue: 10_000, units: "any" });
    const refused = parseConfigDocument({ events: { tokenTtlHours: 1, maxPurchaseValue: -5, colour: "red" } });
    expect(refused.ok).toBe(false);
    const errors = refused.ok ? [] : refused.errors.join("\n");
    for (const path of ["events.tokenTtlHours", "events.maxPurchaseValue", "colour"]) expect(errors).toContain(path);
  });

  it("publishes experiment ids and arms on /v1/model, never the salt", async () => {
    const text = await (await app.request("/v1/model", {}, env)).text();
    expect(text).not.toContain(experiment.salt);
    const body = JSON.parse(text) as { config: { experiments: unknown[] } };
    expect(body.config.experiments).toEqual([
      {
        id: "forgery-check",
        enabled: true,
        surfaces: ["also-bought", "cart"],
        variants: [
          { name: "control", weight: 1 },
          { name: "tight", weight: 1 },
        ],
      },
    ]);
  });
});

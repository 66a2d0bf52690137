import { describe, expect, it } from "vitest";
import { parseConfigDocument } from "../../models/config/configDocument.js";
import { DEFAULT_RULES, resolveRules, rulesForStage } from "../../models/config/rulesConfig.js";

/** The rules section of a config document, parsed and resolved as the worker does. */
function parseRulesConfig(rules: unknown) {
  const parsed = parseConfigDocument({ rules });
  return parsed.ok ? { ok: true as const, config: resolveRules(parsed.document.rules) } : parsed;
}

describe("rules configuration", () => {
  it("has the documented defaults", () => {
    expect(DEFAULT_RULES.crossSell).toMatchObject({
      priceRatio: 0.3,
      minSupport: 5,
      minLift: 1,
      maxPerCategory: 2,
      objective: "relevance",
      limit: 6,
    });
    expect(DEFAULT_RULES.upsell).toMatchObject({ priceBand: 1.6, limit: 3, enabled: true });
  });
  it("applies stage overrides on top of the base rules", () => {
    const parsed = parseRulesConfig({
      crossSell: { priceRatio: 0.25 },
      stages: { checkout: { crossSell: { priceRatio: 0.2 } } },
    });
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(rulesForStage(parsed.config, "checkout").crossSell.priceRatio).toBe(0.2);
    expect(rulesForStage(parsed.config, "product").crossSell.priceRatio).toBe(0.25);
    expect(rulesForStage(parsed.config, "product").crossSell.maxPerCategory).toBe(2);
  });
  it("refuses a bad document, naming the path", () => {
    const parsed = parseRulesConfig({ crossSell: { priceRatio: 0, colour: "red" }, upsell: { priceBand: 1 } });
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.errors.join("\n")).toMatch(/crossSell\.priceRatio/);
    expect(parsed.errors.join("\n")).toMatch(/colour/);
    expect(parsed.errors.join("\n")).toMatch(/upsell\.priceBand/);
  });
  it("reads the knob's first name, secondHand, as indirectPairs, at the base and per stage", () => {
    const parsed = parseRulesConfig({
      crossSell: { secondHand: "last" },
      stages: { cart: { crossSell: { secondHand: "drop" } } },
    });
    expect(parsed.ok && parsed.config.crossSell.indirectPairs).toBe("last");
    expect(parsed.ok && rulesForStage(parsed.config, "cart").crossSell.indirectPairs).toBe("drop");
    const both = parseRulesConfig({ crossSell: { secondHand: "last", indirectPairs: "drop" } });
    expect(both.ok).toBe(false);
  });
});

import { describe, expect, it } from "vitest";
import { DEFAULT_RULES } from "../../models/config/rulesConfig.js";
import { parseSweep, runSweep, SWEEP_KNOBS } from "../../trainer/eval/sweep.js";

describe("--sweep", () => {
  it("reads KNOB=FROM:TO:STEP with both ends, rounded to the step", () => {
    expect(parseSweep("crossSell.priceRatio=0.1:1.0:0.1")).toEqual({
      knob: "crossSell.priceRatio",
      values: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1],
    });
    expect(parseSweep("upsell.priceBand=1.2:2:0.2").values).toEqual([1.2, 1.4, 1.6, 1.8, 2]);
    expect(parseSweep("bundle.priceRatio=0.1:0.5:0.2")).toEqual({ knob: "bundle.priceRatio", values: [0.1, 0.3, 0.5] });
  });

  it("takes the knobs' first names for their config names", () => {
    expect(parseSweep("price-anchor=0.1:0.2:0.1").knob).toBe("crossSell.priceRatio");
    expect(parseSweep("upgrade-band=1.2:1.4:0.2").knob).toBe("upsell.priceBand");
    expect(parseSweep("bundle-ratio=0.1:0.2:0.1").knob).toBe("bundle.priceRatio");
  });

  it("each knob reads and replaces its own rule, and only that one", () => {
    const changed = (name: keyof typeof SWEEP_KNOBS) => {
      const rules = SWEEP_KNOBS[name].set(DEFAULT_RULES, 7);
      expect(SWEEP_KNOBS[name].get(rules)).toBe(7);
      expect(SWEEP_KNOBS[name].get(DEFAULT_RULES)).not.toBe(7);
      return { crossSell: rules.crossSell, upsell: rules.upsell, bundle: rules.bundle };
    };
    const { crossSell, upsell, bundle } = DEFAULT_RULES;
    expect(changed("crossSell.priceRatio")).toEqual({ crossSell: { ...crossSell, priceRatio: 7 }, upsell, bundle });
    expect(changed("upsell.priceBand")).toEqual({ crossSell, upsell: { ...upsell, priceBand: 7 }, bundle });
    expect(changed("bundle.priceRatio")).toEqual({ crossSell, upsell, bundle: { ...bundle, priceRatio: 7 } });
  });

  it("refuses an unknown knob, a bad range and too many values, each in one line", () => {
    expect(() => parseSweep("price=0.1:1:0.1")).toThrow(
      /KNOB one of crossSell.priceRatio, crossSell.falseDiscoveryRate, crossSell.minWorth, crossSell.maxPerCategory, upsell.priceBand, bundle.priceRatio/,
    );
    expect(() => parseSweep("price-anchor=0.5:0.1:0.1")).toThrow(/FROM ≤ TO/);
    expect(() => parseSweep("upgrade-band=0.5:2:0.1")).toThrow(/1.01 ≤ FROM/);
    expect(() => parseSweep("price-anchor=0.1:3:0.1")).toThrow(/0.01 ≤ FROM ≤ TO ≤ 1 /);
    expect(() => parseSweep("price-anchor=0.01:1:0.001")).toThrow(/at most 100/);
  });

  it("serves once per value with only that knob changed, and marks the configured value", () => {
    const seen: number[] = [];
    const result = runSweep(parseSweep("price-anchor=0.2:0.4:0.1"), DEFAULT_RULES, 10, (rules) => {
      seen.push(rules.crossSell.priceRatio);
      expect(rules.upsell).toEqual(DEFAULT_RULES.upsell);
      const task = {
        coverage: rules.crossSell.priceRatio,
        "HR@10": 0.5,
        "revenue@10": 12,
        "revenueShare@10": 0.1,
        queries: 3,
      };
      return { anchor: task, basket: task, upgrades: task, bundle: task };
    });
    expect(seen).toEqual([0.2, 0.3, 0.4]);
    expect(result.configured).toBe(DEFAULT_RULES.crossSell.priceRatio);
    expect(result.rows.map((r) => [r.value, r.anchor.coverage])).toEqual([
      [0.2, 0.2],
      [0.3, 0.3],
      [0.4, 0.4],
    ]);
  });

  it("the bundle ratio moves the bundle's rules only", () => {
    const result = runSweep(parseSweep("bundle-ratio=0.2:0.3:0.1"), DEFAULT_RULES, 10, (rules) => {
      expect(rules.crossSell).toEqual(DEFAULT_RULES.crossSell);
      const task = { coverage: rules.bundle.priceRatio, "HR@10": 0.5 };
      return { anchor: task, basket: task, upgrades: task, bundle: task };
    });
    expect(result.configured).toBe(DEFAULT_RULES.bundle.priceRatio);
    expect(result.rows.map((r) => [r.value, r.bundle.coverage])).toEqual([
      [0.2, 0.2],
      [0.3, 0.3],
    ]);
  });
});

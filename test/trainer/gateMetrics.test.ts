import { describe, expect, it } from "vitest";
import { gateMetrics } from "../../trainer/commands/nightly.js";
import type { TaskServed } from "../../trainer/eval/servedEval.js";
import { qualityGate } from "../../trainer/publish/qualityGate.js";

const task = (hr: number, revenue: number): TaskServed => ({
  queries: 10,
  coverage: 1,
  addOnRevenue: 1000,
  "HR@10": hr,
  "revenue@10": revenue,
  "revenueShare@10": revenue / 1000,
});

function evaluation(revenue: number) {
  return {
    basket: { "HR@10": 0.26, queries: 100 },
    anchor: { "HR@10": 0.62, queries: 10 },
    served: {
      currency: "GBP",
      anchor: { ...task(0.14, revenue), sources: { item: 1, category: 0, graph: 0 } },
      basket: task(0.05, 500),
      upgrades: task(0.7, 50),
      bundle: task(0.6, 40),
    },
  };
}

describe("the nightly gate guards the served answers' revenue", () => {
  it("flattens the unconstrained metrics and the served HR and revenue captured", () => {
    expect(gateMetrics(evaluation(400), 10)).toEqual({
      "basket.HR@10": 0.26,
      "anchor.HR@10": 0.62,
      "served.anchor.HR@10": 0.14,
      "served.anchor.revenue@10": 400,
      "served.basket.HR@10": 0.05,
      "served.basket.revenue@10": 500,
    });
  });

  it("refuses a model that ranks as well but captures 5% less revenue (tolerance 2%)", () => {
    const live = gateMetrics(evaluation(400), 10);
    const gate = qualityGate(gateMetrics(evaluation(380), 10), live, 0.02);
    expect(gate.pass).toBe(false);
    expect(gate.drops).toEqual(["served.anchor.revenue@10 400.0000 → 380.0000 (-5.0%)"]);
    expect(qualityGate(gateMetrics(evaluation(395), 10), live, 0.02).pass).toBe(true);
  });
});

import { lineChart } from "./lineChart.js";
import type { ServedMetrics } from "./servedEval.js";
import type { SweepResult } from "./sweep.js";
import { textTable } from "../textTable.js";

const pct = (x: number | undefined) => `${(100 * (x ?? 0)).toFixed(1)}%`;
const money = (x: number | undefined) => (x ?? 0).toLocaleString("en-GB", { maximumFractionDigits: 0 });

/** What each knob's rows mean, in the merchandiser's words. */
const KNOB_LABEL: Record<string, string> = {
  "price-anchor": "price anchor (add-on ≤ ratio × anchor, cart: × its line)",
  "upgrade-band": "upgrade band (upgrade ≤ band × anchor)",
};

/** One table per sweep: a row per value, the configured one starred. */
export function sweepLines(sweeps: Record<string, SweepResult>, k: number, currency: string): string[] {
  return Object.entries(sweeps).flatMap(([knob, sweep]) => {
    const header = [
      knob,
      "also-bought answered",
      `HR@${k}`,
      `revenue@${k} ${currency}`,
      "share",
      "cart answered",
      `HR@${k}`,
      `revenue@${k} ${currency}`,
      "share",
      "upgrades answered",
      `HR@${k}`,
    ];
    const rows = sweep.rows.map((row) => [
      `${row.value}${row.value === sweep.configured ? "*" : ""}`,
      pct(row.anchor.coverage),
      (row.anchor[`HR@${k}`] ?? 0).toFixed(4),
      money(row.anchor[`revenue@${k}`]),
      pct(row.anchor[`revenueShare@${k}`]),
      pct(row.basket.coverage),
      (row.basket[`HR@${k}`] ?? 0).toFixed(4),
      money(row.basket[`revenue@${k}`]),
      pct(row.basket[`revenueShare@${k}`]),
      pct(row.upgrades.coverage),
      (row.upgrades[`HR@${k}`] ?? 0).toFixed(4),
    ]);
    return ["", `sweep of ${KNOB_LABEL[knob] ?? knob} (* = the configured value):`, ...textTable(header, rows)];
  });
}

/** The two ranking objectives side by side. */
export function objectiveLines(objectives: { relevance: ServedMetrics; revenue: ServedMetrics }, k: number): string[] {
  const line = (name: string, m: ServedMetrics) =>
    `  ${name.padEnd(9)} also-bought HR@${k} ${(m.anchor[`HR@${k}`] ?? 0).toFixed(4)}, revenue@${k} ${money(m.anchor[`revenue@${k}`])} ${m.currency}; cart HR@${k} ${(m.basket[`HR@${k}`] ?? 0).toFixed(4)}, revenue@${k} ${money(m.basket[`revenue@${k}`])} ${m.currency}`;
  return [
    "",
    "objective (crossSell.objective), same queries:",
    line("relevance", objectives.relevance),
    line("revenue", objectives.revenue),
  ];
}

/** A line chart per sweep: answered share, hit rate and revenue share of also-bought and the cart. */
export function sweepCharts(sweeps: Record<string, SweepResult>, k: number): string {
  return Object.entries(sweeps)
    .map(([knob, sweep]) => {
      const xs = sweep.rows.map((r) => r.value);
      const series = [
        { name: "also-bought answered", values: sweep.rows.map((r) => r.anchor.coverage ?? 0) },
        { name: `also-bought HR@${k}`, values: sweep.rows.map((r) => r.anchor[`HR@${k}`] ?? 0) },
        { name: `cart HR@${k}`, values: sweep.rows.map((r) => r.basket[`HR@${k}`] ?? 0) },
        { name: `cart revenue share@${k}`, values: sweep.rows.map((r) => r.basket[`revenueShare@${k}`] ?? 0) },
      ];
      if (knob === "upgrade-band") {
        series.splice(0, 4, { name: "upgrades answered", values: sweep.rows.map((r) => r.upgrades.coverage ?? 0) });
        series.push({ name: `upgrades HR@${k}`, values: sweep.rows.map((r) => r.upgrades[`HR@${k}`] ?? 0) });
      }
      return lineChart(`What the ${knob} costs and earns`, KNOB_LABEL[knob] ?? knob, xs, series, sweep.configured);
    })
    .join("");
}

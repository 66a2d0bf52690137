import { lineChart } from "./lineChart.js";
import type { ServedMetrics } from "./servedEval.js";
import type { SweepResult } from "./sweep.js";
import { textTable } from "../textTable.js";

const pct = (x: number | undefined) => `${(100 * (x ?? 0)).toFixed(1)}%`;
const money = (x: number | undefined) => (x ?? 0).toLocaleString("en-GB", { maximumFractionDigits: 0 });

/** What each knob's rows mean, in the merchandiser's words. */
const KNOB_LABEL: Record<string, string> = {
  "crossSell.priceRatio": "price anchor (add-on ≤ ratio × anchor, cart: × its line)",
  "upsell.priceBand": "upgrade band (upgrade ≤ band × anchor)",
  "bundle.priceRatio": "bundle price anchor (bundle add-on ≤ ratio × anchor)",
};

type SweepTask = "anchor" | "basket" | "upgrades" | "bundle";
const TASK_NAME: Record<SweepTask, string> = {
  anchor: "also-bought",
  basket: "cart",
  upgrades: "upgrades",
  bundle: "bundle",
};

/** The tasks a knob moves (the others' figures stay put along the sweep). */
function tasksOf(knob: string): SweepTask[] {
  if (knob === "upsell.priceBand") return ["upgrades"];
  if (knob === "bundle.priceRatio") return ["bundle"];
  return ["anchor", "basket"];
}

/** One table per sweep: a row per value, the configured one starred; per task it moves: answered, HR, revenue, share. */
export function sweepLines(sweeps: Record<string, SweepResult>, k: number, currency: string): string[] {
  return Object.entries(sweeps).flatMap(([knob, sweep]) => {
    const tasks = tasksOf(knob);
    const header = [
      knob,
      ...tasks.flatMap((t) => [`${TASK_NAME[t]} answered`, `HR@${k}`, `revenue@${k} ${currency}`, "share"]),
    ];
    const rows = sweep.rows.map((row) => [
      `${row.value}${row.value === sweep.configured ? "*" : ""}`,
      ...tasks.flatMap((t) => [
        pct(row[t].coverage),
        (row[t][`HR@${k}`] ?? 0).toFixed(4),
        money(row[t][`revenue@${k}`]),
        pct(row[t][`revenueShare@${k}`]),
      ]),
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

/** A line chart per sweep: answered share, hit rate and revenue share of each task the knob moves. */
export function sweepCharts(sweeps: Record<string, SweepResult>, k: number): string {
  return Object.entries(sweeps)
    .map(([knob, sweep]) => {
      const xs = sweep.rows.map((r) => r.value);
      const series = tasksOf(knob).flatMap((t) => [
        { name: `${TASK_NAME[t]} answered`, values: sweep.rows.map((r) => r[t].coverage ?? 0) },
        { name: `${TASK_NAME[t]} HR@${k}`, values: sweep.rows.map((r) => r[t][`HR@${k}`] ?? 0) },
        { name: `${TASK_NAME[t]} revenue share@${k}`, values: sweep.rows.map((r) => r[t][`revenueShare@${k}`] ?? 0) },
      ]);
      return lineChart(`What the ${knob} costs and earns`, KNOB_LABEL[knob] ?? knob, xs, series, sweep.configured);
    })
    .join("");
}

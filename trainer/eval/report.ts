import { textTable } from "../textTable.js";
import type { EvalResult } from "./runEval.js";
import type { ServedMetrics, TaskServed } from "./servedEval.js";
import type { ServedReport } from "./servedReport.js";
import { objectiveLines, sweepCharts, sweepLines } from "./sweepReport.js";

/** One table, model × metric, best value per column marked with *. */
export function formatTable(result: EvalResult): string {
  const names = Object.keys(result.models);
  const columns: ["basket" | "anchor", string][] = [];
  const first = result.models[names[0] ?? ""];
  for (const task of ["basket", "anchor"] as const) {
    for (const metric of Object.keys(first?.[task] ?? {})) if (metric !== "queries") columns.push([task, metric]);
  }
  const value = (name: string, task: "basket" | "anchor", metric: string) => result.models[name]?.[task][metric] ?? 0;
  const best = columns.map(([task, metric]) => Math.max(...names.map((n) => value(n, task, metric))));
  const header = ["model", ...columns.map(([task, metric]) => `${task} ${metric}`)];
  const rows = names.map((name) => [
    name,
    ...columns.map(([task, metric], c) => {
      const v = value(name, task, metric);
      return `${v.toFixed(4)}${v === best[c] ? "*" : " "}`;
    }),
  ]);
  const { rules, coverage, bytesPerItem, learner } = result.sidecart;
  const served = result.models.sidecart?.served;
  return [
    `cut ${result.cut}: ${result.items} train items, ${result.test_baskets} test baskets (${first?.basket.queries} basket queries, ${first?.anchor.queries} anchor queries)`,
    ...textTable(header, rows),
    "",
    `sidecart: ${learner} learner, ${bytesPerItem} bytes per item; with the rules on, ${rules.obeying}/${rules.answers} answers obey every rule (${(100 * rules.share).toFixed(1)}%)` +
      `; catalog coverage ${(100 * coverage.unconstrained).toFixed(1)}% unconstrained, ${(100 * coverage.withRules).toFixed(1)}% with rules`,
    ...(served ? servedLines(served, result.k) : []),
    ...objectiveLines(result.objectives, result.k),
    ...sweepLines(result.sweeps, result.k, served?.currency ?? ""),
  ].join("\n");
}

/** The served answers (rules on) per task, then one line per experiment arm. */
function servedLines(served: ServedReport, k: number): string[] {
  const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
  const money = (x: number) => `${x.toLocaleString("en-GB", { maximumFractionDigits: 0 })} ${served.currency}`;
  const task = (name: string, t: TaskServed) =>
    `${name} ${pct(t.coverage)} answered, HR@${k} ${(t[`HR@${k}`] ?? 0).toFixed(4)}, revenue@${k} ${money(t[`revenue@${k}`] ?? 0)} (${pct(t[`revenueShare@${k}`] ?? 0)} of ${money(t.addOnRevenue)})`;
  const tasks = (m: ServedMetrics) =>
    [
      task("also-bought", m.anchor),
      task(m.basket.sampledFrom ? `cart (${m.basket.queries} of ${m.basket.sampledFrom} queries)` : "cart", m.basket),
      task(`upgrades (${m.upgrades.queries} queries)`, m.upgrades),
      task("bundle", m.bundle),
    ].join("; ");
  const { anchor } = served;
  return [
    `served with the rules on (${served.config}): ${tasks(served)}`,
    `  also-bought: ${pct(anchor.catalogCoverage ?? 0)} of catalog products answered; items from item pairs ${pct(anchor.sources.item)}, categories ${pct(anchor.sources.category)}, graph ${pct(anchor.sources.graph)}`,
    ...Object.entries(served.arms).flatMap(([experiment, arms]) =>
      Object.entries(arms).map(([arm, m]) => `  ${experiment}=${arm}: ${tasks(m)}`),
    ),
  ];
}

const escape = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

function barChart(title: string, values: [string, number][]): string {
  const max = Math.max(...values.map(([, v]) => v), 1e-9);
  const bar = 26;
  const height = values.length * bar + 30;
  const bars = values
    .map(([name, v], i) => {
      const w = Math.round((v / max) * 300);
      const y = 24 + i * bar;
      return `<text x="0" y="${y + 15}">${escape(name)}</text><rect x="110" y="${y}" width="${w}" height="18" fill="${name === "sidecart" ? "#d9480f" : "#868e96"}"/><text x="${115 + w}" y="${y + 14}">${v.toFixed(4)}</text>`;
    })
    .join("");
  return `<figure><svg width="480" height="${height}" font-family="sans-serif" font-size="12"><text x="0" y="14" font-weight="bold">${escape(title)}</text>${bars}</svg></figure>`;
}

function histogram(title: string, values: readonly number[]): string {
  const edges = [0, 0.1, 0.2, 0.3, 0.5, 0.75, 1, 1.5, 2, 5, Number.POSITIVE_INFINITY];
  const counts = edges.slice(0, -1).map((lo, i) => values.filter((v) => v >= lo && v < (edges[i + 1] ?? 0)).length);
  const max = Math.max(...counts, 1);
  const bars = counts
    .map((c, i) => {
      const h = Math.round((c / max) * 140);
      const label = i === counts.length - 1 ? `≥${edges[i]}` : `${edges[i]}–${edges[i + 1]}`;
      return `<rect x="${10 + i * 46}" y="${170 - h}" width="40" height="${h}" fill="#1c7ed6"/><text x="${10 + i * 46}" y="186" font-size="10">${label}</text><text x="${12 + i * 46}" y="${166 - h}" font-size="10">${c}</text>`;
    })
    .join("");
  return `<figure><svg width="520" height="200" font-family="sans-serif" font-size="12"><text x="0" y="14" font-weight="bold">${escape(title)}</text>${bars}</svg></figure>`;
}

/** A self-contained HTML page: the table, a bar chart per metric, price-ratio distributions. */
export function formatHtml(result: EvalResult): string {
  const names = Object.keys(result.models);
  const charts: string[] = [];
  for (const task of ["basket", "anchor"] as const) {
    for (const metric of Object.keys(result.models[names[0] ?? ""]?.[task] ?? {})) {
      if (metric === "queries") continue;
      charts.push(
        barChart(
          `${task} ${metric}`,
          names.map((n) => [n, result.models[n]?.[task][metric] ?? 0]),
        ),
      );
    }
  }
  const { priceRatios } = result.sidecart;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>sidecart evaluation, cut ${escape(result.cut)}</title>
<style>body{font-family:sans-serif;max-width:1100px;margin:2em auto}pre{background:#f1f3f5;padding:1em}figure{display:inline-block;margin:1em}</style></head>
<body><h1>sidecart evaluation</h1><pre>${escape(formatTable(result))}</pre>
<h2>Metrics</h2>${charts.join("")}
${Object.keys(result.sweeps).length > 0 ? `<h2>Sweeps: the served answers as a knob moves</h2>${sweepCharts(result.sweeps, result.k)}` : ""}
<h2>Suggested price ÷ anchor price (anchor task, top ${result.k})</h2>
${histogram("sidecart, unconstrained", priceRatios.unconstrained)}${histogram("sidecart, with the rules on", priceRatios.withRules)}
<h2>Raw figures</h2><pre>${escape(JSON.stringify({ ...result, sidecart: { ...result.sidecart, priceRatios: undefined } }, null, 2))}</pre></body></html>
`;
}

import { textTable } from "../textTable.js";
import { METRICS, type ArmReport, type ExperimentReport, type Metric } from "./report.js";
import type { RatioEstimate } from "./stats.js";

const LABELS: Record<Metric, string> = {
  ctr: "CTR",
  addToCartRate: "add-to-cart rate",
  revenuePerImpression: "revenue / impression",
};

const percent = (v: number) => `${(100 * v).toFixed(2)}%`;
const money = (v: number) => v.toFixed(4);
const format = (m: Metric) => (m === "revenuePerImpression" ? money : percent);

const NO_EVENTS = "no events yet";

function estimate(m: Metric, e: RatioEstimate): string {
  if (e.denominator === 0) return NO_EVENTS;
  const f = format(m);
  return `${f(e.value)} [${f(e.low)}, ${f(e.high)}]`;
}

function versus(m: Metric, arm: ArmReport): string {
  if (arm.status === "control") return "(control)";
  if (arm.status === "no_events") return NO_EVENTS;
  if (arm.status === "control_no_events") return "control has no events yet";
  const c = arm.vsControl?.[m];
  if (!c) return "-";
  // No spread in either arm (no clicks anywhere, or one unit each): there is no test to print.
  if (c.pValue === null || c.low === null || c.high === null || c.low === c.high) return "too few events to test";
  const f = m === "revenuePerImpression" ? money : (v: number) => `${(100 * v).toFixed(2)} pts`;
  const sign = (v: number) => (v >= 0 ? "+" : "");
  const relative = c.relative === null ? "" : ` (${sign(c.relative)}${(100 * c.relative).toFixed(1)}%)`;
  const p = c.pValue < 1e-4 ? c.pValue.toExponential(1) : c.pValue.toFixed(4);
  return `${sign(c.difference)}${f(c.difference)}${relative} [${sign(c.low)}${f(c.low)}, ${sign(c.high)}${f(c.high)}] p=${p}`;
}

/** The report as text: per experiment, one table per metric, then the sample-ratio check and warnings. */
export function formatReport(reports: readonly ExperimentReport[]): string {
  if (reports.length === 0) return "no experiments configured and no events recorded";
  const out: string[] = [];
  for (const report of reports) {
    const units = report.arms.reduce((sum, a) => sum + a.units, 0);
    out.push(
      `experiment ${report.id}${report.configured ? "" : " (not in the live config)"}: ${units} units in ${report.arms.length} arms, control "${report.control}"` +
        (report.outside.unassigned + report.outside.excluded > 0
          ? `; not compared: ${report.outside.unassigned} unassigned, ${report.outside.excluded} excluded units`
          : ""),
    );
    for (const m of METRICS) {
      const header = ["variant", "weight", "units", "impressions", `${LABELS[m]} [95% CI]`, "vs control [95% CI]"];
      const rows = report.arms.map((arm) => [
        arm.variant,
        arm.weight === null ? "-" : String(arm.weight),
        String(arm.units),
        String(arm.impressions),
        estimate(m, arm.metrics[m]),
        versus(m, arm),
      ]);
      out.push("", ...textTable(header, rows));
    }
    if (report.srm) {
      out.push(
        "",
        `sample ratio: chi-square ${report.srm.chiSquare.toFixed(2)} on ${report.srm.degreesOfFreedom} df, p = ${report.srm.pValue.toPrecision(3)}` +
          (report.srm.mismatch
            ? " MISMATCH"
            : report.srm.underpowered
              ? " (too few units to tell)"
              : " (consistent with the weights)"),
      );
    }
    for (const warning of report.warnings) out.push(`warning: ${warning}`);
    out.push("");
  }
  out.push(
    "Intervals: delta method over units (the unit is what was randomised); p: two-sided z test of the difference.",
  );
  return out.join("\n");
}

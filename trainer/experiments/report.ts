import { EXCLUDED, UNASSIGNED, type ExperimentConfig } from "../../models/config/configDocument.js";
import {
  compareRatios,
  ratioEstimate,
  MEANINGFUL_SHIFT,
  sampleRatioCheck,
  type Comparison,
  type RatioEstimate,
  type SampleRatioCheck,
  type UnitRatio,
} from "./stats.js";

/** One unit's event totals in one arm: what UNIT_TOTALS returns per row. */
export interface UnitTotals {
  experiment: string;
  variant: string;
  unit: string;
  impressions: number;
  clicks: number;
  adds: number;
  revenue: number;
}

export const METRICS = ["ctr", "addToCartRate", "revenuePerImpression"] as const;
export type Metric = (typeof METRICS)[number];

export interface ArmReport {
  variant: string;
  /** The configured weight, or null when the live config does not know the variant. */
  weight: number | null;
  units: number;
  impressions: number;
  metrics: Record<Metric, RatioEstimate>;
  /** Against the control arm: only when status is "compared". */
  vsControl: Record<Metric, Comparison> | null;
  /**
   * Why there is or is not a comparison: an arm without impressions has estimates of 0 ± 0 that a
   * z test would turn into a confident-looking result, so it is not tested until it has data.
   */
  status: ArmStatus;
}

export type ArmStatus = "control" | "compared" | "no_events" | "control_no_events";

export interface ExperimentReport {
  id: string;
  control: string;
  /** Whether the live config still runs it. */
  configured: boolean;
  arms: ArmReport[];
  /** Units labelled "unassigned" (no unit id) and "excluded" (outside the traffic share): not compared. */
  outside: { unassigned: number; excluded: number };
  srm: SampleRatioCheck | null;
  warnings: string[];
}

const numerators: Record<Metric, (u: UnitTotals) => number> = {
  ctr: (u) => u.clicks,
  addToCartRate: (u) => u.adds,
  revenuePerImpression: (u) => u.revenue,
};

function armReport(variant: string, weight: number | null, units: readonly UnitTotals[]): ArmReport {
  const metric = (m: Metric) => ratioEstimate(units.map((u): UnitRatio => ({ y: numerators[m](u), x: u.impressions })));
  return {
    variant,
    weight,
    units: units.length,
    impressions: units.reduce((sum, u) => sum + u.impressions, 0),
    metrics: {
      ctr: metric("ctr"),
      addToCartRate: metric("addToCartRate"),
      revenuePerImpression: metric("revenuePerImpression"),
    },
    vsControl: null,
    status: "compared",
  };
}

/** The share of the units whose revenue is checked for concentration: the top 1%, at least one. */
const TOP_SHARE = 0.01;
/** Above this share of an arm's revenue from its top units, its revenue metrics rest on them. */
const CONCENTRATED = 0.5;

/**
 * Whether an arm's revenue rests on a few units (a wholesale buyer, a bot, an attacker who kept the
 * units that landed in one arm): the top 1% of its units carry more than half of it.
 */
function concentration(variant: string, units: readonly UnitTotals[]): string[] {
  const revenues = units.map((u) => u.revenue).sort((a, b) => b - a);
  const total = revenues.reduce((sum, r) => sum + r, 0);
  if (total <= 0) return [];
  const top = Math.max(1, Math.ceil(TOP_SHARE * units.length));
  const share = revenues.slice(0, top).reduce((sum, r) => sum + r, 0) / total;
  if (share <= CONCENTRATED) return [];
  return [
    `arm "${variant}": ${top} of its ${units.length} units carry ${(100 * share).toFixed(0)}% of its revenue; ` +
      `its revenue per impression rests on them (check them before trusting the difference)`,
  ];
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

/**
 * Per experiment and arm: the three ratio metrics with delta-method 95% intervals (the unit, not the
 * impression, is what was randomised), each arm against control with a two-sided z test, and a
 * sample-ratio check of unit counts against the configured weights.
 */
export function buildReport(rows: readonly UnitTotals[], experiments: readonly ExperimentConfig[]): ExperimentReport[] {
  const byExperiment = groupBy(rows, (r) => r.experiment);
  const ids = [...new Set([...experiments.map((e) => e.id), ...byExperiment.keys()])];
  return ids.map((id) => {
    const config = experiments.find((e) => e.id === id);
    const byVariant = groupBy(byExperiment.get(id) ?? [], (r) => r.variant);
    const warnings: string[] = [];
    const configured = config?.variants.map((v) => v.name) ?? [];
    const seen = [...byVariant.keys()].filter((v) => v !== UNASSIGNED && v !== EXCLUDED).sort();
    const names = [...configured, ...seen.filter((v) => !configured.includes(v))];
    const control =
      config?.control ?? config?.variants[0]?.name ?? (names.includes("control") ? "control" : (names[0] ?? ""));
    if (!config) warnings.push("not in the live config: no weights, so no sample-ratio check");
    for (const name of seen.filter((v) => !configured.includes(v)).filter(() => config !== undefined)) {
      warnings.push(`events name variant "${name}", which the live config does not have`);
    }
    const arms = names.map((name) =>
      armReport(name, config?.variants.find((v) => v.name === name)?.weight ?? null, byVariant.get(name) ?? []),
    );
    const controlArm = arms.find((a) => a.variant === control);
    for (const arm of arms) {
      if (arm === controlArm) arm.status = "control";
      else if (arm.impressions === 0) arm.status = "no_events";
      else if (controlArm && controlArm.impressions === 0) arm.status = "control_no_events";
      if (!controlArm || arm.status !== "compared") continue;
      const vs = (m: Metric) => compareRatios(controlArm.metrics[m], arm.metrics[m]);
      arm.vsControl = {
        ctr: vs("ctr"),
        addToCartRate: vs("addToCartRate"),
        revenuePerImpression: vs("revenuePerImpression"),
      };
    }
    const crossed = new Set<string>();
    const armOf = new Map<string, string>();
    for (const row of byExperiment.get(id) ?? []) {
      const before = armOf.get(row.unit);
      if (before !== undefined && before !== row.variant) crossed.add(row.unit);
      armOf.set(row.unit, row.variant);
    }
    if (crossed.size > 0) {
      warnings.push(`${crossed.size} units have events in more than one arm (a changed salt or a client bug)`);
    }
    let srm: SampleRatioCheck | null = null;
    if (config && arms.every((a) => a.weight !== null) && arms.some((a) => a.units > 0)) {
      srm = sampleRatioCheck(
        arms.map((a) => a.units),
        arms.map((a) => a.weight ?? 0),
      );
      if (!srm.mismatch && srm.underpowered) {
        warnings.push(
          `the sample-ratio check has too little power to say "consistent": with ${arms.reduce((n, a) => n + a.units, 0)} units ` +
            `it would notice an arm's share off by ${(100 * srm.detectableShift).toFixed(0)} points or more, not by ${100 * MEANINGFUL_SHIFT}`,
        );
      }
      if (srm.mismatch) {
        const observed = srm.observedShares.map((s) => `${(100 * s).toFixed(1)}%`).join(" / ");
        const expected = srm.expectedShares.map((s) => `${(100 * s).toFixed(1)}%`).join(" / ");
        warnings.push(
          `sample ratio mismatch: arms hold ${observed} of units, weights say ${expected} ` +
            `(chi-square p = ${srm.pValue.toExponential(2)}); the comparison is not trustworthy until that is explained`,
        );
      }
    }
    warnings.push(...arms.flatMap((arm) => concentration(arm.variant, byVariant.get(arm.variant) ?? [])));
    return {
      id,
      control,
      configured: config !== undefined,
      arms,
      outside: { unassigned: byVariant.get(UNASSIGNED)?.length ?? 0, excluded: byVariant.get(EXCLUDED)?.length ?? 0 },
      srm,
      warnings,
    };
  });
}

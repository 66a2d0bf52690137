import type { RulesConfig } from "../../models/config/rulesConfig.js";
import { UserError } from "../errors.js";

/** The rule sections whose price knobs can be swept. */
type Section = "crossSell" | "upsell" | "bundle";
/** The numeric knobs of a section. */
type NumberKey<S extends Section> = {
  [K in keyof RulesConfig[S]]: RulesConfig[S][K] extends number ? K : never;
}[keyof RulesConfig[S]];

/** A sweepable knob: `rules[section][key]`, read and replaced (the rest of the rules as they were). */
function knob<S extends Section>(section: S, key: NumberKey<S>, min: number, max: number) {
  return {
    get: (rules: RulesConfig): number => rules[section][key] as number,
    set: (rules: RulesConfig, value: number): RulesConfig => ({
      ...rules,
      [section]: { ...rules[section], [key]: value },
    }),
    min,
    max,
  };
}

/**
 * The rule knobs a merchandiser sweeps, by their names in the config document (the name `--sweep`
 * takes, and the one a report shows), so a knob has one name from the sweep to the pushed config.
 */
export const SWEEP_KNOBS = {
  /** An add-on costs at most this share of the anchor (cart: of its line); at most 1, as the config allows. */
  "crossSell.priceRatio": knob("crossSell", "priceRatio", 0.01, 1),
  /** Of the pairs each level shows, at most this expected share is chance (Benjamini–Hochberg's q). */
  "crossSell.falseDiscoveryRate": knob("crossSell", "falseDiscoveryRate", 0.0001, 1),
  /** What a pair's baskets must be worth in average baskets (0: off). */
  "crossSell.minWorth": knob("crossSell", "minWorth", 0, 1_000_000),
  /** At most this many suggestions per leaf category (per learned product type without categories). */
  "crossSell.maxPerCategory": knob("crossSell", "maxPerCategory", 1, 50),
  /** An upgrade costs at most this multiple of the anchor. */
  "upsell.priceBand": knob("upsell", "priceBand", 1.01, 100),
  /** A bundle's add-on costs at most this share of the anchor. */
  "bundle.priceRatio": knob("bundle", "priceRatio", 0.01, 1),
} as const;

/** The knobs' first names, still taken by `--sweep` (reports say the config name). */
const SWEEP_ALIASES: Readonly<Record<string, SweepKnob>> = {
  "price-anchor": "crossSell.priceRatio",
  "upgrade-band": "upsell.priceBand",
  "bundle-ratio": "bundle.priceRatio",
};

export type SweepKnob = keyof typeof SWEEP_KNOBS;

export interface Sweep {
  knob: SweepKnob;
  values: number[];
}

const isKnob = (name: string): name is SweepKnob => Object.hasOwn(SWEEP_KNOBS, name);
const knobNamed = (name: string): SweepKnob | undefined =>
  isKnob(name) ? name : Object.hasOwn(SWEEP_ALIASES, name) ? SWEEP_ALIASES[name] : undefined;

/**
 * Parses `knob=from:to:step` (e.g. crossSell.priceRatio=0.1:1.0:0.1, both ends included). The values are
 * rounded to the step's decimals, so 0.1 + 0.2 is 0.3 and the configured value can be found among them.
 */
export function parseSweep(text: string): Sweep {
  const match = /^([a-zA-Z.-]+)=([0-9.]+):([0-9.]+):([0-9.]+)$/.exec(text.trim());
  const usage = `--sweep "${text}" must be KNOB=FROM:TO:STEP with KNOB one of ${Object.keys(SWEEP_KNOBS).join(", ")}`;
  if (match === null) throw new UserError(usage);
  const [, typed = "", fromText = "", toText = "", stepText = ""] = match;
  const name = knobNamed(typed);
  if (name === undefined) throw new UserError(usage);
  const [from, to, step] = [Number(fromText), Number(toText), Number(stepText)];
  const { min, max } = SWEEP_KNOBS[name];
  if (![from, to, step].every(Number.isFinite) || step <= 0 || from > to || from < min || to > max) {
    throw new UserError(
      `--sweep ${name}: need ${min} ≤ FROM ≤ TO ≤ ${max} and STEP > 0, got ${fromText}:${toText}:${stepText}`,
    );
  }
  const decimals = Math.max(decimalsOf(stepText), decimalsOf(fromText));
  const count = Math.floor((to - from) / step + 1e-9) + 1;
  if (count > 100) throw new UserError(`--sweep ${name}: ${count} values; at most 100`);
  const values = Array.from({ length: count }, (_, i) => Number((from + i * step).toFixed(decimals)));
  return { knob: name, values };
}

function decimalsOf(text: string): number {
  const dot = text.indexOf(".");
  return dot < 0 ? 0 : text.length - dot - 1;
}

/** One swept value: the served figures (anchor, basket, upgrades, bundle) with the knob set to it. */
export interface SweepRow {
  value: number;
  anchor: Record<string, number>;
  basket: Record<string, number>;
  upgrades: Record<string, number>;
  bundle: Record<string, number>;
}

export interface SweepResult {
  /** The value the config in force has, marked on the chart. */
  configured: number;
  rows: SweepRow[];
}

/** The figures a sweep row keeps per task: the ones a merchandiser trades against each other. */
function pickFigures(task: Record<string, unknown>, k: number): Record<string, number> {
  const keep = ["coverage", `HR@${k}`, `revenue@${k}`, `revenueShare@${k}`, "queries"];
  const out: Record<string, number> = {};
  for (const name of keep) {
    const value = task[name];
    if (typeof value === "number") out[name] = value;
  }
  return out;
}

/**
 * Serves the eval's queries once per swept value (the graph's candidates are computed once, and a task
 * whose rules the knob does not touch is not served again: servedEval.ts) and keeps each task's figures.
 */
export function runSweep<T extends { anchor: object; basket: object; upgrades: object; bundle: object }>(
  sweep: Sweep,
  rules: RulesConfig,
  k: number,
  serve: (rules: RulesConfig) => T,
  /** Hears the number of values served so far. */
  progress?: (done: number) => void,
): SweepResult {
  const knob = SWEEP_KNOBS[sweep.knob];
  const rows = sweep.values.map((value, i) => {
    const served = serve(knob.set(rules, value));
    progress?.(i + 1);
    return {
      value,
      anchor: pickFigures({ ...served.anchor }, k),
      basket: pickFigures({ ...served.basket }, k),
      upgrades: pickFigures({ ...served.upgrades }, k),
      bundle: pickFigures({ ...served.bundle }, k),
    };
  });
  return { configured: knob.get(rules), rows };
}

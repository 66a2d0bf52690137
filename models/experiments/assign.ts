import { sha256OfText } from "../digest.js";
import {
  EXCLUDED,
  UNASSIGNED,
  type ExperimentConfig,
  type Surface,
  type VariantConfig,
  type VariantRules,
} from "../config/configDocument.js";

const TWO_48 = 2 ** 48;

/**
 * Two independent uniform numbers in [0, 1) from sha256(salt, unit): one gates traffic, one picks the
 * variant. Keeping them apart means ramping traffic up keeps every enrolled unit in its variant.
 * SHA-256 rather than a short non-cryptographic hash: its output bits are uniform for any unit ids
 * (sequential numbers, emails), and it is the same in Node and workerd.
 */
export function unitDraws(salt: string, unit: string): { gate: number; arm: number } {
  const digest = sha256OfText(`${salt}\u001f${unit}`);
  const view = new DataView(digest.buffer, digest.byteOffset, digest.byteLength);
  const draw = (offset: number) => (view.getUint32(offset) * 65536 + view.getUint16(offset + 4)) / TWO_48;
  return { gate: draw(0), arm: draw(6) };
}

export interface Assignment {
  variant: string;
  /** The configured variant, or null for units outside the experiment (no unit id, or not in the traffic share). */
  config: VariantConfig | null;
}

/** Deterministic and stateless: the same salt and unit give the same variant at every edge. */
export function assign(experiment: ExperimentConfig, unit: string | undefined): Assignment {
  if (unit === undefined || unit === "") return { variant: UNASSIGNED, config: null };
  const { gate, arm } = unitDraws(experiment.salt, unit);
  if (gate >= experiment.traffic) return { variant: EXCLUDED, config: null };
  const total = experiment.variants.reduce((sum, v) => sum + v.weight, 0);
  let cumulative = 0;
  for (const variant of experiment.variants) {
    cumulative += variant.weight / total;
    if (arm < cumulative) return { variant: variant.name, config: variant };
  }
  // Rounding can leave the cumulative sum a hair under 1.
  const last = experiment.variants[experiment.variants.length - 1];
  return last ? { variant: last.name, config: last } : { variant: EXCLUDED, config: null };
}

export interface ExperimentLabel {
  id: string;
  variant: string;
}

export interface Arms {
  labels: ExperimentLabel[];
  /** The enrolled variants' rule overrides, merged (validation keeps them from touching the same knob). */
  rules: VariantRules;
  /** A model version an enrolled variant pins, if any. */
  model: string | undefined;
}

export const NO_ARMS: Arms = { labels: [], rules: {}, model: undefined };

/** What the enabled experiments on a surface make of one unit. */
export function armsFor(experiments: readonly ExperimentConfig[], surface: Surface, unit: string | undefined): Arms {
  const labels: ExperimentLabel[] = [];
  const rules: VariantRules = {};
  let model: string | undefined;
  for (const experiment of experiments) {
    if (!experiment.enabled || !experiment.surfaces.includes(surface)) continue;
    const { variant, config } = assign(experiment, unit);
    labels.push({ id: experiment.id, variant });
    if (config === null) continue;
    rules.crossSell = { ...rules.crossSell, ...config.rules.crossSell };
    rules.upsell = { ...rules.upsell, ...config.rules.upsell };
    rules.bundle = { ...rules.bundle, ...config.rules.bundle };
    rules.cart = { ...rules.cart, ...config.rules.cart };
    model = config.model ?? model;
  }
  return labels.length === 0 ? NO_ARMS : { labels, rules, model };
}

/** The header form of the labels: "price-anchor=tight, new-model=control". */
export function labelsHeader(labels: readonly ExperimentLabel[]): string {
  return labels.map((l) => `${l.id}=${l.variant}`).join(", ");
}

import type { ExperimentConfig } from "../../models/config/configDocument.js";
import type { RulesConfig } from "../../models/config/rulesConfig.js";
import type { ServedContext } from "./servedContext.js";
import { evaluateServed, type ServedMetrics, type ServedOptions } from "./servedEval.js";

/** `models.sidecart.served`: the served answers with the config's base rules, and with each experiment arm. */
export interface ServedReport extends ServedMetrics {
  /** The config document's path, or "default" (the built-in rules). */
  config: string;
  /** experiment id → arm name → that arm's served figures (its overrides on its surfaces only). */
  arms: Record<string, Record<string, ServedMetrics>>;
}

/**
 * Every arm of every experiment in the document, enabled or not (an experiment is worth predicting
 * before it is switched on), each on its own over the base rules.
 */
export function servedReport(
  context: ServedContext,
  config: { path: string; rules: RulesConfig; experiments: readonly ExperimentConfig[] },
  k: number,
  onAnchorAnswer?: ServedOptions["onAnchorAnswer"],
): ServedReport {
  const { rules } = config;
  const base = evaluateServed(context, rules, k, { onAnchorAnswer });
  const arms: ServedReport["arms"] = {};
  for (const experiment of config.experiments) {
    const byArm: Record<string, ServedMetrics> = {};
    for (const variant of experiment.variants) {
      byArm[variant.name] = evaluateServed(context, rules, k, {
        arm: { rules: variant.rules, surfaces: experiment.surfaces },
      });
    }
    arms[experiment.id] = byArm;
  }
  return { config: config.path, ...base, arms };
}

import { z } from "zod";
import { DEFAULT_EVENTS_CONFIG, eventsConfigSchema } from "../events/eventsConfig.js";
import { experimentName, versionName } from "../names.js";
import { issueLines } from "../zodIssues.js";
import { rulesDocumentSchema, type RuleOverrides, type RulesDocument } from "./rulesConfig.js";

/** The endpoints an experiment can run on. */
export const SURFACES = ["also-bought", "upgrades", "bundle", "cart"] as const;
export type Surface = (typeof SURFACES)[number];

/** Arm labels the worker gives itself; a configured variant may not take them. */
export const UNASSIGNED = "unassigned";
export const EXCLUDED = "excluded";

const name = experimentName;

/** A variant overrides knobs of the base rules; stage overrides are the base's business. */
const variantRules = rulesDocumentSchema.omit({ stages: true });
export type VariantRules = RuleOverrides;

const variantSchema = z
  .object({
    name: name.refine((n) => n !== UNASSIGNED && n !== EXCLUDED, `"${UNASSIGNED}" and "${EXCLUDED}" are reserved`),
    /** Relative share of the experiment's traffic (weights need not sum to 1). */
    weight: z.number().positive().max(1_000_000),
    rules: variantRules.default({}),
    /** Serve this published model version instead of the live one. */
    model: versionName.optional(),
  })
  .strict();
export type VariantConfig = z.infer<typeof variantSchema>;

const experimentSchema = z
  .object({
    id: name,
    description: z.string().max(500).optional(),
    /** Mixed with the unit id before hashing: a new salt reshuffles who sees what. */
    salt: z.string().min(1).max(200),
    enabled: z.boolean(),
    /** Share of units enrolled at all; the rest see the base rules, labelled "excluded". */
    traffic: z.number().min(0).max(1),
    surfaces: z.array(z.enum(SURFACES)).min(1),
    /** The variant others are compared with in the report; the first one when left out. */
    control: name.optional(),
    variants: z.array(variantSchema).min(2).max(20),
  })
  .strict();
export type ExperimentConfig = z.infer<typeof experimentSchema>;

const origin = z
  .string()
  .refine((o) => o === "*" || /^https?:\/\/[^/\s]+$/.test(o), 'must be "*" or a scheme and host without a path');

export const configDocumentSchema = z
  .object({
    /** Editors' schema hint; ignored. */
    $schema: z.string().optional(),
    rules: rulesDocumentSchema.default({}),
    cors: z
      .object({ origins: z.array(origin).max(100).default([]) })
      .strict()
      .default({ origins: [] }),
    experiments: z.array(experimentSchema).max(50).default([]),
    /** What POST /v1/events accepts: token lifetime, the cap on one purchase's value. */
    events: eventsConfigSchema.default(DEFAULT_EVENTS_CONFIG),
  })
  .strict()
  .superRefine((doc, ctx) => {
    const ids = new Set<string>();
    doc.experiments.forEach((experiment, i) => {
      if (ids.has(experiment.id)) {
        ctx.addIssue({ code: "custom", path: ["experiments", i, "id"], message: `"${experiment.id}" is used twice` });
      }
      ids.add(experiment.id);
      const names = new Set<string>();
      experiment.variants.forEach((variant, j) => {
        if (names.has(variant.name)) {
          ctx.addIssue({
            code: "custom",
            path: ["experiments", i, "variants", j, "name"],
            message: `"${variant.name}" is used twice in experiment "${experiment.id}"`,
          });
        }
        names.add(variant.name);
      });
      if (experiment.control !== undefined && !names.has(experiment.control)) {
        ctx.addIssue({
          code: "custom",
          path: ["experiments", i, "control"],
          message: `names no variant of "${experiment.id}"`,
        });
      }
    });
    for (const clash of overlappingKnobs(doc.experiments)) {
      ctx.addIssue({
        code: "custom",
        path: ["experiments", clash.second],
        message:
          `overrides ${clash.knob} on ${clash.surface}, which experiment "${doc.experiments[clash.first]?.id}" ` +
          "already varies there: a unit in both would see one arm's knob under the other's label",
      });
    }
  });

export type ConfigDocument = z.infer<typeof configDocumentSchema>;

/** The knobs an experiment varies, as "section.knob" paths ("model" for a pinned version). */
export function knobsOf(experiment: ExperimentConfig): Set<string> {
  const knobs = new Set<string>();
  for (const variant of experiment.variants) {
    for (const [section, overrides] of Object.entries(variant.rules as RulesDocument)) {
      for (const knob of Object.keys(overrides ?? {})) knobs.add(`${section}.${knob}`);
    }
    if (variant.model !== undefined) knobs.add("model");
  }
  return knobs;
}

/** Pairs of enabled experiments that vary the same knob on the same surface. */
function overlappingKnobs(experiments: readonly ExperimentConfig[]) {
  const clashes: { first: number; second: number; knob: string; surface: Surface }[] = [];
  const knobs = experiments.map(knobsOf);
  for (let b = 0; b < experiments.length; b++) {
    for (let a = 0; a < b; a++) {
      const [first, second] = [experiments[a], experiments[b]];
      if (!first?.enabled || !second?.enabled) continue;
      const surface = first.surfaces.find((s) => second.surfaces.includes(s));
      const knob = [...(knobs[b] ?? [])].find((k) => knobs[a]?.has(k));
      if (surface !== undefined && knob !== undefined) clashes.push({ first: a, second: b, knob, surface });
    }
  }
  return clashes;
}

export type ParsedConfig = { ok: true; document: ConfigDocument } | { ok: false; errors: string[] };

export function parseConfigDocument(value: unknown): ParsedConfig {
  const result = configDocumentSchema.safeParse(value);
  return result.success ? { ok: true, document: result.data } : { ok: false, errors: issueLines(result.error) };
}

/** Parses the text of a config document: JSON syntax errors come back as one line too. */
export function parseConfigText(text: string): ParsedConfig {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, errors: [`(root): not JSON: ${error instanceof Error ? error.message : String(error)}`] };
  }
  return parseConfigDocument(value);
}

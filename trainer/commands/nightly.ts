import { defineCommand } from "citty";
import { writeArtifacts } from "../artifacts.js";
import type { TaskMetrics } from "../eval/evaluate.js";
import { runEval } from "../eval/runEval.js";
import type { ServedMetrics } from "../eval/servedEval.js";
import { publishIfGatePasses } from "../publish/gatedPublish.js";
import { publishedLine } from "../publish/publishAndPrune.js";
import { createReporter } from "../progress.js";
import { train } from "../train.js";
import { kvTarget, localKvArgs, numberArg, remoteKvArgs } from "./args.js";
import { kvDescription, withKv } from "./openKv.js";
import { requiredOrdersArg, trainArgs, trainOptionsFrom } from "./trainArgs.js";

/**
 * The metrics the gate compares, flattened: "basket.HR@10" → value, and the served answers' money and
 * hit rate ("served.anchor.revenue@10"), so a model that ranks as well but earns less is refused too.
 */
export function gateMetrics(metrics: TaskMetrics & { served?: ServedMetrics }, k: number): Record<string, number> {
  const flat: Record<string, number> = {};
  for (const task of ["basket", "anchor"] as const) {
    for (const [name, value] of Object.entries(metrics[task])) if (name !== "queries") flat[`${task}.${name}`] = value;
  }
  for (const task of ["anchor", "basket"] as const) {
    const served = metrics.served?.[task];
    if (!served) continue;
    for (const name of [`HR@${k}`, `revenue@${k}`] as const) {
      const value = served[name];
      if (value !== undefined) flat[`served.${task}.${name}`] = value;
    }
  }
  return flat;
}

export const nightlyCommand = defineCommand({
  meta: {
    name: "nightly",
    description: "Train, evaluate on the latest window, and publish only if no metric drops past the tolerance",
  },
  args: {
    ...requiredOrdersArg,
    ...trainArgs,
    local: { type: "boolean", description: "publish to the local KV store that `wrangler dev` reads", default: false },
    ...remoteKvArgs,
    ...localKvArgs,
    "window-days": { type: "string", description: "evaluate on the last N days of orders", default: "28" },
    tolerance: { type: "string", description: "largest relative drop allowed per metric", default: "0.02" },
    keep: { type: "string", description: "versions kept in KV for rollback", default: "5" },
    out: { type: "string", description: "folder that receives <version>/", default: "models/out" },
    json: {
      type: "boolean",
      description: "each step and the validation report as JSON lines on stderr",
      default: false,
    },
  },
  async run({ args }) {
    kvTarget(args); // before training: a wrong flag should not cost a training run
    const reporter = createReporter({ json: args.json });
    const options = trainOptionsFrom(args, reporter);
    const tolerance = numberArg("tolerance", args.tolerance, { min: 0, max: 1 });
    const keep = numberArg("keep", args.keep, { min: 1, max: 1000, integer: true });
    const lastDays = numberArg("window-days", args["window-days"], { min: 1, max: 3650, integer: true });
    const evaluation = await runEval({
      ...options,
      orders: args.orders,
      cut: { lastDays },
      k: 10,
      baselines: "none",
    });
    const sidecart = evaluation.models.sidecart;
    if (!sidecart) throw new Error("the evaluation did not score sidecart's model");
    const metrics = gateMetrics(sidecart, 10);
    reporter.info(`evaluated on the window from ${evaluation.cut}: ${JSON.stringify(metrics)}`);
    const artifacts = await writeArtifacts(await train(options), args.out, new Date(), metrics);

    const published = await withKv(args, reporter, (kv) => publishIfGatePasses(kv, artifacts, { tolerance, keep }));
    reporter.info(publishedLine(published, keep, kvDescription(args)));
  },
});

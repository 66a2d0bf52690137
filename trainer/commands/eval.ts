import { writeFile } from "node:fs/promises";
import { defineCommand } from "citty";
import { readConfigFile } from "../config/configFile.js";
import { runEval } from "../eval/runEval.js";
import { parseSweep } from "../eval/sweep.js";
import { formatHtml, formatTable } from "../eval/report.js";
import { createReporter } from "../progress.js";
import { numberArg } from "./args.js";
import { requiredOrdersArg, trainArgs, trainOptionsFrom } from "./trainArgs.js";

export const evalCommand = defineCommand({
  meta: {
    name: "eval",
    description: "Evaluate sidecart's model against baselines on a time split (basket and anchor tasks)",
  },
  args: {
    ...requiredOrdersArg,
    ...trainArgs,
    cut: { type: "string", description: "train before this date, test from it (YYYY-MM-DD)", required: true },
    k: { type: "string", description: "list length for HR, Recall and NDCG", default: "10" },
    json: { type: "string", description: "write the figures as JSON to this file" },
    html: { type: "string", description: "write an HTML report with plots to this file" },
    config: {
      type: "string",
      description:
        "a config document (as `sidecart config validate` checks it): its rules, and each experiment arm, for the served answers",
    },
    sweep: {
      type: "string",
      description:
        "served figures over a knob's range, one row per value, the knob named as in the config: crossSell.priceRatio=0.1:1.0:0.1, bundle.priceRatio=0.1:1.0:0.1 or upsell.priceBand=1.1:2.0:0.1 (several: separate with commas)",
    },
    "skip-ease": {
      type: "boolean",
      description: "skip the dense EASE baseline (slow: a tuned dense inversion)",
      default: false,
    },
  },
  async run({ args }) {
    const reporter = createReporter();
    // Read and validated before the orders, so a bad file fails in a second rather than after training.
    const config = args.config ? await readConfigFile(args.config) : null;
    const sweeps = (args.sweep ?? "")
      .split(",")
      .filter((spec) => spec.trim() !== "")
      .map(parseSweep);
    const result = await runEval({
      ...trainOptionsFrom(args, reporter),
      orders: args.orders,
      cut: args.cut,
      k: numberArg("k", args.k, { min: 1, max: 100, integer: true }),
      baselines: args["skip-ease"] ? "no-ease" : "all",
      config,
      sweeps,
    });
    process.stdout.write(`${formatTable(result)}\n`);
    if (args.json) await writeFile(args.json, `${JSON.stringify(result, null, 2)}\n`);
    if (args.html) await writeFile(args.html, formatHtml(result));
  },
});

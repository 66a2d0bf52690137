import { defineCommand } from "citty";
import { parseConfigDocument, type ExperimentConfig } from "../../models/config/configDocument.js";
import { readPushedConfig } from "../config/configStore.js";
import { UserError } from "../errors.js";
import { readUnitTotals } from "../experiments/eventTotals.js";
import { buildReport } from "../experiments/report.js";
import { formatReport } from "../experiments/reportTable.js";
import { formatOfflinePrediction, readOfflinePrediction } from "../experiments/offlinePrediction.js";
import { kvStoreOf, openLocalPlatform } from "../publish/localKv.js";
import { localKvArgs } from "./args.js";

export const experimentsReportCommand = defineCommand({
  meta: { name: "report", description: "Per experiment and variant: CTR, add-to-cart rate, revenue per impression" },
  args: {
    local: { type: "boolean", description: "the local stores that `wrangler dev` writes", default: false },
    json: { type: "boolean", description: "print the report as JSON", default: false },
    events: { type: "string", description: "D1 binding that holds the events", default: "EVENTS" },
    offline: {
      type: "string",
      description:
        "an eval JSON (sidecart eval --config FILE --json): its prediction for each arm, beside the online figures",
    },
    ...localKvArgs,
  },
  async run({ args }) {
    // The events are in wrangler dev's D1: the trainer has no API reader for the account's D1.
    if (!args.local) throw new UserError("the report reads the local stores that `wrangler dev` writes; pass --local");
    // Read first: a wrong file should fail before the stores are opened.
    const offline = args.offline ? await readOfflinePrediction(args.offline) : null;
    const platform = await openLocalPlatform({ configPath: args.config, persistTo: args["persist-to"] });
    let experiments: ExperimentConfig[];
    let rows;
    try {
      // Weights and controls come from the live document: the pushed one, else wrangler.toml's.
      const pushed = await readPushedConfig(kvStoreOf(platform, args.binding, args.config));
      const defaults = parseConfigDocument(platform.env.CONFIG ?? {});
      experiments = pushed?.experiments ?? (defaults.ok ? defaults.document.experiments : []);
      rows = await readUnitTotals(platform.env, args.events, args.config);
    } finally {
      await platform.dispose();
    }
    const report = buildReport(rows, experiments);
    process.stdout.write(
      args.json
        ? `${JSON.stringify({ experiments: report, ...(offline ? { offline } : {}) }, null, 2)}\n`
        : `${formatReport(report)}\n${offline ? `\n${formatOfflinePrediction(offline)}\n` : ""}`,
    );
  },
});

export const experimentsCommand = defineCommand({
  meta: { name: "experiments", description: "Read what the experiments did" },
  subCommands: { report: experimentsReportCommand },
});

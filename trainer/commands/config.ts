import { defineCommand } from "citty";
import { readConfigFile } from "../config/configFile.js";
import { pushConfig } from "../config/configStore.js";
import { createReporter } from "../progress.js";
import { localKvArgs, remoteKvArgs } from "./args.js";
import { kvDescription, withKv } from "./openKv.js";

const file = { type: "positional", description: "the config document (JSON)", required: true } as const;

function summary(experiments: number, digest: string): string {
  return `${experiments} experiment${experiments === 1 ? "" : "s"}, digest ${digest}`;
}

export const configValidateCommand = defineCommand({
  meta: { name: "validate", description: "Check a config document against the schema the worker uses" },
  args: { file },
  async run({ args }) {
    const config = await readConfigFile(args.file);
    createReporter().info(`${args.file}: valid (${summary(config.document.experiments.length, config.digest)})`);
  },
});

export const configPushCommand = defineCommand({
  meta: { name: "push", description: "Validate a config document and make it live in KV" },
  args: {
    file,
    local: { type: "boolean", description: "the local KV store that `wrangler dev` reads", default: false },
    ...remoteKvArgs,
    ...localKvArgs,
  },
  async run({ args }) {
    const reporter = createReporter();
    const config = await readConfigFile(args.file);
    await withKv(args, reporter, (kv) => pushConfig(kv, config));
    reporter.info(
      `pushed ${args.file} to ${kvDescription(args)} (${summary(config.document.experiments.length, config.digest)}); ` +
        "workers pick it up within CONFIG_REFRESH_SECONDS, /healthz shows the digest",
    );
  },
});

export const configCommand = defineCommand({
  meta: { name: "config", description: "Validate and push the config document (rules, CORS, experiments)" },
  subCommands: { validate: configValidateCommand, push: configPushCommand },
});

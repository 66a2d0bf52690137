import { defineCommand, runCommand, showUsage, type SubCommandsDef } from "citty";
import { UserError } from "./errors.js";
import { publishCommand } from "./commands/publish.js";
import { trainCommand } from "./commands/train.js";
import { evalCommand } from "./commands/eval.js";
import { nightlyCommand } from "./commands/nightly.js";
import { rollbackCommand } from "./commands/rollback.js";

const commands = {
  train: trainCommand,
  eval: evalCommand,
  publish: publishCommand,
  nightly: nightlyCommand,
  rollback: rollbackCommand,
} satisfies SubCommandsDef;

export const main = defineCommand({
  meta: { name: "sidecart", version: "0.1.0", description: "Train and publish sidecart cross-sell and upsell models" },
  subCommands: commands,
});

async function usageFor(rawArgs: readonly string[]): Promise<void> {
  const name = rawArgs.find((a) => !a.startsWith("-"));
  if (name === "train") await showUsage(trainCommand);
  else if (name === "eval") await showUsage(evalCommand);
  else if (name === "publish") await showUsage(publishCommand);
  else if (name === "nightly") await showUsage(nightlyCommand);
  else if (name === "rollback") await showUsage(rollbackCommand);
  else await showUsage(main);
}

/** The one place that exits: user mistakes as one line, bugs with their stack. */
export async function run(rawArgs: string[]): Promise<number> {
  if (rawArgs.length === 0 || rawArgs.includes("--help") || rawArgs.includes("-h")) {
    await usageFor(rawArgs);
    return rawArgs.length === 0 ? 1 : 0;
  }
  try {
    await runCommand(main, { rawArgs });
    return 0;
  } catch (error) {
    if (error instanceof UserError) {
      process.stderr.write(`sidecart: ${error.message}\n`);
      return 1;
    }
    if (error instanceof Error && error.name === "CLIError") {
      await usageFor(rawArgs);
      process.stderr.write(`sidecart: ${error.message}\n`);
      return 1;
    }
    process.stderr.write(
      `sidecart: internal error (a bug, please report it)\n${error instanceof Error ? error.stack : String(error)}\n`,
    );
    return 2;
  }
}

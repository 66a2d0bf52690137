import { stripVTControlCharacters } from "node:util";
import { defineCommand, renderUsage, runCommand, type CommandDef, type SubCommandsDef } from "citty";
import { UnknownCommandError, UserError } from "./errors.js";
import { publishCommand } from "./commands/publish.js";
import { trainCommand } from "./commands/train.js";
import { evalCommand } from "./commands/eval.js";
import { nightlyCommand } from "./commands/nightly.js";
import { rollbackCommand } from "./commands/rollback.js";
import { configCommand } from "./commands/config.js";
import { checkFlags } from "./commands/unknownFlags.js";
import { experimentsCommand } from "./commands/experiments.js";

const commands = {
  train: trainCommand,
  eval: evalCommand,
  publish: publishCommand,
  nightly: nightlyCommand,
  rollback: rollbackCommand,
  config: configCommand,
  experiments: experimentsCommand,
} satisfies SubCommandsDef;

const meta = {
  name: "sidecart",
  version: "0.1.0",
  description: "Train and publish sidecart cross-sell and upsell models",
};

export const main = defineCommand({
  meta,
  subCommands: commands,
});

/**
 * Colour only for a person at a terminal: citty colours unless NO_COLOR is exactly "1", so a pipe or
 * a log file got escape codes. NO_COLOR with any value turns it off (no-color.org), as TERM=dumb does.
 */
export function colourOn(terminal = process.stdout.isTTY === true, env = process.env): boolean {
  return terminal && (env.NO_COLOR ?? "") === "" && env.TERM !== "dumb";
}

async function showUsage(command: CommandDef, parent?: CommandDef): Promise<void> {
  const usage = await renderUsage(command, parent);
  process.stdout.write(`${colourOn() ? usage : stripVTControlCharacters(usage)}\n\n`);
}

async function usageFor(rawArgs: readonly string[]): Promise<void> {
  const [name, sub] = rawArgs.filter((a) => !a.startsWith("-"));
  const command: CommandDef | undefined =
    name !== undefined && Object.hasOwn(commands, name)
      ? (commands[name as keyof typeof commands] as CommandDef)
      : undefined;
  if (command === undefined) return showUsage(main);
  const subCommands = (command.subCommands ?? {}) as SubCommandsDef;
  const child = sub === undefined ? undefined : (subCommands[sub] as CommandDef | undefined);
  await (child ? showUsage(child, command) : showUsage(command, main));
}

/** The one place that exits: user mistakes as one line, bugs with their stack. */
export async function run(rawArgs: string[]): Promise<number> {
  if (rawArgs.length === 0 || rawArgs.includes("--help") || rawArgs.includes("-h")) {
    await usageFor(rawArgs);
    return rawArgs.length === 0 ? 1 : 0;
  }
  // Unknown flags are refused now, so the one every CLI has must be known.
  if (rawArgs.length === 1 && (rawArgs[0] === "--version" || rawArgs[0] === "-v")) {
    process.stdout.write(`${meta.version}\n`);
    return 0;
  }
  try {
    // Before any work: a misspelt flag must not run with its default instead.
    await checkFlags(main, rawArgs);
    await runCommand(main, { rawArgs });
    return 0;
  } catch (error) {
    if (error instanceof UnknownCommandError) {
      await usageFor(rawArgs);
      process.stderr.write(`sidecart: ${error.message}\n`);
      return 1;
    }
    if (error instanceof UserError) {
      process.stderr.write(`sidecart: ${error.message}\n`);
      return 1;
    }
    if (error instanceof Error && error.name === "CLIError") {
      await usageFor(rawArgs);
      process.stderr.write(`sidecart: ${stripVTControlCharacters(error.message)}\n`);
      return 1;
    }
    process.stderr.write(
      `sidecart: internal error (a bug, please report it)\n${error instanceof Error ? error.stack : String(error)}\n`,
    );
    return 2;
  }
}

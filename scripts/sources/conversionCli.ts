/**
 * The command line of a source conversion: flags parsed strictly (a misspelt one stops the run),
 * a user's mistake as one line on stderr with exit code 1, what was written on stdout.
 */
import { parseArgs, type ParseArgsConfig } from "node:util";
import { UserError } from "../../trainer/errors.js";

type Options = NonNullable<ParseArgsConfig["options"]>;

/** The flags' values; a required one missing, an unknown one or a stray argument is a UserError. */
export function conversionFlags<T extends Options>(
  argv: readonly string[],
  usage: string,
  options: T,
  required: readonly (keyof T & string)[],
) {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options, strict: true, allowPositionals: false });
  } catch (error) {
    throw new UserError(`${(error as Error).message}\nusage: ${usage}`);
  }
  const given: Record<string, unknown> = parsed.values;
  const missing = required.filter((name) => given[name] === undefined);
  if (missing.length > 0) throw new UserError(`missing --${missing.join(", --")}\nusage: ${usage}`);
  return parsed.values;
}

/** Runs a conversion; prints its report, or its UserError as one line and exit code 1. */
export async function runConversion(name: string, convert: () => Promise<string>): Promise<void> {
  try {
    process.stdout.write(`${await convert()}\n`);
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    process.stderr.write(`${name}: ${error.message}\n`);
    process.exitCode = 1;
  }
}

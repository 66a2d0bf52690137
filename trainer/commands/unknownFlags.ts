import type { ArgsDef, CommandDef, CommandMeta, Resolvable, SubCommandsDef } from "citty";
import { closest } from "../editDistance.js";
import { UnknownCommandError, UserError } from "../errors.js";

/*
 * citty parses with strict: false, so a misspelt flag is silently dropped (`train --curency GBP`
 * trained a USD model). This walks the raw arguments the way citty resolves subcommands and refuses
 * any flag the command does not declare, once for every command.
 */

async function resolve<T>(value: Resolvable<T>): Promise<T> {
  return typeof value === "function" ? (value as () => T | Promise<T>)() : value;
}

const camel = (name: string) => name.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
const kebab = (name: string) => name.replace(/([a-z0-9])([A-Z])/g, "$1-$2").toLowerCase();

/** The spellings citty accepts for a command's flags. */
interface Flags {
  /** Long names (declared, camelCase and kebab-case variants, aliases) → takes a value. */
  long: Map<string, boolean>;
  /** One-letter aliases → takes a value. */
  short: Map<string, boolean>;
  /** Switches, which `--no-<name>` turns off. */
  switches: Set<string>;
  /** What a suggestion may name: the declared long forms and the negated switches. */
  suggestions: string[];
}

function flagsOf(args: ArgsDef): Flags {
  const flags: Flags = { long: new Map(), short: new Map(), switches: new Set(), suggestions: [] };
  for (const [name, def] of Object.entries(args)) {
    if (def.type === "positional") continue;
    const takesValue = def.type !== "boolean";
    const aliases = "alias" in def && def.alias !== undefined ? [def.alias].flat() : [];
    const spellings = [name, camel(name), kebab(name), ...aliases];
    for (const spelling of spellings) flags.long.set(spelling, takesValue);
    for (const alias of aliases) if (alias.length === 1) flags.short.set(alias, takesValue);
    flags.suggestions.push(`--${name}`);
    if (!takesValue) {
      for (const spelling of spellings) flags.switches.add(spelling);
      flags.suggestions.push(`--no-${name}`);
    }
  }
  return flags;
}

/** Where a flag was given: "train", "config push", or the program itself. */
interface Place {
  label: string;
  usage: string;
  flags: Flags;
}

function unknownFlag(typed: string, place: Place): UserError {
  const known = typed.startsWith("--") ? place.flags.suggestions : [...place.flags.short.keys()].map((k) => `-${k}`);
  const suggestion = closest(typed, known);
  const hint = suggestion === undefined ? `see ${place.usage} --help` : `did you mean ${suggestion}?`;
  return new UserError(`unknown flag ${typed} for ${place.label} (${hint})`);
}

/**
 * Checks one flag token; returns how many following tokens it consumes (its value), or throws
 * naming the flag and the closest known one.
 */
function checkToken(token: string, next: string | undefined, place: Place): number {
  const { flags } = place;
  if (token.startsWith("--")) {
    const [name = "", value] = token.slice(2).split(/=(.*)/s);
    const takesValue = flags.long.get(name);
    if (takesValue !== undefined) return takesValue && value === undefined && next !== undefined ? 1 : 0;
    // citty turns any --no-<name> off; only a switch has an off.
    if (name.startsWith("no-") && flags.switches.has(name.slice(3))) return 0;
    throw unknownFlag(`--${name}`, place);
  }
  // A group of one-letter flags (-ab), the first that takes a value ending it (-ofile or -o file).
  for (let i = 1; i < token.length; i++) {
    const letter = token[i] ?? "";
    const takesValue = flags.short.get(letter);
    if (takesValue === undefined) throw unknownFlag(`-${letter}`, place);
    if (takesValue) return i === token.length - 1 && next !== undefined ? 1 : 0;
  }
  return 0;
}

async function findSubCommand(subCommands: SubCommandsDef, name: string): Promise<CommandDef | undefined> {
  if (Object.hasOwn(subCommands, name)) return resolve(subCommands[name] as Resolvable<CommandDef>);
  for (const sub of Object.values(subCommands)) {
    const command: CommandDef = await resolve(sub);
    const meta: CommandMeta = await resolve(command.meta ?? {});
    if (meta.alias !== undefined && [meta.alias].flat().includes(name)) return command;
  }
  return undefined;
}

/**
 * Throws a UserError for the first flag in rawArgs that its command (or subcommand) does not
 * declare, or an UnknownCommandError (with the closest command's name) for a command it lacks.
 */
export async function checkFlags(root: CommandDef, rawArgs: readonly string[]): Promise<void> {
  const program = (await resolve(root.meta ?? {})).name ?? "sidecart";
  const path: string[] = [];
  let place: Place = { label: program, usage: program, flags: flagsOf(await resolve(root.args ?? {})) };
  let subCommands = await resolve(root.subCommands ?? {});
  for (let i = 0; i < rawArgs.length; i++) {
    const token = rawArgs[i] ?? "";
    if (token === "--") return;
    if (token.startsWith("-") && token !== "-") {
      i += checkToken(token, rawArgs[i + 1], place);
      continue;
    }
    if (Object.keys(subCommands).length === 0) continue; // a positional argument
    const command = await findSubCommand(subCommands, token);
    if (command === undefined) throw new UnknownCommandError(token, path, closest(token, Object.keys(subCommands)));
    path.push(token);
    place = {
      label: path.join(" "),
      usage: `${program} ${path.join(" ")}`,
      flags: flagsOf(await resolve(command.args ?? {})),
    };
    subCommands = await resolve(command.subCommands ?? {});
  }
}

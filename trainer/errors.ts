/**
 * A mistake of the user's (bad file, bad flag): shown as one line, exit code 1, no stack trace.
 * Anything else that escapes is a bug and keeps its stack.
 */
export class UserError extends Error {
  override name = "UserError";
}

/** A problem in an input file, located to the line. */
export class InputError extends UserError {
  constructor(
    readonly file: string,
    readonly line: number | null,
    readonly problem: string,
  ) {
    super(line === null ? `${file}: ${problem}` : `${file}:${line}: ${problem}`);
  }
}

/** A command or subcommand that does not exist: the usage of where it was typed, then one line. */
export class UnknownCommandError extends UserError {
  constructor(
    readonly typed: string,
    /** The command path it was typed after ([] for the program itself), for its usage. */
    readonly path: readonly string[],
    suggestion: string | undefined,
  ) {
    const where = path.length === 0 ? "" : ` for ${path.join(" ")}`;
    super(`unknown command ${typed}${where}${suggestion === undefined ? "" : ` (did you mean ${suggestion}?)`}`);
  }
}

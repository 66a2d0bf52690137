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

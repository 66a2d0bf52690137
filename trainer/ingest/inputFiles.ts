import { isAbsolute } from "node:path";
import { glob, isDynamicPattern } from "tinyglobby";
import { UserError } from "../errors.js";

/**
 * The files an input flag names: one path, or a glob (`exports/orders-*.csv.gz`) read in name order,
 * so a run over the same files always reads them in the same order.
 */
export async function expandInputs(flag: string, spec: string): Promise<string[]> {
  if (!isDynamicPattern(spec)) return [spec];
  const files = (await glob(spec, { onlyFiles: true, expandDirectories: false, absolute: isAbsolute(spec) })).sort();
  if (files.length === 0) throw new UserError(`--${flag} ${spec}: no file matches`);
  return files;
}

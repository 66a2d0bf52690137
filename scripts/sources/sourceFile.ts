/**
 * A public data set's own file, read row by row through the trainer's reader (CSV, TSV, JSON Lines
 * or Parquet, plain or gzip; headers matched without case), so a conversion reads exactly what the
 * trainer could and names a bad line the same way.
 */
import { InputError } from "../../trainer/errors.js";
import { NO_MAP } from "../../trainer/ingest/columnMap.js";
import { openRecords } from "../../trainer/ingest/records.js";

export interface SourceRow {
  readonly line: number;
  /** The field of a column the file has; R's NA and a missing column read as "". */
  text(column: string): string;
  /** A number, or an InputError naming the file, line and column; empty reads as `empty`. */
  number(column: string, empty?: number): number;
}

/** Calls `each` for every row of `path`, which must have the `required` columns. */
export async function readSourceRows(
  path: string,
  required: readonly string[],
  each: (row: SourceRow) => void,
): Promise<void> {
  const file = await openRecords(path, { required, map: NO_MAP }).catch((error: unknown) => {
    // The trainer's hint to use --map means nothing here: a conversion reads the source's own names.
    if (error instanceof InputError) {
      throw new InputError(error.file, error.line, error.problem.replace(/; map with --map [^)]*\)$/, ")"));
    }
    throw error;
  });
  const columns = new Map(file.header.map((name, i) => [name, i]));
  let line = 0;
  let text: (column: number) => string = () => "";
  const row: SourceRow = {
    get line() {
      return line;
    },
    text(column) {
      const value = text(columns.get(column) ?? -1);
      return value === "NA" ? "" : value;
    },
    number(column, empty) {
      const value = row.text(column);
      if (value === "" && empty !== undefined) return empty;
      const parsed = value === "" ? Number.NaN : Number(value);
      if (!Number.isFinite(parsed)) throw new InputError(path, line, `${column} "${value}" is not a number`);
      return parsed;
    },
  };
  await file.read({
    malformed(at, problem) {
      throw new InputError(path, at, problem);
    },
    row(record) {
      line = record.line;
      text = (column) => record.text(column);
      each(row);
    },
  });
}

import { stat } from "node:fs/promises";
import { asyncBufferFromFile, parquetMetadataAsync, parquetRead, parquetSchema } from "hyparquet";
import { compressors } from "hyparquet-compressors";
import { InputError } from "../errors.js";
import { recordFile, type OpenOptions, type RecordFile, type Row } from "./recordFile.js";

function text(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value.trim();
  if (value instanceof Date) return value.toISOString();
  if (typeof value === "number" || typeof value === "bigint" || typeof value === "boolean") return String(value);
  return JSON.stringify(value, (_, v: unknown) => (typeof v === "bigint" ? String(v) : v));
}

/**
 * Parquet through hyparquet (pure JS, every standard codec with hyparquet-compressors): read one row
 * group at a time, so memory follows the row group, not the file. Rows count from 1 in messages.
 */
export async function readParquet(path: string, options: OpenOptions): Promise<RecordFile> {
  const { size: totalBytes } = await stat(path);
  const file = await asyncBufferFromFile(path);
  const metadata = await parquetMetadataAsync(file).catch((error: unknown) => {
    throw new InputError(path, null, `not a readable Parquet file (${(error as Error).message})`);
  });
  const original = parquetSchema(metadata).children.map((child) => child.element.name);
  return recordFile(path, "parquet", totalBytes, original, options, async (handlers) => {
    let current: unknown[] = [];
    let line = 0;
    const row: Row = {
      get line() {
        return line;
      },
      text: (column) => text(current[column]),
    };
    let rowStart = 0;
    for (const group of metadata.row_groups) {
      const rowEnd = rowStart + Number(group.num_rows);
      let rows: unknown[][] = [];
      await parquetRead({
        file,
        metadata,
        compressors,
        columns: original,
        rowStart,
        rowEnd,
        onComplete: (complete: unknown[][]) => {
          rows = complete;
        },
      }).catch((error: unknown) => {
        throw new InputError(path, rowStart + 1, `a damaged row group (${(error as Error).message})`);
      });
      for (let i = 0; i < rows.length; i++) {
        current = rows[i] ?? [];
        line = rowStart + i + 1;
        handlers.row(row);
      }
      rowStart = rowEnd;
      handlers.progress?.(Math.round((totalBytes * rowStart) / Math.max(1, Number(metadata.num_rows))));
    }
  });
}

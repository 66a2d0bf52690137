/**
 * What every input format's reader shares: the record types, the byte stream (gzip seen through),
 * stream errors in one line, and the header check. Its own module so that the readers (CSV and TSV in
 * records.ts, jsonLines.ts, parquetRows.ts) and records.ts's openRecords, which picks one, import it
 * rather than each other.
 */
import { createReadStream } from "node:fs";
import { open } from "node:fs/promises";
import type { Readable } from "node:stream";
import { createGunzip } from "node:zlib";
import { InputError } from "../errors.js";
import { mappedHeader, type ColumnMap } from "./columnMap.js";

export type RecordFormat = "csv" | "tsv" | "jsonl" | "parquet";

/** One record of an input file; `text(column)` takes an index from `RecordFile.column`. */
export interface Row {
  /** 1-based line of the record (the header is line 1 of a CSV; a Parquet row counts from 1). */
  readonly line: number;
  text(column: number): string;
}

export interface RowHandlers {
  row(row: Row): void;
  /** A record that could not be read at all (bad quoting, wrong field count, not JSON). */
  malformed(line: number, problem: string): void;
  /** Bytes of the file read so far, now and then (compressed bytes for gzip). */
  progress?(bytesRead: number): void;
}

export interface RecordFile {
  path: string;
  format: RecordFormat;
  /** Column names under sidecart's names (see columnMap.ts). */
  header: readonly string[];
  totalBytes: number;
  /** Index of a column for Row.text, or -1 when the file has none. */
  column(name: string): number;
  /** Reads every record in order; stops at damage it cannot skip past (with an InputError). */
  read(handlers: RowHandlers): Promise<void>;
}

export interface OpenOptions {
  /** Columns (sidecart's names) the file must have. */
  required: readonly string[];
  map: ColumnMap;
}

async function startsWithGzip(path: string): Promise<boolean> {
  const handle = await open(path, "r");
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(2), 0, 2, 0);
    return bytesRead === 2 && buffer[0] === 0x1f && buffer[1] === 0x8b;
  } finally {
    await handle.close();
  }
}

/** The file's bytes, gunzipped when they start with gzip's magic (whatever the name says). */
export async function byteStream(path: string): Promise<{ stream: Readable; bytesRead: () => number }> {
  const gzip = await startsWithGzip(path);
  const raw = createReadStream(path, { highWaterMark: 1 << 20 });
  if (!gzip) return { stream: raw, bytesRead: () => raw.bytesRead };
  const gunzip = createGunzip({ chunkSize: 1 << 20 });
  raw.on("error", (error) => gunzip.destroy(error));
  return { stream: raw.pipe(gunzip), bytesRead: () => raw.bytesRead };
}

/** Stream errors as one line naming the file. */
export function streamProblem(path: string, error: unknown): never {
  if (error instanceof InputError) throw error;
  const e = error as { code?: string; message?: string };
  if (e.code === "Z_DATA_ERROR" || e.code === "Z_BUF_ERROR" || e.code === "ERR_STREAM_PREMATURE_CLOSE") {
    throw new InputError(path, null, `corrupt or truncated gzip (${e.message ?? e.code})`);
  }
  if (typeof e.code === "string" && e.code.startsWith("E")) {
    throw new InputError(path, null, `cannot read the file (${e.code})`);
  }
  throw error;
}

/** Checks the header for duplicates and the required columns, naming what was found. */
export function checkHeader(path: string, header: readonly string[], options: OpenOptions): void {
  const seen = new Set<string>();
  for (const name of header) {
    if (seen.has(name)) throw new InputError(path, 1, `duplicate column "${name}"`);
    seen.add(name);
  }
  const missing = options.required.filter((r) => !seen.has(r));
  if (missing.length === 0) return;
  const mapped = missing.map((m) => (options.map.has(m) ? `"${m}" (mapped to "${options.map.get(m)}")` : `"${m}"`));
  throw new InputError(
    path,
    1,
    `missing column${missing.length > 1 ? "s" : ""} ${mapped.join(", ")} (found: ${header.join(", ")}; map with --map ${missing[0] ?? ""}=<column>)`,
  );
}

/** A RecordFile over the header a file names: mapped to sidecart's names and checked. */
export function recordFile(
  path: string,
  format: RecordFormat,
  totalBytes: number,
  original: readonly string[],
  options: OpenOptions,
  read: RecordFile["read"],
): RecordFile {
  const names = mappedHeader(original, options.map);
  checkHeader(path, names, options);
  return { path, format, header: names, totalBytes, column: (name) => names.indexOf(name), read };
}

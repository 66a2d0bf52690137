import { createReadStream } from "node:fs";
import { open, stat } from "node:fs/promises";
import { createGunzip } from "node:zlib";
import type { Readable } from "node:stream";
import { parse } from "csv-parse";
import { InputError } from "../errors.js";

export interface CsvRow {
  /** 1-based line number in the file where the record starts (the header is line 1). */
  line: number;
  get(column: string): string;
}

export interface CsvFile {
  path: string;
  header: string[];
  rows: AsyncIterable<CsvRow>;
  /** Bytes read so far from disk (compressed), for progress. */
  bytesRead(): number;
  totalBytes: number;
}

async function isGzip(path: string): Promise<boolean> {
  const handle = await open(path, "r");
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(2), 0, 2, 0);
    return bytesRead === 2 && buffer[0] === 0x1f && buffer[1] === 0x8b;
  } finally {
    await handle.close();
  }
}

/**
 * Streams a CSV file (plain or gzip, detected by its magic bytes) through csv-parse, checking the
 * header for the required columns. Errors name the file and line.
 */
export async function openCsv(path: string, required: readonly string[]): Promise<CsvFile> {
  const { size: totalBytes } = await stat(path).catch((error: NodeJS.ErrnoException) => {
    throw new InputError(path, null, `cannot read the file (${error.code ?? error.message})`);
  });
  const gzip = await isGzip(path);
  const raw = createReadStream(path);
  let source: Readable = raw;
  if (gzip) {
    const gunzip = createGunzip();
    raw.on("error", (error) => gunzip.destroy(error));
    source = raw.pipe(gunzip);
  }
  const parser = source.pipe(
    parse({ bom: true, relax_column_count: false, skip_empty_lines: true, trim: true, info: true }),
  );
  source.on("error", (error) => parser.destroy(error));

  const iterator: AsyncIterator<{ record: string[]; info: { lines: number } }> = parser[Symbol.asyncIterator]();
  const wrap = (error: unknown): never => {
    const e = error as { code?: string; message?: string; lines?: number };
    if (e.code === "Z_DATA_ERROR" || e.code === "Z_BUF_ERROR" || e.code === "ERR_STREAM_PREMATURE_CLOSE") {
      throw new InputError(path, null, `corrupt or truncated gzip (${e.message ?? e.code})`);
    }
    if (typeof e.code === "string" && e.code.startsWith("CSV_")) {
      const message = (e.message ?? e.code).replace(/^Invalid Record Length: /, "");
      throw new InputError(path, e.lines ?? null, `malformed CSV: ${message}`);
    }
    throw error;
  };

  const first = await iterator.next().catch(wrap);
  if (first.done) throw new InputError(path, null, "the file is empty (expected a header row)");
  const header = first.value.record.map((h) => h.toLowerCase());
  const seen = new Set<string>();
  for (const name of header) {
    if (seen.has(name)) throw new InputError(path, 1, `duplicate column "${name}"`);
    seen.add(name);
  }
  const missing = required.filter((r) => !seen.has(r));
  if (missing.length > 0) {
    throw new InputError(
      path,
      1,
      `missing column${missing.length > 1 ? "s" : ""} ${missing.map((m) => `"${m}"`).join(", ")} (found: ${header.join(", ")})`,
    );
  }
  const position = new Map(header.map((h, i) => [h, i]));

  async function* rows(): AsyncGenerator<CsvRow> {
    for (;;) {
      const next = await iterator.next().catch(wrap);
      if (next.done) return;
      const { record, info } = next.value;
      yield {
        line: info.lines,
        get: (column) => {
          const at = position.get(column);
          return at === undefined ? "" : (record[at] ?? "");
        },
      };
    }
  }

  return { path, header, rows: rows(), bytesRead: () => raw.bytesRead, totalBytes };
}

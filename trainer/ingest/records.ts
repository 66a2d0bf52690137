import { stat } from "node:fs/promises";
import { InputError } from "../errors.js";
import { DelimitedScanner, fieldText, ScanError, type ScannedRecord } from "./delimitedScanner.js";
import { readJsonLines } from "./jsonLines.js";
import { readParquet } from "./parquetRows.js";
import {
  byteStream,
  recordFile,
  streamProblem,
  type OpenOptions,
  type RecordFile,
  type RecordFormat,
  type Row,
} from "./recordFile.js";

/** The format from the name (.csv, .tsv/.tab, .jsonl/.ndjson, .parquet; a .gz suffix is seen through). */
export function formatOf(path: string): RecordFormat {
  const name = path.toLowerCase().replace(/\.gz$/, "");
  if (name.endsWith(".parquet")) return "parquet";
  if (name.endsWith(".jsonl") || name.endsWith(".ndjson")) return "jsonl";
  if (name.endsWith(".tsv") || name.endsWith(".tab")) return "tsv";
  return "csv";
}

/** A CSV or TSV file: the header is read now, the records when `read` is called. */
async function openDelimited(path: string, format: "csv" | "tsv", options: OpenOptions): Promise<RecordFile> {
  const { size: totalBytes } = await stat(path);
  const delimiter = format === "tsv" ? 0x09 : 0x2c;
  const label = format.toUpperCase();
  // The header: the first record, through the same scanner.
  let header: string[] | null = null;
  {
    const { stream } = await byteStream(path);
    const scanner = new DelimitedScanner(delimiter, {
      record: (r) => {
        header ??= Array.from({ length: r.count }, (_, i) => fieldText(r, i));
      },
      malformed: (line, problem) => {
        throw new InputError(path, line, `the header cannot be read: ${problem}`);
      },
    });
    try {
      for await (const chunk of stream) {
        scanner.push(chunk as Buffer);
        if (header !== null) break;
      }
      if (header === null) scanner.end();
    } catch (error) {
      if (error instanceof ScanError) throw new InputError(path, error.line, `malformed ${label}: ${error.problem}`);
      streamProblem(path, error);
    } finally {
      stream.destroy();
    }
  }
  if (header === null) throw new InputError(path, null, "the file is empty (expected a header row)");
  // Assigned inside the scanner's callback, which TypeScript's narrowing cannot see.
  const columns: string[] = header;
  const width = columns.length;
  return recordFile(path, format, totalBytes, columns, options, async (handlers) => {
    const { stream, bytesRead } = await byteStream(path);
    let current: ScannedRecord | null = null;
    const row: Row = {
      get line() {
        return current?.line ?? 0;
      },
      text: (column) => (current === null ? "" : fieldText(current, column)),
    };
    let first = true;
    const scanner = new DelimitedScanner(delimiter, {
      record(record) {
        if (first) {
          first = false;
          return;
        }
        if (record.count !== width) {
          handlers.malformed(record.line, `${record.count} fields where the header has ${width}`);
          return;
        }
        current = record;
        handlers.row(row);
      },
      malformed: (line, problem) => handlers.malformed(line, problem),
    });
    try {
      for await (const chunk of stream) {
        scanner.push(chunk as Buffer);
        handlers.progress?.(bytesRead());
      }
      scanner.end();
    } catch (error) {
      if (error instanceof ScanError) throw new InputError(path, error.line, `malformed ${label}: ${error.problem}`);
      streamProblem(path, error);
    }
  });
}

/** Opens an orders or catalog file of any supported format, with sidecart's column names. */
export async function openRecords(path: string, options: OpenOptions): Promise<RecordFile> {
  await stat(path).catch((error: NodeJS.ErrnoException) => {
    throw new InputError(path, null, `cannot read the file (${error.code ?? error.message})`);
  });
  const format = formatOf(path);
  if (format === "jsonl") return readJsonLines(path, options);
  if (format === "parquet") return readParquet(path, options);
  return openDelimited(path, format, options);
}

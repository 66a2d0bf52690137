/**
 * A gzip CSV file written row by row, in sidecart's layout (UTF-8, header row, RFC 4180 quoting):
 * what the source conversions write.
 */
import { createWriteStream } from "node:fs";
import { mkdir } from "node:fs/promises";
import { dirname } from "node:path";
import { once } from "node:events";
import { createGzip } from "node:zlib";

export type CsvValue = string | number | null;

/** The order-line columns every conversion writes first, in sidecart's order (a source may add its own after). */
export const ORDER_LINE_COLUMNS = ["order_id", "customer_id", "timestamp", "product_id", "quantity", "unit_price"];

/** A field as CSV has it: quoted when it holds a comma, a quote or a line break; null is empty. */
export function csvField(value: CsvValue): string {
  const text = value === null ? "" : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export interface GzipCsvWriter {
  /**
   * Queues a row. Synchronous, for the reader's synchronous row callback: the reader awaits its input
   * a chunk (1 MiB) at a time, and gzip catches up in between, so the queue stays small.
   */
  row(values: readonly CsvValue[]): void;
  /** Flushes and closes; a write error of any row surfaces here. */
  close(): Promise<void>;
}

/** Opens `path` (its folder made if need be) and writes the header. */
export async function gzipCsv(path: string, header: readonly string[]): Promise<GzipCsvWriter> {
  await mkdir(dirname(path), { recursive: true });
  const gzip = createGzip();
  const file = createWriteStream(path);
  gzip.pipe(file);
  const failed = new Promise<never>((_, reject) => {
    file.on("error", reject);
    gzip.on("error", reject);
  });
  // Seen by close(); without this handler an early error would be an unhandled rejection.
  failed.catch(() => undefined);
  const row = (values: readonly CsvValue[]) => {
    gzip.write(`${values.map(csvField).join(",")}\n`);
  };
  row(header);
  return {
    row,
    async close() {
      gzip.end();
      await Promise.race([once(file, "close"), failed]);
    },
  };
}

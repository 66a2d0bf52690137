import { stat } from "node:fs/promises";
import { InputError } from "../errors.js";
import { byteStream, recordFile, streamProblem, type OpenOptions, type RecordFile, type Row } from "./recordFile.js";

const LF = 0x0a;
const MAX_LINE_BYTES = 1 << 20;

type JsonRecord = Record<string, unknown>;

function isRecord(value: unknown): value is JsonRecord {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Splits a byte stream into lines and hands each (with its number) to `line`; a line above the bound ends the read. */
async function eachLine(
  path: string,
  line: (text: string, number: number) => boolean | void,
  progress?: (n: number) => void,
) {
  const { stream, bytesRead } = await byteStream(path);
  let tail: Buffer | null = null;
  let number = 0;
  try {
    for await (const chunk of stream) {
      const bytes: Buffer = tail === null ? (chunk as Buffer) : Buffer.concat([tail, chunk as Buffer]);
      tail = null;
      let at = 0;
      for (let lf = bytes.indexOf(LF, at); lf >= 0; lf = bytes.indexOf(LF, at)) {
        number++;
        if (line(bytes.toString("utf8", at, lf), number) === false) return;
        at = lf + 1;
      }
      if (bytes.length - at > MAX_LINE_BYTES) {
        throw new InputError(path, number + 1, `a line longer than ${MAX_LINE_BYTES} bytes`);
      }
      if (at < bytes.length) tail = bytes.subarray(at);
      progress?.(bytesRead());
    }
    if (tail !== null) line(tail.toString("utf8"), number + 1);
  } catch (error) {
    streamProblem(path, error);
  } finally {
    stream.destroy();
  }
}

/** JSON Lines: one object per line; the first object's keys are the columns. Values become text. */
export async function readJsonLines(path: string, options: OpenOptions): Promise<RecordFile> {
  const { size: totalBytes } = await stat(path);
  let keys: string[] | null = null;
  await eachLine(path, (text, number) => {
    if (text.trim() === "") return;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw new InputError(path, number, `the first record is not JSON (${(error as Error).message})`);
    }
    if (!isRecord(value)) throw new InputError(path, number, "the first record is not a JSON object");
    keys = Object.keys(value);
    return false;
  });
  if (keys === null) throw new InputError(path, null, "the file is empty (expected one JSON object per line)");
  const original: string[] = keys;
  return recordFile(path, "jsonl", totalBytes, original, options, async (handlers) => {
    let current: JsonRecord = {};
    let currentLine = 0;
    const row: Row = {
      get line() {
        return currentLine;
      },
      text(column) {
        const value = current[original[column] ?? ""];
        if (value === undefined || value === null) return "";
        if (typeof value === "string") return value.trim();
        if (typeof value === "number" || typeof value === "boolean") return String(value);
        return JSON.stringify(value);
      },
    };
    await eachLine(
      path,
      (text, number) => {
        if (text.trim() === "") return;
        let value: unknown;
        try {
          value = JSON.parse(text);
        } catch (error) {
          handlers.malformed(number, `not JSON (${(error as Error).message})`);
          return;
        }
        if (!isRecord(value)) {
          handlers.malformed(number, "not a JSON object");
          return;
        }
        current = value;
        currentLine = number;
        handlers.row(row);
      },
      handlers.progress,
    );
  });
}

import type { ColumnInput, DecodedContainer } from "./blobContainer.js";

/**
 * The evidence blob's column conventions, once for its sections (item pairs, the category level, the
 * lookalikes): ids and counts in 16 bits when they fit, row starts that are checked before use, and
 * header counts that must be whole numbers.
 */

const U16_LIMIT = 0xffff;

/** A column in 16 bits when every value fits, else 32 (category ids and item ids usually fit). */
export function narrow(name: string, values: ArrayLike<number>): ColumnInput {
  let max = 0;
  for (let i = 0; i < values.length; i++) max = Math.max(max, values[i] ?? 0);
  return max > U16_LIMIT
    ? { name, type: "u32", values: Uint32Array.from(values) }
    : { name, type: "u16", values: Uint16Array.from(values) };
}

/** A column written by `narrow`, in the width it was stored. */
export function narrowColumn(blob: DecodedContainer, name: string, length: number): Uint16Array | Uint32Array {
  return blob.typeOf(name) === "u32" ? blob.numeric(name, "u32", length) : blob.numeric(name, "u16", length);
}

/** A header field that must be a count. */
export function count(value: unknown, what: string): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0)
    throw new Error(`evidence: ${what} is not a count`);
  return value;
}

/** Row starts must begin at 0, never go down, and end at the column's length. */
export function checkRows(starts: Uint32Array, length: number, what: string): void {
  if (starts[0] !== 0 || starts[starts.length - 1] !== length) throw new Error(`evidence: ${what} rows do not add up`);
  for (let c = 1; c < starts.length; c++) {
    if ((starts[c] ?? 0) < (starts[c - 1] ?? 0)) throw new Error(`evidence: ${what} rows go backwards`);
  }
}

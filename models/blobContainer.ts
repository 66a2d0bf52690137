/**
 * A small columnar container for the blobs the worker reads from KV. Layout:
 *   "SCBL" | u32 header length | UTF-8 JSON header | padding to 8 | columns, each 8-byte aligned.
 * Columns are typed arrays viewed in place (no copy on load) and strings stay encoded until read,
 * so loading a 200k-item catalog costs one pass to check bounds, not 200k string allocations.
 */

const MAGIC = [0x53, 0x43, 0x42, 0x4c]; // "SCBL"
const ALIGN = 8;

export type NumericColumnType = "i32" | "u32" | "f32" | "u16" | "i16" | "u8" | "i8";
export type ColumnType = NumericColumnType | "str";

interface ColumnHeader {
  name: string;
  type: ColumnType;
  /** Number of values (strings for "str"). */
  count: number;
  offset: number;
  length: number;
}

export type MetaValue = string | number | boolean | string[];
export type Meta = Record<string, MetaValue>;

interface ContainerHeader {
  kind: string;
  schemaVersion: number;
  meta: Meta;
  columns: ColumnHeader[];
}

export interface NumericArrays {
  i32: Int32Array;
  u32: Uint32Array;
  f32: Float32Array;
  u16: Uint16Array;
  i16: Int16Array;
  u8: Uint8Array;
  i8: Int8Array;
}
export type NumericArray = NumericArrays[NumericColumnType];

export type ColumnInput =
  | { name: string; type: NumericColumnType; values: NumericArray }
  | { name: string; type: "str"; values: readonly string[] };

/** Raised when a blob is not what its header claims; the caller must not serve it. */
export class BlobFormatError extends Error {
  override name = "BlobFormatError";
}

const BYTES: Record<NumericColumnType, number> = { i32: 4, u32: 4, f32: 4, u16: 2, i16: 2, u8: 1, i8: 1 };

function align(n: number): number {
  return Math.ceil(n / ALIGN) * ALIGN;
}

function encodeStrings(values: readonly string[]): Uint8Array<ArrayBuffer> {
  const encoder = new TextEncoder();
  const parts = values.map((v) => encoder.encode(v));
  const total = parts.reduce((sum, p) => sum + p.length, 0);
  const out = new Uint8Array(4 * (values.length + 1) + total);
  const offsets = new DataView(out.buffer);
  let at = 0;
  parts.forEach((part, i) => {
    offsets.setUint32(4 * i, at, true);
    out.set(part, 4 * (values.length + 1) + at);
    at += part.length;
  });
  offsets.setUint32(4 * values.length, at, true);
  return out;
}

export function encodeContainer(
  kind: string,
  schemaVersion: number,
  meta: Meta,
  columns: readonly ColumnInput[],
): Uint8Array<ArrayBuffer> {
  const bodies: Uint8Array[] = [];
  const headers: ColumnHeader[] = [];
  let offset = 0;
  for (const column of columns) {
    const body =
      column.type === "str"
        ? encodeStrings(column.values)
        : new Uint8Array(column.values.buffer, column.values.byteOffset, column.values.byteLength);
    headers.push({ name: column.name, type: column.type, count: column.values.length, offset, length: body.length });
    bodies.push(body);
    offset = align(offset + body.length);
  }
  const header: ContainerHeader = { kind, schemaVersion, meta, columns: headers };
  const headerBytes = new TextEncoder().encode(JSON.stringify(header));
  const dataStart = align(8 + headerBytes.length);
  const out = new Uint8Array(dataStart + offset);
  out.set(MAGIC, 0);
  new DataView(out.buffer).setUint32(4, headerBytes.length, true);
  out.set(headerBytes, 8);
  bodies.forEach((body, i) => {
    const column = headers[i];
    if (column) out.set(body, dataStart + column.offset);
  });
  return out;
}

/**
 * What a kept string of `utf8` bytes takes at most as a JS string: two bytes a UTF-8 byte (a string
 * with any character beyond Latin-1 is stored two bytes a character), its header and its array slot.
 */
export const keptStringBytes = (utf8: number): number => 2 * utf8 + 24;

/** A string column read lazily from the container bytes. */
export class StringColumn {
  private readonly decoder = new TextDecoder();
  /** Rows decoded so far, when the column remembers them (see remembering()). */
  private decoded: (string | undefined)[] | null = null;

  constructor(
    private readonly offsets: Uint32Array,
    /** Every row's UTF-8 bytes, back to back: row r is bytes[start(r) .. start(r + 1)). */
    readonly bytes: Uint8Array,
    /** Set when the column keeps what it decodes: told what each kept string takes (see remembering()). */
    private readonly kept: ((bytes: number) => void) | null = null,
  ) {}

  /**
   * The same column, keeping each row it decodes: for the worker's pages and head, whose titles and
   * SKUs every answer that shows an item decodes again. The strings live as long as the column;
   * `kept` hears what each one takes, so a page cache can count it. A whole catalog read once, as the
   * trainer reads it, should not remember.
   */
  remembering(kept: (bytes: number) => void = () => undefined): StringColumn {
    return new StringColumn(this.offsets, this.bytes, kept);
  }

  /** Where row `row` starts in `bytes` (row = length gives the end of the last row). */
  start(row: number): number {
    return this.offsets[row] ?? this.bytes.length;
  }

  get length(): number {
    return this.offsets.length - 1;
  }

  get(row: number): string {
    const known = this.decoded?.[row];
    if (known !== undefined) return known;
    const start = this.offsets[row];
    const end = this.offsets[row + 1];
    if (start === undefined || end === undefined) throw new RangeError(`row ${row} out of range`);
    const text = start === end ? "" : this.decoder.decode(this.bytes.subarray(start, end));
    if (this.kept !== null) {
      (this.decoded ??= new Array<string | undefined>(this.length))[row] = text;
      this.kept(keptStringBytes(end - start));
    }
    return text;
  }
}

export interface DecodedContainer {
  kind: string;
  schemaVersion: number;
  meta: Meta;
  /** A typed view of a column, which must hold exactly `count` values. */
  numeric<T extends NumericColumnType>(name: string, type: T, count: number): NumericArrays[T];
  strings(name: string, count: number): StringColumn;
  has(name: string): boolean;
  /** The stored type of a column (for columns written narrow when their values fit). */
  typeOf(name: string): ColumnType | undefined;
}

function isHeader(value: unknown): value is ContainerHeader {
  if (typeof value !== "object" || value === null) return false;
  const h = value as Record<string, unknown>;
  return (
    typeof h.kind === "string" &&
    typeof h.schemaVersion === "number" &&
    typeof h.meta === "object" &&
    h.meta !== null &&
    !Array.isArray(h.meta) &&
    Array.isArray(h.columns)
  );
}

/**
 * Parses and bounds-checks a container. Checks magic, kind, schema version and every column's
 * size against the row count, so a truncated or foreign blob fails here rather than mid-request.
 */
export function decodeContainer(
  bytes: Uint8Array,
  expectedKind: string,
  expectedSchemaVersion: number,
): DecodedContainer {
  if (bytes.length < 8 || MAGIC.some((b, i) => bytes[i] !== b)) {
    throw new BlobFormatError(`${expectedKind}: not a sidecart blob (bad magic)`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getUint32(4, true);
  if (8 + headerLength > bytes.length) throw new BlobFormatError(`${expectedKind}: truncated header`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLength)));
  } catch {
    throw new BlobFormatError(`${expectedKind}: unreadable header`);
  }
  if (!isHeader(parsed)) throw new BlobFormatError(`${expectedKind}: malformed header`);
  if (parsed.kind !== expectedKind) {
    throw new BlobFormatError(`expected a ${expectedKind} blob, got ${parsed.kind}`);
  }
  if (parsed.schemaVersion !== expectedSchemaVersion) {
    throw new BlobFormatError(
      `${expectedKind}: schema version ${parsed.schemaVersion}, this build reads ${expectedSchemaVersion}`,
    );
  }
  const header = parsed;
  const dataStart = align(8 + headerLength);
  // Columns are viewed in place when the blob sits 8-byte aligned (a KV value does); otherwise they
  // are copied once so every typed-array view is aligned.
  const data = (bytes.byteOffset + dataStart) % ALIGN === 0 ? bytes.subarray(dataStart) : bytes.slice(dataStart);
  const columns = new Map<string, ColumnHeader>();
  for (const column of header.columns) {
    const sane = [column.offset, column.length, column.count].every((n) => Number.isInteger(n) && n >= 0);
    if (!sane || column.offset + column.length > data.length) {
      throw new BlobFormatError(`${expectedKind}: column ${column.name} is truncated`);
    }
    const expected = column.type === "str" ? null : BYTES[column.type] * column.count;
    if (expected !== null && column.length !== expected) {
      throw new BlobFormatError(`${expectedKind}: column ${column.name} has the wrong size`);
    }
    columns.set(column.name, column);
  }

  function column(name: string, type: ColumnType, count: number): ColumnHeader {
    const found = columns.get(name);
    if (!found) throw new BlobFormatError(`${expectedKind}: missing column ${name}`);
    if (found.type !== type) throw new BlobFormatError(`${expectedKind}: column ${name} is ${found.type}, not ${type}`);
    if (found.count !== count) {
      throw new BlobFormatError(`${expectedKind}: column ${name} has ${found.count} values, expected ${count}`);
    }
    return found;
  }

  return {
    kind: header.kind,
    schemaVersion: header.schemaVersion,
    meta: header.meta,
    has: (name) => columns.has(name),
    typeOf: (name) => columns.get(name)?.type,
    numeric<T extends NumericColumnType>(name: string, type: T, count: number): NumericArrays[T] {
      const { offset, length } = column(name, type, count);
      const views: { [K in NumericColumnType]: () => NumericArrays[K] } = {
        i32: () => new Int32Array(data.buffer, data.byteOffset + offset, length / 4),
        u32: () => new Uint32Array(data.buffer, data.byteOffset + offset, length / 4),
        f32: () => new Float32Array(data.buffer, data.byteOffset + offset, length / 4),
        u16: () => new Uint16Array(data.buffer, data.byteOffset + offset, length / 2),
        i16: () => new Int16Array(data.buffer, data.byteOffset + offset, length / 2),
        u8: () => new Uint8Array(data.buffer, data.byteOffset + offset, length),
        i8: () => new Int8Array(data.buffer, data.byteOffset + offset, length),
      };
      return views[type]();
    },
    strings(name, count) {
      const { offset, length } = column(name, "str", count);
      const offsetsBytes = 4 * (count + 1);
      if (length < offsetsBytes) throw new BlobFormatError(`${expectedKind}: column ${name} is truncated`);
      const offsets = new Uint32Array(data.buffer, data.byteOffset + offset, count + 1);
      const text = data.subarray(offset + offsetsBytes, offset + length);
      let previous = 0;
      for (const o of offsets) {
        if (o < previous || o > text.length) throw new BlobFormatError(`${expectedKind}: column ${name} is corrupt`);
        previous = o;
      }
      return new StringColumn(offsets, text);
    },
  };
}

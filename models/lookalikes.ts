import type { ColumnInput, DecodedContainer, Meta } from "./blobContainer.js";

/**
 * Title lookalikes of cold products (the trainer's titleLookalikes): item i's are
 * items[start[i] .. start[i + 1]), best first. Present only for catalogs without categories.
 */
export interface LookalikeRows {
  /** [N + 1] */
  start: Int32Array;
  items: Int32Array;
}

const U16_LIMIT = 0xffff;

/** The header field and columns the lookalikes add to the evidence container. */
export function lookalikeSection(rows: LookalikeRows): { meta: Meta; columns: ColumnInput[] } {
  const wide = rows.items.some((i) => i > U16_LIMIT);
  return {
    meta: { lookalikes: rows.items.length },
    columns: [
      { name: "lookalikeStart", type: "u32", values: Uint32Array.from(rows.start) },
      wide
        ? { name: "lookalikeItems", type: "u32", values: Uint32Array.from(rows.items) }
        : { name: "lookalikeItems", type: "u16", values: Uint16Array.from(rows.items) },
    ],
  };
}

const NONE = new Uint16Array(0);

/** The decoded lookalikes, checked before they are trusted; none when the blob has no section. */
export class Lookalikes {
  private readonly start: Uint32Array;
  private readonly items: Uint16Array | Uint32Array;

  constructor(blob: DecodedContainer, itemCount: number) {
    const count = blob.meta.lookalikes;
    if (count === undefined) {
      this.start = new Uint32Array(itemCount + 1);
      this.items = NONE;
      return;
    }
    if (typeof count !== "number" || !Number.isInteger(count) || count < 0)
      throw new Error("evidence: lookalikes is not a count");
    this.start = blob.numeric("lookalikeStart", "u32", itemCount + 1);
    this.items =
      blob.typeOf("lookalikeItems") === "u32"
        ? blob.numeric("lookalikeItems", "u32", count)
        : blob.numeric("lookalikeItems", "u16", count);
    if (this.start[0] !== 0 || this.start[itemCount] !== count)
      throw new Error("evidence: lookalike rows do not add up");
    for (let i = 1; i <= itemCount; i++) {
      if ((this.start[i] ?? 0) < (this.start[i - 1] ?? 0)) throw new Error("evidence: lookalike rows go backwards");
    }
    for (const j of this.items) if (j >= itemCount) throw new Error(`evidence: lookalike ${j} out of range`);
  }

  of(item: number): ArrayLike<number> {
    const begin = this.start[item];
    const end = this.start[item + 1];
    return begin === undefined || end === undefined ? NONE : this.items.subarray(begin, end);
  }
}

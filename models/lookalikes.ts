import type { ColumnInput, DecodedContainer, Meta } from "./blobContainer.js";
import { checkRows, count, narrow, narrowColumn } from "./evidenceColumns.js";

/**
 * Title lookalikes of cold products (the trainer's titleLookalikes): item i's are
 * items[start[i] .. start[i + 1]), best first. Present only for catalogs without categories.
 */
export interface LookalikeRows {
  /** [N + 1] */
  start: Int32Array;
  items: Int32Array;
}

/**
 * The section's names. Lists kept for every floor (trainer/learn/titleLookalikes.ts) are stored under
 * new names, so a worker older than the per-floor lists reads none (fewer fallbacks, never wrong ones)
 * rather than taking every stored lookalike of a product that has pairs of its own. Blobs with the
 * first names (lists built at the default floor) are still read.
 */
const SECTIONS = [
  { meta: "floorLookalikes", start: "floorLookalikeStart", items: "floorLookalikeItems" },
  { meta: "lookalikes", start: "lookalikeStart", items: "lookalikeItems" },
] as const;
const [CURRENT] = SECTIONS;

/** The header field and columns the lookalikes add to the evidence container. */
export function lookalikeSection(rows: LookalikeRows): { meta: Meta; columns: ColumnInput[] } {
  return {
    meta: { [CURRENT.meta]: rows.items.length },
    columns: [
      { name: CURRENT.start, type: "u32", values: Uint32Array.from(rows.start) },
      narrow(CURRENT.items, rows.items),
    ],
  };
}

const NONE = new Uint16Array(0);

/** The decoded lookalikes, checked before they are trusted; none when the blob has no section. */
export class Lookalikes {
  private readonly start: Uint32Array;
  private readonly items: Uint16Array | Uint32Array;

  constructor(blob: DecodedContainer, itemCount: number) {
    const section = SECTIONS.find((s) => blob.meta[s.meta] !== undefined);
    if (section === undefined) {
      this.start = new Uint32Array(itemCount + 1);
      this.items = NONE;
      return;
    }
    const entries = count(blob.meta[section.meta], "lookalikes");
    this.start = blob.numeric(section.start, "u32", itemCount + 1);
    this.items = narrowColumn(blob, section.items, entries);
    checkRows(this.start, entries, "lookalike");
    for (const j of this.items) if (j >= itemCount) throw new Error(`evidence: lookalike ${j} out of range`);
  }

  of(item: number): ArrayLike<number> {
    const begin = this.start[item];
    const end = this.start[item + 1];
    return begin === undefined || end === undefined ? NONE : this.items.subarray(begin, end);
  }
}

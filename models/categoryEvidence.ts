import type { ColumnInput, DecodedContainer, Meta } from "./blobContainer.js";
import { checkRows, count, narrow, narrowColumn } from "./evidenceColumns.js";
import type { PairEvidence } from "./pairEvidence.js";

/**
 * The category level of the evidence blob: complementary leaf categories learned from all baskets and
 * each category's items to fill a suggestion from. Present only when the catalog has categories and
 * the model was trained from order lines.
 */
export interface CategoryAffinityRows {
  /** Baskets the category level counted (2..maxBasket distinct items): the denominator of its lifts. */
  totalBaskets: number;
  /** [C] distinct counted baskets holding any item of each leaf category. */
  categoryBaskets: Int32Array;
  /** [C + 1] category c's partners are partners[partnerStart[c] .. partnerStart[c + 1]), best first. */
  partnerStart: Int32Array;
  /** Partner category ids. */
  partners: Int32Array;
  /** Distinct counted baskets holding both categories (at the same positions as partners). */
  partnerSupport: Int32Array;
  /**
   * [C + 1] category c's second-hand pairs are indirect[indirectStart[c] .. indirectStart[c + 1]):
   * bought with c only through a third category both go with (the trainer's directPairs).
   */
  indirectStart: Int32Array;
  indirect: Int32Array;
  /** [C + 1] category c's items are items[itemStart[c] .. itemStart[c + 1]). */
  itemStart: Int32Array;
  /** Best sellers first, then never-sold items in catalog order. */
  items: Int32Array;
}

export interface CategoryPairEvidence extends PairEvidence {
  /** The partner category. */
  category: number;
}

/** The header fields and columns the category level adds to the evidence container. */
export function categorySection(rows: CategoryAffinityRows): { meta: Meta; columns: ColumnInput[] } {
  return {
    meta: {
      categories: rows.categoryBaskets.length,
      categoryTotalBaskets: rows.totalBaskets,
      categoryPairs: rows.partners.length,
      categoryItemCount: rows.items.length,
      categoryIndirectPairs: rows.indirect.length,
    },
    columns: [
      { name: "categoryBaskets", type: "i32", values: rows.categoryBaskets },
      { name: "categoryPartnerStart", type: "u32", values: Uint32Array.from(rows.partnerStart) },
      narrow("categoryPartners", rows.partners),
      narrow("categoryPartnerSupport", rows.partnerSupport),
      { name: "categoryIndirectStart", type: "u32", values: Uint32Array.from(rows.indirectStart) },
      narrow("categoryIndirect", rows.indirect),
      { name: "categoryItemStart", type: "u32", values: Uint32Array.from(rows.itemStart) },
      narrow("categoryItems", rows.items),
    ],
  };
}

/** The decoded category level, checked in full before it is trusted (a corrupt blob throws here). */
export class CategoryLevel {
  readonly categoryCount: number;
  readonly totalBaskets: number;
  private readonly baskets: Int32Array;
  private readonly partnerStart: Uint32Array;
  private readonly partners: Uint16Array | Uint32Array;
  private readonly support: Uint16Array | Uint32Array;
  private readonly itemStart: Uint32Array;
  private readonly items: Uint16Array | Uint32Array;
  private readonly indirectStart: Uint32Array;
  private readonly indirect: Uint16Array | Uint32Array;

  constructor(blob: DecodedContainer, itemCount: number) {
    const C = count(blob.meta.categories, "categories");
    this.categoryCount = C;
    this.totalBaskets = count(blob.meta.categoryTotalBaskets, "categoryTotalBaskets");
    const pairs = count(blob.meta.categoryPairs, "categoryPairs");
    const itemEntries = count(blob.meta.categoryItemCount, "categoryItemCount");
    this.baskets = blob.numeric("categoryBaskets", "i32", C);
    this.partnerStart = blob.numeric("categoryPartnerStart", "u32", C + 1);
    this.partners = narrowColumn(blob, "categoryPartners", pairs);
    this.support = narrowColumn(blob, "categoryPartnerSupport", pairs);
    this.itemStart = blob.numeric("categoryItemStart", "u32", C + 1);
    this.items = narrowColumn(blob, "categoryItems", itemEntries);
    // Models trained before the second-hand pairs were learned have none: every pair counts as direct.
    const indirectPairs =
      blob.meta.categoryIndirectPairs === undefined
        ? 0
        : count(blob.meta.categoryIndirectPairs, "categoryIndirectPairs");
    this.indirectStart =
      blob.meta.categoryIndirectPairs === undefined
        ? new Uint32Array(C + 1)
        : blob.numeric("categoryIndirectStart", "u32", C + 1);
    this.indirect = indirectPairs === 0 ? new Uint16Array(0) : narrowColumn(blob, "categoryIndirect", indirectPairs);
    for (const b of this.baskets) {
      if (b < 0 || b > this.totalBaskets) throw new Error(`evidence: category baskets ${b} out of range`);
    }
    checkRows(this.partnerStart, pairs, "category partner");
    checkRows(this.itemStart, itemEntries, "category item");
    checkRows(this.indirectStart, indirectPairs, "category second-hand");
    for (const d of this.indirect) if (d >= C) throw new Error(`evidence: second-hand category ${d} out of range`);
    for (let c = 0; c < C; c++) {
      const own = this.baskets[c] ?? 0;
      for (let p = this.partnerStart[c] ?? 0; p < (this.partnerStart[c + 1] ?? 0); p++) {
        const d = this.partners[p] ?? C;
        if (d >= C || d === c) throw new Error(`evidence: category ${c} has partner ${d} out of range`);
        // Support above either category's baskets would make a confidence above 1.
        const support = this.support[p] ?? 0;
        if (support === 0 || support > own || support > (this.baskets[d] ?? 0))
          throw new Error(`evidence: category pair ${c}-${d} has support ${support} out of range`);
      }
    }
    for (const item of this.items)
      if (item >= itemCount) throw new Error(`evidence: category item ${item} out of range`);
  }

  /** The level as the header fields and columns it was read from, to store again (a paged model's head). */
  section(): { meta: Meta; columns: ColumnInput[] } {
    const stored = (name: string, values: Uint16Array | Uint32Array): ColumnInput =>
      values instanceof Uint16Array ? { name, type: "u16", values } : { name, type: "u32", values };
    return {
      meta: {
        categories: this.categoryCount,
        categoryTotalBaskets: this.totalBaskets,
        categoryPairs: this.partners.length,
        categoryItemCount: this.items.length,
        categoryIndirectPairs: this.indirect.length,
      },
      columns: [
        { name: "categoryBaskets", type: "i32", values: this.baskets },
        { name: "categoryPartnerStart", type: "u32", values: this.partnerStart },
        stored("categoryPartners", this.partners),
        stored("categoryPartnerSupport", this.support),
        { name: "categoryIndirectStart", type: "u32", values: this.indirectStart },
        stored("categoryIndirect", this.indirect),
        { name: "categoryItemStart", type: "u32", values: this.itemStart },
        stored("categoryItems", this.items),
      ],
    };
  }

  basketsOf(category: number): number {
    return this.baskets[category] ?? 0;
  }

  partnersOf(category: number): CategoryPairEvidence[] {
    const own = this.baskets[category] ?? 0;
    const out: CategoryPairEvidence[] = [];
    if (own === 0) return out;
    for (let p = this.partnerStart[category] ?? 0; p < (this.partnerStart[category + 1] ?? 0); p++) {
      const partner = this.partners[p] ?? 0;
      const support = this.support[p] ?? 0;
      const confidence = support / own;
      const lift = (confidence * this.totalBaskets) / (this.baskets[partner] ?? 1);
      out.push({ category: partner, support, confidence, lift });
    }
    return out;
  }

  /** Whether the two categories are bought together only through a third one (see directPairs). */
  isSecondHand(category: number, other: number): boolean {
    for (let p = this.indirectStart[category] ?? 0; p < (this.indirectStart[category + 1] ?? 0); p++)
      if (this.indirect[p] === other) return true;
    return false;
  }

  itemsOf(category: number): ArrayLike<number> {
    const start = this.itemStart[category];
    const end = this.itemStart[category + 1];
    if (start === undefined || end === undefined) return this.items.subarray(0, 0);
    return this.items.subarray(start, end);
  }
}

import { describe, expect, it } from "vitest";
import { BlobFormatError, encodeContainer } from "../../models/blobContainer.js";
import {
  Catalog,
  encodeCatalog,
  NO_GROUP,
  NO_PACK,
  NO_PRICE,
  PackMeasure,
  type CatalogRows,
} from "../../models/catalog.js";
import { CATALOG_SCHEMA_VERSION, EVIDENCE_SCHEMA_VERSION } from "../../models/contract.js";
import {
  encodeEvidence,
  Evidence,
  NO_NEIGHBOUR,
  type CategoryAffinityRows,
  type EvidenceRows,
} from "../../models/evidence.js";

const rows: CatalogRows = {
  currency: "GBP",
  currencyExponent: 2,
  skus: ["85123A", "22423", "ÉTÉ-☀"],
  titles: ["WHITE HANGING HEART T-LIGHT HOLDER", "", "summer"],
  prices: Int32Array.from([295, 1275, NO_PRICE]),
  categoryIds: Int32Array.from([0, NO_GROUP, 1]),
  categoryNames: ["home > lights", "garden"],
  familyIds: Int32Array.from([0, 1, NO_GROUP]),
  familyNames: ["85123", "22423"],
  brands: ["", "", "Acme"],
  tiers: Float32Array.from([1, Number.NaN, 2]),
  available: Uint8Array.from([1, 1, 0]),
};

describe("catalog blob", () => {
  it("round-trips every column, unicode included", () => {
    const catalog = new Catalog(encodeCatalog(rows));
    expect(catalog.size).toBe(3);
    expect(catalog.currency).toBe("GBP");
    expect(catalog.indexOf("ÉTÉ-☀")).toBe(2);
    expect(catalog.indexOf("nope")).toBeUndefined();
    expect(catalog.title.get(0)).toBe("WHITE HANGING HEART T-LIGHT HOLDER");
    expect(catalog.title.get(1)).toBe("");
    expect(catalog.priceOf(1)).toBe(12.75);
    expect(catalog.priceOf(2)).toBeNull();
    expect(catalog.categoryOf(0)).toBe("home > lights");
    expect(catalog.categoryOf(1)).toBeNull();
    expect(catalog.familyId[2]).toBe(NO_GROUP);
    expect(catalog.hasCategories && catalog.hasFamilies && catalog.hasTiers).toBe(true);
    expect(catalog.tier[1]).toBeNaN();
    expect(catalog.brand.get(2)).toBe("Acme");
    expect(Array.from(catalog.available)).toEqual([1, 1, 0]);
  });

  it("finds every SKU of a large catalog by its bytes, the last row of a SKU listed twice, and no other", () => {
    const n = 20_000;
    const skus = Array.from({ length: n }, (_, i) => (i % 7 === 0 ? `ÉTÉ-☀-${i}` : `SKU-${i}`));
    skus[n - 1] = "SKU-5"; // listed twice: rows 5 and n - 1
    const many: CatalogRows = {
      ...rows,
      skus,
      titles: skus.map(() => ""),
      prices: new Int32Array(n),
      categoryIds: new Int32Array(n).fill(NO_GROUP),
      familyIds: new Int32Array(n).fill(NO_GROUP),
      brands: skus.map(() => ""),
      tiers: new Float32Array(n),
      available: new Uint8Array(n),
    };
    const catalog = new Catalog(encodeCatalog(many));
    for (let i = 0; i < n - 1; i++) if (i !== 5) expect(catalog.indexOf(skus[i] ?? "")).toBe(i);
    expect(catalog.indexOf("SKU-5")).toBe(n - 1);
    for (const missing of ["", "SKU-", "SKU-20000", "sku-1", "ÉTÉ-☀-1", "SKU-1 ", "\u0000"])
      expect(catalog.indexOf(missing)).toBeUndefined();
    expect(catalog.indexOf("x".repeat(500))).toBeUndefined();
  });

  it("round-trips pack sizes where the catalog has them, and has none where it has not", () => {
    const packs = {
      measure: Uint8Array.from([PackMeasure.count, NO_PACK, PackMeasure.volume]),
      amount: Float32Array.from([18, Number.NaN, 1892.5]),
    };
    const sized = new Catalog(encodeCatalog({ ...rows, packs }));
    expect([0, 1, 2].map((i) => [sized.packMeasureOf(i), sized.packAmountOf(i)])).toEqual([
      [PackMeasure.count, 18],
      [NO_PACK, Number.NaN],
      [PackMeasure.volume, 1892.5],
    ]);
    const plain = new Catalog(encodeCatalog(rows));
    expect(plain.packs).toBeNull();
    expect([plain.packMeasureOf(0), plain.packAmountOf(0)]).toEqual([NO_PACK, Number.NaN]);
    // A measure it does not know, or a known one without an amount, is a corrupt blob.
    const badMeasure = { ...packs, measure: Uint8Array.from([7, NO_PACK, NO_PACK]) };
    expect(() => new Catalog(encodeCatalog({ ...rows, packs: badMeasure }))).toThrow(/packMeasure 7/);
    const noAmount = { ...packs, amount: Float32Array.from([0, Number.NaN, 1]) };
    expect(() => new Catalog(encodeCatalog({ ...rows, packs: noAmount }))).toThrow(/packAmount 0/);
  });

  it("refuses a truncated blob", () => {
    const bytes = encodeCatalog(rows);
    expect(() => new Catalog(bytes.slice(0, bytes.length - 16))).toThrow(BlobFormatError);
    expect(() => new Catalog(bytes.slice(0, 6))).toThrow(BlobFormatError);
  });

  it("refuses another schema version or kind", () => {
    const newer = encodeContainer("catalog", CATALOG_SCHEMA_VERSION + 1, {}, []);
    expect(() => new Catalog(newer)).toThrow(/schema version/);
    const other = encodeContainer("evidence", CATALOG_SCHEMA_VERSION, {}, []);
    expect(() => new Catalog(other)).toThrow(/expected a catalog blob/);
  });
});

describe("evidence blob", () => {
  /** Item i's neighbours are i+1 … i+used (mod n); the other slots are empty. */
  function evidenceRows(n: number, used: number, support: number): EvidenceRows {
    const K = 4;
    const neighbourItems = new Int32Array(n * K).fill(NO_NEIGHBOUR);
    const supports = new Int32Array(n * K);
    for (let i = 0; i < n; i++) {
      for (let k = 0; k < used; k++) {
        neighbourItems[i * K + k] = (i + 1 + k) % n;
        supports[i * K + k] = support + k;
      }
    }
    return {
      totalBaskets: 10 * support,
      minSupport: 5,
      neighbours: K,
      itemBaskets: new Int32Array(n).fill(2 * support),
      neighbourItems,
      support: supports,
    };
  }

  it("keeps only the slots on record, in 16 bits when the catalog and counts allow", () => {
    const rows = evidenceRows(1000, 2, 7);
    const bytes = encodeEvidence(rows);
    expect(bytes.byteLength).toBeLessThan(1000 * (4 + 1 + 2 * (2 + 2)) + 1024); // baskets, row length, 2 pairs
    const evidence = new Evidence(bytes, 1000);
    expect(evidence.pair(5, 6)).toEqual({ support: 7, confidence: 0.5, lift: 2.5 });
    expect(evidence.pair(5, 7)?.support).toBe(8);
    expect(evidence.pair(5, 8)).toBeNull();
    expect(evidence.hasNeighbours(999)).toBe(true);
    expect(evidence.neighbourAt(evidence.rowBegin(999))).toBe(0);
    expect(evidence.rowEnd(3) - evidence.rowBegin(3)).toBe(2);
  });

  it("widens indices above 65,535 items and supports above 65,535 baskets", () => {
    const rows = evidenceRows(70_000, 1, 70_000);
    const evidence = new Evidence(encodeEvidence(rows), 70_000);
    expect(evidence.pair(69_999, 0)?.support).toBe(70_000);
    expect(evidence.pair(65_535, 65_536)?.support).toBe(70_000);
    expect(evidence.hasNeighbours(123)).toBe(true);
  });

  it("refuses rows that do not add up, a neighbour out of range, or another item count", () => {
    const rows = evidenceRows(10, 2, 7);
    expect(() => new Evidence(encodeEvidence(rows), 11)).toThrow(/covers 10 items/);
    const outOfRange = { ...rows, neighbourItems: Int32Array.from(rows.neighbourItems) };
    outOfRange.neighbourItems[0] = 10;
    expect(() => new Evidence(encodeEvidence(outOfRange), 10)).toThrow(/out of range/);
    const bytes = encodeEvidence(rows);
    expect(() => new Evidence(bytes.slice(0, bytes.length - 8), 10)).toThrow(BlobFormatError);
  });
});

describe("evidence blob: category level", () => {
  const n = 70_000;
  /**
   * Three categories over 70k items (ids past 65,535 take the wide column): 0↔1 complements, 2 without
   * partners, 1↔2 second-hand.
   */
  function categoryRows(): CategoryAffinityRows {
    return {
      totalBaskets: 100,
      categoryBaskets: Int32Array.from([40, 20, 5]),
      partnerStart: Int32Array.from([0, 1, 2, 2]),
      partners: Int32Array.from([1, 0]),
      partnerSupport: Int32Array.from([10, 10]),
      indirectStart: Int32Array.from([0, 0, 1, 2]),
      indirect: Int32Array.from([2, 1]),
      itemStart: Int32Array.from([0, 2, 3, 4]),
      items: Int32Array.from([69_999, 3, 4, 5]),
    };
  }
  function evidenceRows(categories?: CategoryAffinityRows): EvidenceRows {
    return {
      totalBaskets: 120,
      minSupport: 2,
      neighbours: 1,
      itemBaskets: new Int32Array(n),
      neighbourItems: new Int32Array(n).fill(NO_NEIGHBOUR),
      support: new Int32Array(n),
      ...(categories ? { categories } : {}),
    };
  }

  it("round-trips partners with their confidence and lift, and the items to fill with", () => {
    const evidence = new Evidence(encodeEvidence(evidenceRows(categoryRows())), n);
    expect(evidence.hasCategoryLevel).toBe(true);
    expect(evidence.categoryBaskets(0)).toBe(40);
    expect(evidence.categoryPartners(0)).toEqual([{ category: 1, support: 10, confidence: 0.25, lift: 1.25 }]);
    expect(evidence.categoryPartners(1)).toEqual([{ category: 0, support: 10, confidence: 0.5, lift: 1.25 }]);
    expect(evidence.categoryPartners(2)).toEqual([]);
    expect(Array.from(evidence.categoryItems(0))).toEqual([69_999, 3]);
    expect(Array.from(evidence.categoryItems(2))).toEqual([5]);
    expect([evidence.isSecondHandCategoryPair(1, 2), evidence.isSecondHandCategoryPair(2, 1)]).toEqual([true, true]);
    expect([evidence.isSecondHandCategoryPair(0, 1), evidence.isSecondHandCategoryPair(0, 2)]).toEqual([false, false]);
    for (const unknown of [-1, 3, 1.5]) {
      expect(evidence.categoryBaskets(unknown)).toBe(0);
      expect(evidence.categoryPartners(unknown)).toEqual([]);
      expect(evidence.categoryItems(unknown).length).toBe(0);
    }
  });

  it("has no category level without categories, and still reads schema-2 blobs", () => {
    const plain = encodeEvidence(evidenceRows());
    expect(new Evidence(plain, n).hasCategoryLevel).toBe(false);
    // Schema 2 as it was written: u32 row starts, no category section. Item 0's neighbour is item 1.
    const v2 = (version: number) =>
      encodeContainer("evidence", version, { items: 3, pairs: 1, totalBaskets: 10, minSupport: 2, neighbours: 2 }, [
        { name: "itemBaskets", type: "i32", values: Int32Array.from([4, 5, 0]) },
        { name: "rowStart", type: "u32", values: Uint32Array.from([0, 1, 1, 1]) },
        { name: "neighbourItems", type: "u16", values: Uint16Array.from([1]) },
        { name: "support", type: "u16", values: Uint16Array.from([2]) },
      ]);
    const evidence = new Evidence(v2(2), 3);
    expect(evidence.hasCategoryLevel).toBe(false);
    expect(evidence.pair(0, 1)).toEqual({ support: 2, confidence: 0.5, lift: 1 });
    expect(evidence.hasNeighbours(1)).toBe(false);
    expect(evidence.categoryBaskets(0)).toBe(0);
    expect(evidence.categoryPartners(0)).toEqual([]);
    expect(evidence.categoryItems(0).length).toBe(0);
    expect(() => new Evidence(v2(1), 3)).toThrow(/schema version 1, this build reads 3/);
    expect(() => new Evidence(v2(EVIDENCE_SCHEMA_VERSION + 1), 3)).toThrow(/schema version 4, this build reads 3/);
  });

  it("stores row lengths in a byte when K ≤ 255, row starts above", () => {
    const wide = { ...evidenceRows(), neighbours: 300, neighbourItems: new Int32Array(n * 300).fill(NO_NEIGHBOUR) };
    wide.neighbourItems.fill(7, 0, 280); // item 0 has 280 neighbours (all item 7: the codec does not care)
    wide.support = new Int32Array(n * 300).fill(3);
    const evidence = new Evidence(encodeEvidence(wide), n);
    expect(evidence.rowEnd(0) - evidence.rowBegin(0)).toBe(280);
    expect(evidence.rowBegin(1)).toBe(280);
    expect(evidence.rowEnd(n - 1)).toBe(280);
  });

  it("refuses a corrupt category section", () => {
    const corrupt = (change: (rows: CategoryAffinityRows) => void) => {
      const rows = categoryRows();
      change(rows);
      return () => new Evidence(encodeEvidence(evidenceRows(rows)), n);
    };
    expect(corrupt(() => undefined)).not.toThrow();
    expect(corrupt((r) => (r.partners[0] = 3))).toThrow(/partner 3 out of range/);
    expect(corrupt((r) => (r.partners[0] = 0))).toThrow(/partner 0 out of range/);
    expect(corrupt((r) => (r.partnerSupport[1] = 21))).toThrow(/support 21 out of range/);
    expect(corrupt((r) => (r.partnerSupport[0] = 0))).toThrow(/support 0 out of range/);
    expect(corrupt((r) => (r.items[3] = n))).toThrow(/category item 70000 out of range/);
    expect(corrupt((r) => (r.partnerStart[3] = 1))).toThrow(/rows do not add up/);
    expect(corrupt((r) => r.itemStart.set([0, 3, 2, 4]))).toThrow(/rows go backwards/);
    expect(corrupt((r) => (r.categoryBaskets[2] = 101))).toThrow(/baskets 101 out of range/);
    expect(corrupt((r) => (r.indirect[1] = 3))).toThrow(/second-hand category 3 out of range/);
    expect(corrupt((r) => r.indirectStart.set([0, 1, 0, 2]))).toThrow(/second-hand rows go backwards/);
    expect(corrupt((r) => (r.totalBaskets = 121))).toThrow(/more baskets than the model/);
    const bytes = encodeEvidence(evidenceRows(categoryRows()));
    expect(() => new Evidence(bytes.slice(0, bytes.length - 8), n)).toThrow(BlobFormatError);
  });
});

describe("evidence blob: title lookalikes", () => {
  const rows = (lookalikes: { start: number[]; items: number[] }): EvidenceRows => ({
    totalBaskets: 10,
    minSupport: 2,
    neighbours: 1,
    itemBaskets: Int32Array.from([0, 5, 5]),
    neighbourItems: new Int32Array(3).fill(NO_NEIGHBOUR),
    support: new Int32Array(3),
    lookalikes: { start: Int32Array.from(lookalikes.start), items: Int32Array.from(lookalikes.items) },
  });

  it("round-trips each cold item's lookalikes, and reads blobs without the section as none", () => {
    const evidence = new Evidence(encodeEvidence(rows({ start: [0, 2, 2, 2], items: [2, 1] })), 3);
    expect(evidence.lookalikesOf(0, 5)).toEqual([2, 1]);
    expect(evidence.lookalikesOf(1, 5)).toEqual([]);
    expect(evidence.lookalikesOf(7, 5)).toEqual([]);
    const { lookalikes: _none, ...plain } = rows({ start: [0, 0, 0, 0], items: [] });
    expect(new Evidence(encodeEvidence(plain), 3).lookalikesOf(0, 5)).toEqual([]);
  });

  it("refuses a corrupt section", () => {
    expect(() => new Evidence(encodeEvidence(rows({ start: [0, 1, 1, 1], items: [3] })), 3)).toThrow(
      /lookalike 3 out of range/,
    );
    expect(() => new Evidence(encodeEvidence(rows({ start: [0, 2, 1, 2], items: [1, 2] })), 3)).toThrow(
      /lookalike rows go backwards/,
    );
    expect(() => new Evidence(encodeEvidence(rows({ start: [0, 1, 1, 1], items: [1, 2] })), 3)).toThrow(
      /lookalike rows do not add up/,
    );
  });
});

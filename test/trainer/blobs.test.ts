import { describe, expect, it } from "vitest";
import { BlobFormatError, encodeContainer } from "../../models/blobContainer.js";
import { Catalog, encodeCatalog, NO_GROUP, NO_PRICE, type CatalogRows } from "../../models/catalog.js";
import { CATALOG_SCHEMA_VERSION } from "../../models/contract.js";

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

import { describe, expect, it } from "vitest";
import { BlobFormatError, encodeContainer } from "../../models/blobContainer.js";
import { Catalog, encodeCatalog, NO_PRICE, type CatalogRows } from "../../models/catalog.js";
import { CATALOG_SCHEMA_VERSION } from "../../models/contract.js";

const rows: CatalogRows = {
  currency: "GBP",
  currencyExponent: 2,
  skus: ["85123A", "22423", "ÉTÉ-☀"],
  titles: ["WHITE HANGING HEART T-LIGHT HOLDER", "", "summer"],
  prices: Int32Array.from([295, 1275, NO_PRICE]),
  categories: ["home > lights", "", "garden"],
  families: ["85123", "22423", ""],
  brands: ["", "", "Acme"],
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
    expect(catalog.category.get(0)).toBe("home > lights");
    expect(catalog.brand.get(2)).toBe("Acme");
    expect(Array.from(catalog.available)).toEqual([1, 1, 0]);
  });

  it("refuses a truncated blob", () => {
    const bytes = encodeCatalog(rows);
    expect(() => new Catalog(bytes.slice(0, bytes.length - 16))).toThrow(BlobFormatError);
    expect(() => new Catalog(bytes.slice(0, 6))).toThrow(BlobFormatError);
  });

  it("refuses another schema version or kind", () => {
    const newer = encodeContainer("catalog", CATALOG_SCHEMA_VERSION + 1, 0, {}, []);
    expect(() => new Catalog(newer)).toThrow(/schema version/);
    const other = encodeContainer("evidence", CATALOG_SCHEMA_VERSION, 0, {}, []);
    expect(() => new Catalog(other)).toThrow(/expected a catalog blob/);
  });
});

import { describe, expect, it } from "vitest";
import { buildCatalogRows } from "../../trainer/catalogRows.js";
import { catalogTitle } from "../../trainer/catalogTitle.js";
import { readCatalog } from "../../trainer/ingest/catalog.js";
import { journeyCatalog } from "../fixtures.js";

const source = { title: "", category: "GROCERY > COLD CEREAL > KIDS CEREAL", brand: "National" };

describe("titles for catalogs without them", () => {
  it("keeps a shop's own title", () => {
    expect(catalogTitle({ ...source, title: "WHITE HANGING HEART T-LIGHT HOLDER" })).toBe(
      "WHITE HANGING HEART T-LIGHT HOLDER",
    );
  });

  it("builds one from the leaf category, size and brand, in title case only when shouted", () => {
    expect(catalogTitle(source)).toBe("Kids Cereal (National)");
    expect(catalogTitle({ ...source, size: "14.5 OZ" })).toBe("Kids Cereal, 14.5 oz (National)");
    expect(catalogTitle({ ...source, category: "A > PREPARED BEANS - BAKED W/PORK", brand: "" })).toBe(
      "Prepared Beans - Baked W/Pork",
    );
    expect(catalogTitle({ title: " ", category: "Audio > iPhone cases", brand: "Acme" })).toBe("iPhone cases (Acme)");
    expect(catalogTitle({ title: "", category: "", brand: "Private" })).toBe("Private");
    expect(catalogTitle({ title: "", category: "", brand: "" })).toBe("");
  });

  it("gives every product of the bundled Complete Journey slice a readable title, its pack size from package_size", async () => {
    const { entries } = await readCatalog(journeyCatalog);
    const skus = [...entries.keys()];
    const rows = buildCatalogRows(skus, entries, "USD", 2);
    expect(rows.titles.filter((t) => t === "")).toEqual([]);
    expect(rows.titles[skus.indexOf("1000050")]).toBe("Kids Cereal, 14.5 oz (National)");
    expect(rows.titles[skus.indexOf("1000664")]).toBe("Macaroni Dry, 8 oz (Private)");
  });
});

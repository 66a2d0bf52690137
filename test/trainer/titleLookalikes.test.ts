import { describe, expect, it } from "vitest";
import { NO_GROUP } from "../../models/catalog.js";
import { titleLookalikes } from "../../trainer/learn/titleLookalikes.js";

// Real titles from the bundled Online Retail sample, and made-up sales.
const TITLES = [
  "WRAP 50'S CHRISTMAS", // 0: new
  "WRAP CHRISTMAS VILLAGE", // 1
  "WRAP CHRISTMAS SCREEN PRINT", // 2
  "RED RETROSPOT WRAP", // 3: never sold either
  "GREEN REGENCY TEACUP AND SAUCER", // 4
  "PINK REGENCY TEACUP AND SAUCER", // 5: new, a variant of 4
  "REGENCY CAKESTAND 3 TIER", // 6
  "ZINC METAL HEART DECORATION", // 7: new, nothing like it sold
  ...Array.from({ length: 40 }, (_, i) => `FILLER ITEM NUMBER ${String.fromCharCode(65 + (i % 26))}${i}`),
];
const sold = Int32Array.from(TITLES, (_, i) => ([0, 3, 5, 7].includes(i) ? 0 : 20));
const families = Int32Array.from(TITLES, (_, i) => (i === 4 || i === 5 ? 0 : NO_GROUP));
const rows = titleLookalikes(TITLES, sold, families, { coldBelow: 5, perItem: 3, minSimilarity: 0.5 });
const of = (i: number) => [...rows.items.subarray(rows.start[i] ?? 0, rows.start[i + 1] ?? 0)].map((j) => TITLES[j]);

describe("title lookalikes of cold products", () => {
  it("finds sold products of the same kind by title", () => {
    expect(of(0)).toEqual(["WRAP CHRISTMAS VILLAGE", "WRAP CHRISTMAS SCREEN PRINT"]);
  });
  it("gives sold products none, and never a cold one as a lookalike", () => {
    expect(of(1)).toEqual([]);
    expect(of(0)).not.toContain("RED RETROSPOT WRAP");
  });
  it("leaves variants to the variant walk, and a product like nothing sold alone", () => {
    expect(of(5)).toEqual([]); // GREEN REGENCY is its variant; the cakestand shares one word of five
    expect(of(7)).toEqual([]);
  });
});

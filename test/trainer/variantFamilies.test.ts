import { describe, expect, it } from "vitest";
import { NO_GROUP } from "../../models/catalog.js";
import { variantFamilies } from "../../trainer/variantFamilies.js";

// Real titles from the bundled Online Retail sample (data/catalog.csv.gz).
const TITLES = [
  "GREEN REGENCY TEACUP AND SAUCER", // 0
  "PINK REGENCY TEACUP AND SAUCER", // 1
  "ROSES REGENCY TEACUP AND SAUCER", // 2
  "REGENCY CAKESTAND 3 TIER", // 3
  "JUMBO BAG RED RETROSPOT", // 4
  "JUMBO BAG PINK POLKADOT", // 5
  "JUMBO BAG SPACEBOY DESIGN", // 6
  "JUMBO BAG APPLES", // 7
  "LUNCH BAG RED RETROSPOT", // 8
  "LUNCH BAG APPLES DESIGN", // 9
  "WHITE HANGING HEART T-LIGHT HOLDER", // 10
  "RED HANGING HEART T-LIGHT HOLDER", // 11
  "CHILDS GARDEN SPADE BLUE", // 12
  "CHILDS GARDEN RAKE BLUE", // 13
  "CHILDS GARDEN SPADE PINK", // 14
  "ZINC HEART LATTICE T-LIGHT HOLDER", // 15
];

function families(titles: readonly string[], catalog: readonly (string | null)[] = titles.map(() => null)) {
  const names: string[] = [];
  const ids = Int32Array.from(catalog, (f) => {
    if (f === null) return NO_GROUP;
    if (!names.includes(f)) names.push(f);
    return names.indexOf(f);
  });
  return variantFamilies(titles, ids, names);
}

describe("variant families from titles", () => {
  const { ids } = families(TITLES);
  const same = (a: number, b: number) => ids[a] !== NO_GROUP && ids[a] === ids[b];

  it("groups colours and prints of one product", () => {
    expect(same(0, 1) && same(1, 2)).toBe(true); // GREEN / PINK / ROSES teacup
    expect(same(10, 11)).toBe(true); // WHITE / RED hanging heart T-light holder
    expect(same(12, 14)).toBe(true); // spade in BLUE / PINK
    // JUMBO BAG in prints: RED RETROSPOT, PINK POLKADOT (print words), SPACEBOY DESIGN (closing
    // DESIGN), APPLES (the shop uses APPLES as a print name: LUNCH BAG APPLES DESIGN). One product, one
    // suggestion: a parasol's list of five jumbo bags was the complaint.
    expect(same(4, 5) && same(5, 6) && same(6, 7)).toBe(true);
    expect(same(8, 9)).toBe(true); // LUNCH BAG RED RETROSPOT / LUNCH BAG APPLES DESIGN
  });

  it("keeps different products apart", () => {
    expect(same(4, 8)).toBe(false); // JUMBO BAG vs LUNCH BAG: the differing word is the product
    expect(same(0, 3)).toBe(false); // teacup vs cakestand
    expect(same(12, 13)).toBe(false); // spade vs rake: SPADE is no print name, they are bought together
    expect(same(10, 15)).toBe(false); // hanging heart vs heart lattice T-light holder
    expect(ids[3]).toBe(NO_GROUP); // a title matching nothing, no catalog family: none
  });

  it("keeps the catalog's families and joins them, never splits them", () => {
    const catalog = ["A", "B", "C", null, null, "D", null, null, null, null, null, null, "E", "E", null, null];
    const r = families(TITLES, catalog);
    expect(r.ids[12]).toBe(r.ids[13]); // the catalog says spade and rake are one family: kept
    expect(r.ids[0]).toBe(r.ids[2]); // teacup families A and C joined by the titles
    expect(r.ids[3]).toBe(NO_GROUP);
    expect(r.names[r.ids[0] ?? 0]).toBe("REGENCY TEACUP AND SAUCER");
  });

  it("returns the catalog's ids unchanged when no titles match", () => {
    const ids = Int32Array.from([0, 0, 1]);
    const r = variantFamilies(["Item 1 tier 1", "Item 1 tier 2", "Item 2 tier 1"], ids, ["F0", "F1"]);
    expect([...r.ids]).toEqual([0, 0, 1]);
    expect(r.names).toEqual(["F0", "F1"]);
  });

  it("does not make a generic name one family", () => {
    const titles = Array.from({ length: 100 }, (_, i) => `GIFT CARD ${["RED", "BLUE"][i % 2]}`);
    expect(families(titles).ids.every((id) => id === NO_GROUP)).toBe(true);
  });
});

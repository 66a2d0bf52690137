import { describe, expect, it } from "vitest";
import { NO_GROUP } from "../../models/catalog.js";
import { encodeEvidence, Evidence, NO_NEIGHBOUR } from "../../models/evidence.js";
import { lookalikeLevel, titleLookalikes } from "../../trainer/learn/titleLookalikes.js";
import { seededRandom } from "../../trainer/learn/linalg.js";

/** The trainer's default floor (--min-support) and the rules' default crossSell.minSupport. */
const TRAINER_FLOOR = 2;
const SERVING_FLOOR = 5;

/** The evidence a training at the trainer's floor stores for a catalog without categories. */
function trainedEvidence(titles: readonly string[], baskets: Int32Array, families: Int32Array): Evidence {
  const n = titles.length;
  const lookalikes = lookalikeLevel({ titles, familyIds: families, categoryNames: [] }, baskets, TRAINER_FLOOR);
  return new Evidence(
    encodeEvidence({
      totalBaskets: 1000,
      minSupport: TRAINER_FLOOR,
      neighbours: 1,
      itemBaskets: baskets,
      neighbourItems: new Int32Array(n).fill(NO_NEIGHBOUR),
      support: new Int32Array(n),
      ...(lookalikes ? { lookalikes } : {}),
    }),
    n,
  );
}

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
const evidence = trainedEvidence(TITLES, sold, families);
const of = (i: number, floor = SERVING_FLOOR) => evidence.lookalikesOf(i, floor).map((j) => TITLES[j]);

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

describe("title lookalikes under the floor a config serves at", () => {
  /** WRAP 50'S CHRISTMAS's lookalikes at a floor, when it sold in `own` baskets (the screen print in 8). */
  const wrapAt = (own: number, floor: number) => {
    const baskets = Int32Array.from(TITLES, (_, i) => [own, 20, 8][i] ?? 20);
    return trainedEvidence(TITLES, baskets, families)
      .lookalikesOf(0, floor)
      .map((j) => TITLES[j]);
  };

  it("a stricter floor makes a product cold, and keeps only lookalikes over it", () => {
    expect(wrapAt(7, SERVING_FLOOR)).toEqual([]);
    expect(wrapAt(7, 8)).toEqual(["WRAP CHRISTMAS VILLAGE", "WRAP CHRISTMAS SCREEN PRINT"]);
    expect(wrapAt(7, 10)).toEqual(["WRAP CHRISTMAS VILLAGE"]);
  });

  it("a laxer floor makes a product warm (its own pairs can show), never under the trainer's floor", () => {
    expect(wrapAt(3, SERVING_FLOOR)).toEqual(["WRAP CHRISTMAS VILLAGE", "WRAP CHRISTMAS SCREEN PRINT"]);
    expect(wrapAt(3, 3)).toEqual([]);
    expect(wrapAt(1, 1)).toEqual(wrapAt(1, TRAINER_FLOOR));
    expect(wrapAt(1, 1)).toEqual(["WRAP CHRISTMAS VILLAGE", "WRAP CHRISTMAS SCREEN PRINT"]);
  });

  it("at every floor, gives what a training at that floor would have kept", () => {
    // Titles of three words of 60: each word in about 15 titles, rare enough for its postings to be walked.
    const random = seededRandom(7);
    const pick = (k: number) => Math.floor(random() * k);
    const word = (i: number) => `W${String.fromCharCode(65 + (i % 26), 65 + Math.floor(i / 26))}`;
    const titles = Array.from({ length: 300 }, () => [pick(20), 20 + pick(20), 40 + pick(20)].map(word).join(" "));
    const sales = Int32Array.from(titles, () => pick(14));
    const familyOf = Int32Array.from(titles, () => (random() < 0.2 ? pick(20) : NO_GROUP));
    const served = trainedEvidence(titles, sales, familyOf);
    let compared = 0;
    for (let floor = TRAINER_FLOOR; floor <= 14; floor++) {
      // A training at this floor: every product over it alike in sales, so only the floor matters.
      const atFloor = Int32Array.from(sales, (b) => (b >= floor ? floor : 0));
      const trained = titleLookalikes(titles, atFloor, familyOf, { minSupport: floor, perItem: 3, minSimilarity: 0.5 });
      for (let c = 0; c < titles.length; c++) {
        const expected = Array.from(trained.items.subarray(trained.start[c] ?? 0, trained.start[c + 1] ?? 0));
        expect(served.lookalikesOf(c, floor), `product ${c} at floor ${floor}`).toEqual(expected);
        compared += expected.length;
      }
    }
    expect(compared).toBeGreaterThan(300);
  });
});

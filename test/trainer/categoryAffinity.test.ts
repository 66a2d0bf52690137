import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, inject, it } from "vitest";
import { Catalog } from "../../models/catalog.js";
import { BlobName } from "../../models/contract.js";
import { encodeEvidence, Evidence } from "../../models/evidence.js";
import { NO_GROUP } from "../../models/catalog.js";
import { buildCatalogRows } from "../../trainer/catalogRows.js";
import { noOrders, type Baskets } from "../../trainer/ingest/orders.js";
import { readInputs } from "../../trainer/ingest/readInputs.js";
import { learnCategoryAffinity, CATEGORY_AFFINITY_DEFAULTS } from "../../trainer/learn/categoryAffinity.js";
import { countCoPurchases } from "../../trainer/learn/coPurchase.js";
import { journeyCatalog, journeyOrders } from "../fixtures.js";
import { quiet } from "./helpers.js";

const [X, Y, Z] = [0, 1, 2];
// x1 x2 y1 z1 z2 x3 y2 y3 z3 z4 u u2 (x3, y2, z3, z4 never sold; u, u2 have no category)
const categoryIds = Int32Array.from([X, X, Y, Z, Z, X, Y, Y, Z, Z, NO_GROUP, NO_GROUP]);
const repeat = (basket: number[], times: number) => Array.from({ length: times }, () => basket);
const BASKETS = [
  ...repeat([0, 2], 6), // x1 y1: X and Y, well attested
  [0, 3], // x1 z1 and x1 z2: Z, a tiny category, only ever with X
  [0, 4],
  ...repeat([0, 1], 2), // X alone (two of its items count it once)
  [2, 10], // Y with an uncategorised item
  [7, 10],
  ...repeat([10, 11], 28), // no category: counted in the total only
  [1], // a single item: sells x2, adds no category pair
  [1, 2, 10, 11], // over a maxBasket of 3: sells, adds nothing else
];

function basketsOf(lists: number[][], itemCount: number): Baskets {
  const skus = Array.from({ length: itemCount }, (_, i) => `p${i}`);
  const offsets = new Int32Array(lists.length + 1);
  lists.forEach((list, b) => (offsets[b + 1] = (offsets[b] ?? 0) + list.length));
  return { ...noOrders(skus), offsets, items: Int32Array.from(lists.flat()) };
}

const OPTIONS = { ...CATEGORY_AFFINITY_DEFAULTS, maxBasket: 3, minSupport: 2 };
/** One price for every item: the price front adds nothing to the best sellers. */
const PRICES = new Int32Array(12).fill(500);

describe("category affinity", () => {
  const rows = learnCategoryAffinity(basketsOf(BASKETS, 12), categoryIds, 3, PRICES, OPTIONS);
  const evidence = new Evidence(
    encodeEvidence({
      totalBaskets: BASKETS.length,
      minSupport: 2,
      neighbours: 1,
      itemBaskets: new Int32Array(12),
      neighbourItems: new Int32Array(12).fill(-1),
      support: new Int32Array(12),
      categories: rows,
    }),
    12,
  );

  it("counts each basket's distinct categories once, over baskets of 2..maxBasket items", () => {
    expect(rows.totalBaskets).toBe(40);
    expect([...rows.categoryBaskets]).toEqual([10, 8, 2]);
    expect(evidence.hasCategoryLevel).toBe(true);
    expect([X, Y, Z, 3, NO_GROUP].map((c) => evidence.categoryBaskets(c))).toEqual([10, 8, 2, 0, 0]);
  });

  it("keeps pairs over the floor with lift > 1, the better-attested partner first", () => {
    // X→Z has the higher lift (4 vs 3) on 2 baskets; X→Y is 6 of X's 10 baskets.
    expect(evidence.categoryPartners(X)).toEqual([
      { category: Y, support: 6, confidence: 0.6, lift: 3 },
      { category: Z, support: 2, confidence: 0.2, lift: 4 },
    ]);
    expect(evidence.categoryPartners(Y)).toEqual([{ category: X, support: 6, confidence: 0.75, lift: 3 }]);
    expect(evidence.categoryPartners(Z)).toEqual([{ category: X, support: 2, confidence: 1, lift: 4 }]);
    expect(evidence.categoryPartners(3)).toEqual([]);
    const floor3 = learnCategoryAffinity(basketsOf(BASKETS, 12), categoryIds, 3, PRICES, { ...OPTIONS, minSupport: 3 });
    expect([...floor3.partners]).toEqual([Y, X]); // X–Z (2 baskets) is under a floor of 3
  });

  it("drops pairs bought together no more than chance", () => {
    // Half of all baskets hold both: lift exactly 1 is not a complement.
    const lists = [...repeat([0, 2], 2), [0, 10], [2, 10]];
    const flat = learnCategoryAffinity(basketsOf(lists, 12), categoryIds, 3, PRICES, OPTIONS);
    expect(flat.partners.length).toBe(0);
  });

  it("lists best sellers by baskets (ties by index), then never-sold items in catalog order", () => {
    expect(Array.from(evidence.categoryItems(X))).toEqual([0, 1, 5]);
    expect(Array.from(evidence.categoryItems(Y))).toEqual([2, 7, 6]);
    expect(Array.from(evidence.categoryItems(Z))).toEqual([3, 4, 8, 9]);
    expect(Array.from(evidence.categoryItems(7))).toEqual([]);
    const capped = learnCategoryAffinity(basketsOf(BASKETS, 12), categoryIds, 3, PRICES, {
      ...OPTIONS,
      categoryItems: 1,
      newItems: 1,
    });
    expect([...capped.items]).toEqual([0, 5, 2, 6, 3, 8]);
  });

  it("lists, after the best sellers, the best seller under every price (a price anchor may rule the top out)", () => {
    // x1 sold 10 baskets at 5.00, x2 sold 3 at 1.00: with one best seller listed, x2 still comes, as the front.
    const prices = Int32Array.from([500, 100, 900, 500, 500, 50, 900, 900, 500, 500, 100, 100]);
    const capped = learnCategoryAffinity(basketsOf(BASKETS, 12), categoryIds, 3, prices, {
      ...OPTIONS,
      categoryItems: 1,
      newItems: 0,
    });
    expect([...capped.items]).toEqual([0, 1, 2, 3]);
  });

  describe("second-hand pairs", () => {
    // Phone (0), case (1), screen protector (2): each accessory is bought with the phone; the case and
    // the protector meet only in the phone's baskets. Items 3 and 4 have no category (filler).
    const [PHONE, CASE, GLASS] = [0, 1, 2];
    const ids = Int32Array.from([PHONE, CASE, GLASS, NO_GROUP, NO_GROUP]);
    const prices = new Int32Array(5).fill(500);
    const shop = (extra: number[][]) => [
      ...repeat([0, 1], 10),
      ...repeat([0, 2], 10),
      ...repeat([0, 1, 2], 6),
      ...repeat([3, 4], 40),
      ...extra,
    ];
    const learn = (lists: number[][]) =>
      learnCategoryAffinity(basketsOf(lists, 5), ids, 3, prices, { ...OPTIONS, maxBasket: 5 });
    const row = (starts: Int32Array, values: Int32Array, c: number) =>
      [...values.subarray(starts[c] ?? 0, starts[c + 1] ?? 0)].sort();

    it("explains the accessories' pair away through the phone, and keeps each accessory's pair with the phone", () => {
      const level = learn(shop([]));
      expect(row(level.partnerStart, level.partners, CASE)).toEqual([PHONE]);
      expect(row(level.partnerStart, level.partners, GLASS)).toEqual([PHONE]);
      expect(row(level.partnerStart, level.partners, PHONE)).toEqual([CASE, GLASS]);
      expect(row(level.indirectStart, level.indirect, CASE)).toEqual([GLASS]);
      expect(row(level.indirectStart, level.indirect, GLASS)).toEqual([CASE]);
      expect(row(level.indirectStart, level.indirect, PHONE)).toEqual([]);
    });

    it("keeps the accessories' pair when they are bought together on their own as well", () => {
      const level = learn(shop(repeat([1, 2], 20)));
      expect(row(level.partnerStart, level.partners, CASE)).toContain(GLASS);
      expect(level.indirect.length).toBe(0);
    });
  });

  it("counts only the included baskets (the eval's train side)", () => {
    const firstSix = learnCategoryAffinity(basketsOf(BASKETS, 12), categoryIds, 3, PRICES, {
      ...OPTIONS,
      include: (b) => b < 6,
    });
    expect(firstSix.totalBaskets).toBe(6);
    expect([...firstSix.categoryBaskets]).toEqual([6, 6, 0]);
    expect([...firstSix.partners]).toEqual([]); // X and Y always together: lift 1
    // Sold only after the window, x2, y3, z1 and z2 are new products here.
    expect([...firstSix.items]).toEqual([0, 1, 5, 2, 6, 7, 3, 4, 8, 9]);
  });

  it("gives the Complete Journey slice partners for most categories", async () => {
    const { entries, baskets } = await readInputs({
      orders: journeyOrders,
      catalog: journeyCatalog,
      excludeCategories: [],
      maxRejectRate: 0.01,
      reporter: quiet,
    });
    const catalog = buildCatalogRows(baskets.skus, entries, "USD", 2);
    const C = catalog.categoryNames.length;
    const start = performance.now();
    const level = learnCategoryAffinity(baskets, catalog.categoryIds, C, catalog.prices, {
      ...OPTIONS,
      maxBasket: 1000,
    });
    const ms = performance.now() - start;
    const co = countCoPurchases(baskets, { maxBasket: 1000 });
    expect(level.totalBaskets).toBe(co.basketsCounted);
    let withPartners = 0;
    for (let c = 0; c < C; c++) if ((level.partnerStart[c + 1] ?? 0) > (level.partnerStart[c] ?? 0)) withPartners++;
    const sold = [...level.categoryBaskets].filter((b) => b > 0).length;
    console.log(
      `complete journey: ${C} categories (${sold} sold), ${withPartners} with partners, ${level.partners.length} pairs, ` +
        `${level.items.length} listed items, ${level.totalBaskets} baskets, ${ms.toFixed(0)} ms`,
    );
    expect(C).toBeGreaterThan(10);
    expect(withPartners).toBeGreaterThan(0.5 * sold);
  });

  it("reaches the worker: the bundled Complete Journey model carries it, the Online Retail sample (no categories) not", async () => {
    const load = async (dir: string) => {
      const catalog = new Catalog(new Uint8Array(await readFile(join(dir, BlobName.catalog))));
      return {
        catalog,
        evidence: new Evidence(new Uint8Array(await readFile(join(dir, BlobName.evidence))), catalog.size),
      };
    };
    const sample = await load(inject("seedModel").dir);
    expect(sample.evidence.hasCategoryLevel).toBe(false);
    const journey = await load(inject("journeyModel").dir);
    expect(journey.evidence.hasCategoryLevel).toBe(true);
    const categories = journey.catalog.categoryNames.length;
    let answered = 0;
    for (let c = 0; c < categories; c++) if (journey.evidence.categoryPartners(c).length > 0) answered++;
    // Every item of a category with partners can get a level-2 answer, never-sold ones included.
    let items = 0;
    let covered = 0;
    for (let i = 0; i < journey.catalog.size; i++) {
      const c = journey.catalog.categoryId[i] ?? NO_GROUP;
      if (c === NO_GROUP) continue;
      items++;
      if (journey.evidence.categoryPartners(c).length > 0) covered++;
    }
    console.log(
      `bundled journey model: ${answered} of ${categories} categories with partners, ${covered} of ${items} items in them`,
    );
    expect(answered).toBeGreaterThan(categories / 2);
  });
});

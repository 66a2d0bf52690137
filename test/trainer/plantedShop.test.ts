/**
 * Issue 18's planted-shop check on a small bench:synth shop (4,000 items, 20,000 orders, seed 42):
 * trained with the defaults, its answers read against the planted complementary leaves as
 * `npm run bench:planted` reads the 50k shop (bench/plantedCheck.ts has the definitions).
 *
 * What got it from ~65% to ≥ 90% in planted leaves: second-hand category pairs (two complements of one
 * parent, bought together only in the parent's baskets) are found by the category level's triangles
 * and their item pairs left out (crossSell.secondHand "drop"); item pairs must beat chance with
 * confidence, not by lift alone; the category fill lists, for every price, the best seller under it.
 *
 * Shops this small vary (measured 2026-11-30): with 2,000 items (40 leaves, so parents' triangles
 * overlap) bundles reach 89.8%; with 3,000 one best seller in 16% of all baskets is 5% of the by-sales
 * sample and its answer is empty (non-empty 85.5%). 4,000 items meet every target; the 50k figures are
 * in docs/model-and-evaluation.md (npm run bench:planted).
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditTrainedShop, type PlantedFigures } from "../../bench/plantedCheck.js";
import { plant, writeSynth } from "../../bench/synth.js";
import { train, TRAIN_DEFAULTS } from "../../trainer/train.js";
import { quiet } from "./helpers.js";

const ITEMS = 4000;
const SEED = 42;
const NON_EMPTY = 0.95;
const IN_PLANTED = 0.9;

describe("planted shop: answers against the planted complementary leaves", () => {
  let dir = "";
  let figures: PlantedFigures;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "sidecart-planted-"));
    await writeSynth({ items: ITEMS, baskets: 5 * ITEMS, seed: SEED, out: dir });
    const model = await train({
      ...TRAIN_DEFAULTS,
      orders: join(dir, "orders.csv.gz"),
      catalog: join(dir, "catalog.csv.gz"),
      currency: "USD",
      reporter: quiet,
    });
    figures = auditTrainedShop(model, plant(ITEMS, SEED), ITEMS, { anchors: 1000, carts: 1000, seed: 7 }).figures;
  });
  afterAll(async () => {
    if (dir !== "") await rm(dir, { recursive: true, force: true });
  });

  const samples = ["bySales", "uniform"] as const;

  it("has answerable anchors in both samples (a product in a planted leaf within the price anchor)", () => {
    for (const sample of samples) {
      expect(figures[sample].answerableShare).toBeGreaterThan(0.5);
      expect(figures[sample].answerableShare).toBeLessThan(0.9);
    }
  });

  it(`gives ≥ ${NON_EMPTY * 100}% of answerable anchors a non-empty also-bought`, () => {
    for (const sample of samples) expect(figures[sample].answered.nonEmpty, sample).toBeGreaterThanOrEqual(NON_EMPTY);
  });

  it("leaves most anchors that cannot be answered well empty (the rest get a labelled level)", () => {
    for (const sample of samples) expect(figures[sample].notAnswerable.empty, sample).toBeGreaterThanOrEqual(0.8);
  });

  it(`puts ≥ ${IN_PLANTED * 100}% of answerable anchors' also-bought items, bundle add-ons and cart suggestions in planted leaves`, () => {
    for (const sample of samples) {
      expect(figures[sample].answered.alsoBought.inPlanted, sample).toBeGreaterThanOrEqual(IN_PLANTED);
      expect(figures[sample].answered.bundle.inPlanted, sample).toBeGreaterThanOrEqual(IN_PLANTED);
    }
    expect(figures.carts.suggestions.inPlanted).toBeGreaterThanOrEqual(IN_PLANTED);
  });
});

import { NO_PRICE, type Catalog } from "../../models/catalog.js";
import type { PricedLine } from "../../models/rules/scoredLines.js";
import type { Baskets } from "../ingest/orders.js";
import type { Split } from "./split.js";

/**
 * A test basket's line as the served eval sees it: what the customer bought, and paid (the line's own
 * unit price, else the catalog's; NO_PRICE when neither is known). A cart line, as the worker's are.
 */
export type TestLine = PricedLine;

/** What a line brought in: quantity × unit price, minor units (0 when the price is unknown). */
export const lineRevenue = (line: TestLine): number =>
  line.unitPriceMinor === NO_PRICE ? 0 : line.unitPriceMinor * line.quantity;

/**
 * split.testBaskets with each item's quantity and unit price. The split keeps no basket ids, so the
 * test baskets are found again by the split's own rule (not train, timed, ≥ 2 train-known items) and
 * checked item by item against it: a change in split.ts fails loudly here rather than misprice lines.
 */
export function testLines(baskets: Baskets, split: Split, catalog: Catalog): TestLine[][] {
  const values = baskets.lineValues;
  const exponent = 10 ** catalog.currencyExponent;
  const out: TestLine[][] = [];
  for (let b = 0; b + 1 < baskets.offsets.length; b++) {
    if (split.isTrain(b) || Number.isNaN(baskets.times[b] ?? Number.NaN)) continue;
    const lines: TestLine[] = [];
    for (let p = baskets.offsets[b] ?? 0; p < (baskets.offsets[b + 1] ?? 0); p++) {
      const index = baskets.items[p] ?? 0;
      if (!split.trainItems.has(index)) continue;
      const linePrice = values?.unitPrices[p] ?? Number.NaN;
      lines.push({
        index,
        quantity: values?.quantities[p] ?? 1,
        unitPriceMinor: Number.isNaN(linePrice) ? (catalog.price[index] ?? NO_PRICE) : Math.round(linePrice * exponent),
      });
    }
    if (lines.length >= 2) out.push(lines);
  }
  const same = (a: readonly TestLine[], b: readonly number[] | undefined) =>
    b !== undefined && a.length === b.length && a.every((l, i) => l.index === b[i]);
  if (out.length !== split.testBaskets.length || !out.every((lines, t) => same(lines, split.testBaskets[t]))) {
    throw new Error("testLines: the test baskets differ from split.testBaskets (splitAt changed its rule?)");
  }
  return out;
}

import { InputError } from "../errors.js";
import type { CatalogFile } from "./catalog.js";
import type { IngestReport } from "./orders.js";

/*
 * Inputs that parse but hold nothing to learn from. Left alone they reach the learner and either
 * crash it (a model of zero items) or publish a model of nothing; they are the user's files, so
 * each is one line naming the file and what it lacks.
 */

/** A catalog with no products, or none left after --exclude-categories. */
export function requireProducts(path: string, catalog: CatalogFile): void {
  if (catalog.entries.size > 0) return;
  throw new InputError(
    path,
    null,
    catalog.excluded.size === 0
      ? "no products, only a header"
      : `no products left: --exclude-categories leaves out all ${catalog.excluded.size}`,
  );
}

/** Order lines of which none was a sale: a header alone, or only returns, rejects and skips. */
export function requireSales(orders: string, report: IngestReport): void {
  if (report.rowsAccepted > 0) return;
  if (report.rowsRead === 0) throw new InputError(orders, null, "no order lines, only a header");
  const reasons = [
    ...Object.entries(report.skipped).map(([reason, n]) => `${reason}: ${n}`),
    ...Object.entries(report.rejected).map(([reason, summary]) => `rejected, ${reason}: ${summary.count}`),
  ];
  throw new InputError(
    orders,
    null,
    `no sales to learn from: none of its ${report.rowsRead} lines was accepted (${reasons.join("; ")})`,
  );
}

/**
 * Sales of which none is of a catalog product: almost always two files keyed differently (a
 * StockCode against an SKU), and a model of it would recommend products the shop cannot show.
 * `sold` holds, per product index, whether it sold; the catalog's products come first.
 */
export function requireSharedProducts(
  catalog: string,
  catalogSize: number,
  sales: string,
  sold: ArrayLike<number>,
): void {
  let soldInCatalog = 0;
  let soldElsewhere = 0;
  for (let i = 0; i < sold.length; i++) {
    if ((sold[i] ?? 0) === 0) continue;
    if (i < catalogSize) soldInCatalog++;
    else soldElsewhere++;
  }
  if (soldInCatalog > 0 || soldElsewhere === 0) return;
  throw new InputError(
    catalog,
    null,
    `none of its ${catalogSize} products appears in ${sales} (${soldElsewhere} products sold there); do both use the same product ids? (--map names the columns)`,
  );
}

import type { Reporter } from "../progress.js";
import type { IngestReport } from "./orders.js";
import type { ReasonSummary } from "./rejects.js";

export interface ValidationReport extends IngestReport {
  catalogSource: "file" | "orders" | "none";
  /** Products sold that the catalog does not list (no title, no price: never suggested on price rules). */
  productsWithoutCatalogRow: number;
  catalogRowsNeverSold: number;
}

const count = (n: number) => n.toLocaleString("en-US");
const places = (r: ReasonSummary) => (r.examples.length > 0 ? ` (first: ${r.examples.join(", ")})` : "");

/** The end-of-run account of what went in: as text lines, or one JSON record with --json. */
export function reportValidation(reporter: Reporter, report: ValidationReport): void {
  const lines = [
    "validation report:",
    `  files: ${report.files.join(", ") || "none"}`,
    `  rows read ${count(report.rowsRead)}, accepted ${count(report.rowsAccepted)}, rejected ${count(
      Object.values(report.rejected).reduce((n, r) => n + r.count, 0),
    )}, skipped ${count(report.rowsSkipped)}`,
    ...Object.entries(report.rejected).map(([reason, r]) => `  rejected, ${reason}: ${count(r.count)}${places(r)}`),
    ...Object.entries(report.skipped).map(([reason, n]) => `  skipped, ${reason}: ${count(n)}`),
    `  orders ${count(report.orders)}, products sold ${count(report.productsSold)}`,
    report.catalogSource === "orders"
      ? "  catalog derived from the order lines"
      : `  products without a catalog row: ${count(report.productsWithoutCatalogRow)}; catalog rows never sold: ${count(report.catalogRowsNeverSold)}`,
    `  price outliers (line price over 3× away from the catalog's): ${count(report.priceOutliers.count)}${places(report.priceOutliers)}`,
  ];
  reporter.record("validation", report, lines);
}

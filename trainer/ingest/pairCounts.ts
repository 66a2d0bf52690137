import { InputError } from "../errors.js";
import type { CoPurchase } from "../learn/coPurchase.js";
import type { Reporter } from "../progress.js";
import { NO_MAP, type ColumnMap } from "./columnMap.js";
import { Int32List } from "./growable.js";
import type { IngestReport } from "./orders.js";
import { openRecords } from "./records.js";
import { RejectLedger } from "./rejects.js";

export interface PairCounts {
  skus: string[];
  co: CoPurchase;
  totalBaskets: number;
  report: IngestReport;
}

export interface ReadPairCountsOptions {
  reporter: Reporter;
  maxRejectRate: number;
  map?: ColumnMap;
  knownSkus?: Iterable<string>;
  /** Products left out (excluded categories): their pairs and counts are dropped. */
  skipSkus?: ReadonlySet<string>;
}

/**
 * Co-purchase counts computed elsewhere (trainer/sql/pairCounts.sql in a warehouse), in the one-file
 * shape that SQL writes: `item_a, item_b, baskets` rows are pairs, `item_a, "", baskets` an item's
 * basket count, and `"", "", baskets` the number of baskets.
 */
export async function readPairCounts(path: string, options: ReadPairCountsOptions): Promise<PairCounts> {
  const file = await openRecords(path, { required: ["item_a", "item_b", "baskets"], map: options.map ?? NO_MAP });
  const [cA, cB, cN] = [file.column("item_a"), file.column("item_b"), file.column("baskets")];
  const skus: string[] = [...(options.knownSkus ?? [])];
  const index = new Map(skus.map((sku, i) => [sku, i]));
  const indexOf = (sku: string) => {
    let i = index.get(sku);
    if (i === undefined) {
      i = skus.length;
      skus.push(sku);
      index.set(sku, i);
    }
    return i;
  };
  const ledger = new RejectLedger();
  const pairA = new Int32List();
  const pairB = new Int32List();
  const pairN = new Int32List();
  const itemCounts = new Map<number, number>();
  let totalBaskets: number | null = null;
  let rowsRead = 0;
  let skipped = 0;
  const progress = options.reporter.step("reading pair counts", file.totalBytes, "bytes");
  await file.read({
    progress: (bytes) => progress.update(bytes),
    malformed(line, problem) {
      rowsRead++;
      ledger.reject(path, line, "malformed line", problem);
    },
    row(row) {
      rowsRead++;
      const [a, b, text] = [row.text(cA), row.text(cB), row.text(cN)];
      const n = Number(text);
      if (!Number.isInteger(n) || n < 0) {
        return ledger.reject(path, row.line, "bad baskets", `baskets "${text.slice(0, 40)}" is not a count`);
      }
      if (a === "" && b === "") {
        if (totalBaskets !== null) throw new InputError(path, row.line, "a second total-baskets row");
        totalBaskets = n;
        return;
      }
      if (a === "" || a === b) return ledger.reject(path, row.line, "bad pair", `item_a "${a}", item_b "${b}"`);
      if (options.skipSkus?.has(a) || options.skipSkus?.has(b)) {
        skipped++;
        return;
      }
      if (b === "") {
        itemCounts.set(indexOf(a), n);
        return;
      }
      pairA.push(indexOf(a));
      pairB.push(indexOf(b));
      pairN.push(n);
    },
  });
  ledger.enforce(rowsRead, options.maxRejectRate);
  if (totalBaskets === null)
    throw new InputError(path, null, 'no total row ("", "", baskets): see trainer/sql/pairCounts.sql');
  const n = skus.length;
  const itemBaskets = new Int32Array(n);
  for (const [i, count] of itemCounts) itemBaskets[i] = count;
  const co = symmetric(n, itemBaskets, pairA.view(), pairB.view(), pairN.view());
  const pairs = co.cols.length / 2;
  progress.done(`${pairs} item pairs, ${itemCounts.size} item counts, ${totalBaskets} baskets`);
  return {
    skus,
    co,
    totalBaskets,
    report: {
      files: [path],
      rowsRead,
      rowsAccepted: rowsRead - ledger.rejected - skipped,
      skipped: skipped > 0 ? { "excluded category": skipped } : {},
      rowsSkipped: skipped,
      rejected: ledger.summary(),
      orders: totalBaskets,
      productsSold: itemCounts.size,
      priceOutliers: { count: 0, examples: [] },
    },
  };
}

/** Unordered pairs → full rows, columns ascending (the layout countCoPurchases produces). */
function symmetric(n: number, itemBaskets: Int32Array, a: Int32Array, b: Int32Array, counts: Int32Array): CoPurchase {
  const rowStart = new Int32Array(n + 1);
  for (let p = 0; p < a.length; p++) {
    const [i, j] = [a[p] ?? 0, b[p] ?? 0];
    rowStart[i + 1] = (rowStart[i + 1] ?? 0) + 1;
    rowStart[j + 1] = (rowStart[j + 1] ?? 0) + 1;
  }
  for (let i = 0; i < n; i++) rowStart[i + 1] = (rowStart[i + 1] ?? 0) + (rowStart[i] ?? 0);
  const fill = rowStart.slice(0, n);
  const cols = new Int32Array(rowStart[n] ?? 0);
  const values = new Int32Array(cols.length);
  const place = (i: number, j: number, count: number) => {
    const at = fill[i] ?? 0;
    cols[at] = j;
    values[at] = count;
    fill[i] = at + 1;
  };
  for (let p = 0; p < a.length; p++) {
    place(a[p] ?? 0, b[p] ?? 0, counts[p] ?? 0);
    place(b[p] ?? 0, a[p] ?? 0, counts[p] ?? 0);
  }
  // Sort each row by column, carrying the counts.
  for (let i = 0; i < n; i++) {
    const [start, end] = [rowStart[i] ?? 0, rowStart[i + 1] ?? 0];
    if (end - start < 2) continue;
    const order = Array.from({ length: end - start }, (_, k) => start + k).sort(
      (x, y) => (cols[x] ?? 0) - (cols[y] ?? 0),
    );
    const sortedCols = order.map((k) => cols[k] ?? 0);
    const sortedCounts = order.map((k) => values[k] ?? 0);
    cols.set(sortedCols, start);
    values.set(sortedCounts, start);
  }
  return { itemCount: n, itemBaskets, rowStart, cols, counts: values, basketsCounted: 0, basketsOverCap: 0 };
}

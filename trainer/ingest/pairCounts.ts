import { InputError } from "../errors.js";
import { interner } from "../interner.js";
import { mirrorUpper, type CoPurchase } from "../learn/coPurchase.js";
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
  const indexOf = interner(skus);
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
  if (rowsRead === 0) throw new InputError(path, null, "no rows, only a header");
  ledger.enforce(rowsRead, options.maxRejectRate);
  if (totalBaskets === null)
    throw new InputError(path, null, 'no total row ("", "", baskets): see trainer/sql/pairCounts.sql');
  if (itemCounts.size === 0 && pairA.length === 0) {
    const excluded = skipped > 0 ? ` (${skipped} rows of excluded categories)` : "";
    throw new InputError(path, null, `no item counts or pairs to learn from, only the total row${excluded}`);
  }
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
  // The upper triangle first (each pair as i < j, rows by a counting sort, columns sorted), then the
  // counter's own mirroring.
  const upperStart = new Int32Array(n + 1);
  for (let p = 0; p < a.length; p++) {
    const i = Math.min(a[p] ?? 0, b[p] ?? 0);
    upperStart[i + 1] = (upperStart[i + 1] ?? 0) + 1;
  }
  for (let i = 0; i < n; i++) upperStart[i + 1] = (upperStart[i + 1] ?? 0) + (upperStart[i] ?? 0);
  const fill = upperStart.slice(0, n);
  const order = new Int32Array(a.length);
  for (let p = 0; p < a.length; p++) {
    const i = Math.min(a[p] ?? 0, b[p] ?? 0);
    order[fill[i] ?? 0] = p;
    fill[i] = (fill[i] ?? 0) + 1;
  }
  const upperCols = new Int32Array(a.length);
  const upperCounts = new Int32Array(a.length);
  const high = (p: number) => Math.max(a[p] ?? 0, b[p] ?? 0);
  for (let i = 0; i < n; i++) {
    const row = order.subarray(upperStart[i] ?? 0, upperStart[i + 1] ?? 0).sort((x, y) => high(x) - high(y));
    row.forEach((p, k) => {
      const at = (upperStart[i] ?? 0) + k;
      upperCols[at] = high(p);
      upperCounts[at] = counts[p] ?? 0;
    });
  }
  const full = mirrorUpper(n, upperStart, upperCols, upperCounts);
  return { itemCount: n, itemBaskets, ...full, basketsCounted: 0, basketsOverCap: 0 };
}

/** Rows of a CSR matrix whose columns ascend within each row (co-purchase counts, sparse weights). */
export interface SortedRows {
  rowStart: Int32Array;
  cols: Int32Array;
}

/** Where column `col` sits in row `row` (a binary search), or -1 when the row does not hold it. */
export function positionInRow(rows: SortedRows, row: number, col: number): number {
  let lo = rows.rowStart[row] ?? 0;
  let hi = (rows.rowStart[row + 1] ?? 0) - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const at = rows.cols[mid] ?? 0;
    if (at < col) lo = mid + 1;
    else if (at > col) hi = mid - 1;
    else return mid;
  }
  return -1;
}

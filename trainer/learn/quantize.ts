/**
 * Symmetric per-row quantization: row r is stored as round(v / scale_r) with
 * scale_r = max|v| / levels, so each row keeps its own range (a popular item's large weights do not
 * crush a rare item's small ones).
 */
function quantizeRowsTo<T extends Int8Array | Int16Array>(
  q: T,
  levels: number,
  values: Float64Array | Float32Array,
  rows: number,
  width: number,
): { q: T; scales: Float32Array } {
  const scales = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    let max = 0;
    for (let c = 0; c < width; c++) max = Math.max(max, Math.abs(values[r * width + c] ?? 0));
    if (max === 0) continue;
    const scale = Math.fround(max / levels);
    scales[r] = scale;
    for (let c = 0; c < width; c++) q[r * width + c] = Math.round((values[r * width + c] ?? 0) / scale);
  }
  return { q, scales };
}

/** int8, one scale per row. */
export function quantizeRows(values: Float64Array | Float32Array, rows: number, width: number) {
  return quantizeRowsTo(new Int8Array(rows * width), 127, values, rows, width);
}

/**
 * int16, one scale per row: for values whose order matters to the last detail. The confidence of a
 * popular item's companions differs by 1/count, which int8 merges into ties (measured: anchor
 * HR@10 0.6078 with int8, 0.6089 with int16; a small gain for 32 bytes per item).
 */
export function quantizeRows16(values: Float64Array | Float32Array, rows: number, width: number) {
  return quantizeRowsTo(new Int16Array(rows * width), 32767, values, rows, width);
}

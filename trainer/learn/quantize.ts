/**
 * Symmetric per-row int8 quantization: row r is stored as round(v / scale_r) with
 * scale_r = max|v| / 127, so each row keeps its own range (a popular item's large weights do not
 * crush a rare item's small ones).
 */
export function quantizeRows(
  values: Float64Array | Float32Array,
  rows: number,
  width: number,
): { q: Int8Array; scales: Float32Array } {
  const q = new Int8Array(rows * width);
  const scales = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    let max = 0;
    for (let c = 0; c < width; c++) max = Math.max(max, Math.abs(values[r * width + c] ?? 0));
    if (max === 0) continue;
    const scale = Math.fround(max / 127);
    scales[r] = scale;
    for (let c = 0; c < width; c++) q[r * width + c] = Math.round((values[r * width + c] ?? 0) / scale);
  }
  return { q, scales };
}

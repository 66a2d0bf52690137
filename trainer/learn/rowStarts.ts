/**
 * The first step of a counting sort: starts[k] is where key k's entries begin once sorted by key
 * (keys 0 … n − 1), starts[n] the number of keys given. Entries of key k go to starts[k] … starts[k + 1] − 1.
 */
export function rowStarts(n: number, keys: Iterable<number>): Int32Array {
  const starts = new Int32Array(n + 1);
  for (const key of keys) starts[key + 1] = (starts[key + 1] ?? 0) + 1;
  for (let k = 0; k < n; k++) starts[k + 1] = (starts[k + 1] ?? 0) + (starts[k] ?? 0);
  return starts;
}

/**
 * Edit distance for "did you mean" suggestions: insertions, deletions, substitutions and swaps of
 * two neighbouring letters (optimal string alignment), so `GPB` is one edit from `GBP` and `trian`
 * one from `train`. Hand-written: a dozen lines over names of a few characters, and no package for
 * it is installed; two rows of the table are kept.
 */
export function editDistance(a: string, b: string): number {
  let before: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      let best = Math.min((previous[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, substitution);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, (before[j - 2] ?? 0) + 1);
      row.push(best);
    }
    before = previous;
    previous = row;
  }
  return previous[b.length] ?? 0;
}

/** The closest known name: a small edit away, or else the only one the typed name begins. */
export function closest(typed: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(1, Math.floor((typed.length - 2) / 3));
  for (const candidate of known) {
    const distance = editDistance(typed, candidate);
    if (distance <= bestDistance && (best === undefined || distance < bestDistance)) {
      best = candidate;
      bestDistance = distance;
    }
  }
  const extensions = known.filter((k) => typed.length >= 5 && k.startsWith(typed));
  return best ?? (extensions.length === 1 ? extensions[0] : undefined);
}

export interface GateResult {
  pass: boolean;
  /** One line per metric that dropped by more than the tolerance. */
  drops: string[];
}

/**
 * The nightly quality gate: every metric both versions report may drop by at most `tolerance`
 * (relative). A live version without metrics (first publish, or published by hand) passes.
 */
export function qualityGate(
  candidate: Record<string, number>,
  live: Record<string, number> | undefined,
  tolerance: number,
): GateResult {
  if (!live) return { pass: true, drops: [] };
  const drops: string[] = [];
  for (const [metric, before] of Object.entries(live)) {
    const after = candidate[metric];
    if (after === undefined || before <= 0) continue;
    const change = (after - before) / before;
    if (change < -tolerance) {
      drops.push(`${metric} ${before.toFixed(4)} → ${after.toFixed(4)} (${(100 * change).toFixed(1)}%)`);
    }
  }
  return { pass: drops.length === 0, drops };
}

import type { ReasonTally, Reason } from "./reasons.js";

/** What a rule-bound list came to: its items and, when short, why. */
export interface Selection<T> {
  items: T[];
  /** Why fewer than `limit` came back (empty when the list is full). */
  reasons: Reason[];
}

/** Reasons for a short list; "no_evidence" when nothing was even a candidate. */
export function shortfall(found: number, limit: number, hasEvidence: boolean, tally: ReasonTally): Reason[] {
  if (found >= limit) return [];
  const reasons = tally.list();
  return hasEvidence && reasons.length > 0 ? reasons : [...reasons, "no_evidence"];
}

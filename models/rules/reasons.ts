/**
 * Why a list is shorter than asked: a storefront can tell "nothing fits the rules" from an error.
 * Each code names the rule that removed candidates (or why there were none).
 */
export type Reason =
  | "no_evidence"
  | "excluded"
  | "unavailable"
  | "relevance"
  | "substitute"
  | "no_price"
  | "price_anchor"
  | "diversity"
  | "stage"
  | "no_ladder"
  | "top_of_ladder"
  | "price_band"
  | "tier"
  | "smaller_pack"
  | "similarity"
  | "no_pair";

/** Counts drops per reason and reports them most frequent first. */
export class ReasonTally {
  private readonly counts = new Map<Reason, number>();

  add(reason: Reason, count = 1): void {
    this.counts.set(reason, (this.counts.get(reason) ?? 0) + count);
  }

  list(): Reason[] {
    return [...this.counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([reason]) => reason);
  }
}

import { InputError, UserError } from "../errors.js";

export interface ReasonSummary {
  count: number;
  /** The first few offending places, as file:line. */
  examples: string[];
}

interface RejectReason {
  count: number;
  /** The first few offending places, as file:line. */
  examples: string[];
  firstProblem: InputError;
}

/** Counts rejected rows by reason, so a run reports what it dropped and can refuse too many. */
export class RejectLedger {
  private readonly reasons = new Map<string, RejectReason>();
  private total = 0;

  reject(file: string, line: number, reason: string, detail: string): void {
    this.total++;
    const entry = this.reasons.get(reason);
    if (entry) {
      entry.count++;
      if (entry.examples.length < 3) entry.examples.push(`${file}:${line}`);
    } else {
      this.reasons.set(reason, {
        count: 1,
        examples: [`${file}:${line}`],
        firstProblem: new InputError(file, line, detail),
      });
    }
  }

  get rejected(): number {
    return this.total;
  }

  summary(): Record<string, ReasonSummary> {
    return Object.fromEntries([...this.reasons].map(([reason, { count, examples }]) => [reason, { count, examples }]));
  }

  /** Fails the run when more than maxRate of the rows were rejected, naming the first bad line. */
  enforce(rowsRead: number, maxRate: number): void {
    if (rowsRead === 0 || this.total / rowsRead <= maxRate) return;
    const worst = [...this.reasons.values()].sort((a, b) => b.count - a.count)[0];
    const share = ((100 * this.total) / rowsRead).toFixed(1);
    const first = worst ? worst.firstProblem.message : "";
    throw new UserError(
      `${first} (${this.total} of ${rowsRead} rows rejected, ${share}% > --max-reject-rate ${100 * maxRate}%)`,
    );
  }
}

/** A stored answer: what a hit needs to answer again without scoring. */
export interface MemoEntry {
  body: string;
  headers: [string, string][];
  expires: number;
}

/**
 * The isolate's most recently used answers, bounded by the bytes of their bodies. A Map keeps
 * insertion order, so re-inserting on a hit makes the first key the least recently used.
 */
export class AnswerMemo {
  private readonly entries = new Map<string, MemoEntry>();
  private bytes = 0;

  constructor(private readonly maxBytes: number) {}

  get(key: string, now: number): MemoEntry | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    this.entries.delete(key);
    if (entry.expires <= now) {
      this.bytes -= entry.body.length;
      return undefined;
    }
    this.entries.set(key, entry);
    return entry;
  }

  set(key: string, entry: MemoEntry): void {
    if (entry.body.length > this.maxBytes / 8) return; // one answer never pushes out many
    const old = this.entries.get(key);
    if (old !== undefined) {
      this.bytes -= old.body.length;
      this.entries.delete(key);
    }
    this.entries.set(key, entry);
    this.bytes += entry.body.length;
    for (const [oldest, { body }] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(oldest);
      this.bytes -= body.length;
    }
  }

  get size(): number {
    return this.entries.size;
  }
}

/**
 * At most one KV check in flight per source: requests arriving meanwhile share it instead of
 * starting their own. Used by the model and the config sources.
 */
export class SingleFlight {
  private inflight: Promise<void> | null = null;

  get busy(): boolean {
    return this.inflight !== null;
  }

  /** Starts `check` unless one is running; either way returns the running one. */
  run(check: () => Promise<void>): Promise<void> {
    this.inflight ??= check().finally(() => {
      this.inflight = null;
    });
    return this.inflight;
  }

  /** Resolves when no check is in flight. */
  async settled(): Promise<void> {
    await this.inflight;
  }
}

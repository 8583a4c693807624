/**
 * StoreCheck: the periodic safety net of a relay that shares its store with other processes
 * (issue 16). The Redis fan-out reports the gaps it can see (a trimmed or lost stream, a
 * publish that never reached Redis) and those are repaired at once; this check finds the
 * ones nobody saw, e.g. a process killed between its commit and its publish.
 *
 * Every `intervalMs` it walks the loaded documents one at a time (never two queries of it in
 * flight, so a process with many documents costs the database one small query at a time), asks
 * the store for the log's size (count and bytes: an indexed aggregate, no data read) and, when
 * that changed since the document's last check, repairs the document from the store: the
 * repair applies the stored log, and only what this copy lacked reaches the local clients.
 * A log that did not change holds nothing new, so an idle document costs one aggregate per
 * interval; a busy one a log read per interval (bounded by compaction, 1000 updates / 4 MB).
 */
export interface StoreCheckTarget {
  /** Documents loaded now. */
  loaded(): string[];
  /** A value that changes whenever the stored log of `docId` changes. */
  fingerprint(docId: string): Promise<string>;
  /** Applies the stored log of `docId` to the loaded copy. */
  repair(docId: string): Promise<void>;
  onError(docId: string, error: unknown): void;
}

export class StoreCheck {
  private readonly seen = new Map<string, string>();
  private readonly timer: NodeJS.Timeout;
  private sweeping = false;
  private stopped = false;

  constructor(
    private readonly target: StoreCheckTarget,
    intervalMs: number,
  ) {
    this.timer = setInterval(() => void this.sweep(), intervalMs);
    this.timer.unref();
  }

  /** One pass over the loaded documents (the timer's work; tests call it directly). */
  async sweep(): Promise<void> {
    if (this.sweeping || this.stopped) return;
    this.sweeping = true;
    try {
      const loaded = this.target.loaded();
      const current = new Set(loaded);
      for (const docId of this.seen.keys()) if (!current.has(docId)) this.seen.delete(docId);
      for (const docId of loaded) {
        if (this.stopped) return;
        try {
          const fingerprint = await this.target.fingerprint(docId);
          if (this.seen.get(docId) === fingerprint) continue;
          // Taken before the repair's read: an append after it changes it again, and is read next time.
          await this.target.repair(docId);
          this.seen.set(docId, fingerprint);
        } catch (error) {
          this.target.onError(docId, error);
        }
      }
    } finally {
      this.sweeping = false;
    }
  }

  stop(): void {
    this.stopped = true;
    clearInterval(this.timer);
  }
}

/**
 * CompactionQueue: at most one compaction per document at a time, and a call that finds one
 * running still covers every append made before it: it queues one more run after the running
 * one (shared by all callers arriving meanwhile) instead of returning the running one, which
 * began before those appends. Shared by the DocPersistence implementations that compact.
 */
export class CompactionQueue {
  private readonly running = new Map<string, Promise<void>>();
  private readonly queued = new Map<string, Promise<void>>();

  constructor(private readonly compact: (docId: string) => Promise<void>) {}

  run(docId: string): Promise<void> {
    const running = this.running.get(docId);
    if (running) {
      let queued = this.queued.get(docId);
      if (!queued) {
        queued = running
          .catch(() => {})
          .then(() => {
            this.queued.delete(docId);
            return this.run(docId);
          });
        this.queued.set(docId, queued);
      }
      return queued;
    }
    const job = this.compact(docId).finally(() => this.running.delete(docId));
    this.running.set(docId, job);
    return job;
  }

  /** Settles once every running and queued compaction has. */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.running.values(), ...this.queued.values()]);
  }
}

/**
 * MemoryPersistence: a DocPersistence that keeps the logs in this process's memory. Not
 * durable: for tests, benchmarks that separate the relay's own cost from the disk's, and
 * as the smallest example of the contract (tests/support/relay-persistence-suite.ts).
 */
import type { DocPersistence } from './persistence.ts';
import { mergeToState } from './merge-updates.ts';

export class MemoryPersistence implements DocPersistence {
  private closed = false;

  /** `logs` may be shared with a later instance, as a file outlives a connection. */
  constructor(private readonly logs = new Map<string, Uint8Array[]>()) {}

  async load(docId: string): Promise<Uint8Array[]> {
    this.check();
    return [...(this.logs.get(docId) ?? [])];
  }

  async appendUpdate(docId: string, update: Uint8Array): Promise<void> {
    this.check();
    const log = this.logs.get(docId);
    if (log) log.push(update);
    else this.logs.set(docId, [update]);
  }

  async compact(docId: string): Promise<void> {
    this.check();
    const log = this.logs.get(docId);
    if (!log || log.length < 2) return;
    // Synchronous from read to swap: no append can land in between.
    this.logs.set(docId, [mergeToState(log)]);
  }

  async list(): Promise<string[]> {
    this.check();
    return [...this.logs.keys()].sort();
  }

  async delete(docId: string): Promise<void> {
    this.check();
    this.logs.delete(docId);
  }

  async logSize(docId: string): Promise<{ updates: number; bytes: number }> {
    this.check();
    const log = this.logs.get(docId) ?? [];
    return { updates: log.length, bytes: log.reduce((sum, update) => sum + update.byteLength, 0) };
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  private check(): void {
    if (this.closed) throw new Error('MemoryPersistence is closed');
  }
}

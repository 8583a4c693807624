/**
 * The open documents of a DocStore, counted by handle: opening an id that is already open
 * shares its Y.Doc, and the document is released (persistence stopped, Y.Doc destroyed) when
 * its last handle closes. Shared by every DocStore implementation so they agree on it.
 */
import type * as Y from 'yjs';
import type { DocHandle } from './doc-store.ts';

export interface OpenDoc {
  readonly doc: Y.Doc;
  readonly whenSynced: Promise<void>;
  /** Stops storing the document (the Y.Doc is destroyed after). */
  release(): Promise<void> | void;
}

export class OpenDocs<Entry extends OpenDoc> {
  private readonly entries = new Map<string, { entry: Entry; handles: number }>();

  /** A handle on `id`, opening it with `start` when it is not open yet. */
  handle(id: string, start: () => Entry): DocHandle {
    let slot = this.entries.get(id);
    if (!slot) {
      slot = { entry: start(), handles: 0 };
      this.entries.set(id, slot);
    }
    slot.handles++;
    const opened = slot;
    let closed = false;
    return {
      id,
      doc: opened.entry.doc,
      whenSynced: opened.entry.whenSynced,
      close: async () => {
        if (closed) return;
        closed = true;
        if (--opened.handles > 0) return;
        if (this.entries.get(id) === opened) this.entries.delete(id);
        await opened.entry.whenSynced.catch(() => undefined);
        await opened.entry.release();
        opened.entry.doc.destroy();
      },
    };
  }

  /** Closes `id` at once whatever its handles (before deleting its stored data). */
  async forget(id: string): Promise<void> {
    const slot = this.entries.get(id);
    if (!slot) return;
    this.entries.delete(id);
    await slot.entry.release();
    slot.entry.doc.destroy();
  }

  all(): Entry[] {
    return [...this.entries.values()].map((slot) => slot.entry);
  }
}

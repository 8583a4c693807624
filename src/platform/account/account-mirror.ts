/**
 * Sends local library changes of the account's own documents to the server: a rename, new
 * tags, notes or room profile become PUT /api/documents/:id, Move to Trash becomes DELETE (the
 * server's Trash, restorable 30 days), Restore becomes POST .../restore. The content itself
 * travels through the relay; this keeps the server's list (what a new device and the Trash
 * view show) in step. Documents of no account, and friends' documents, are never sent.
 *
 * Each change is sent once: what was last sent (or last read from the server) per document is
 * remembered, so a library that re-emits its rows sends nothing new. A failed send is retried
 * at the next change or refresh. Non-reactive (`make*`); returns its stop function.
 */
import type { LibraryEntry } from '../../core/documents/library-entry.ts';
import type { AccountApi, ServerDocument } from './account-api.ts';
import type { AccountLibrary } from './account-library.ts';

type Sent = { metadata: string; deleted: boolean };

function metadataOf(d: Pick<ServerDocument, 'name' | 'tags' | 'notes' | 'roomProfile'>): string {
  return JSON.stringify([d.name, d.tags, d.notes, d.roomProfile]);
}

export function makeAccountMirror(options: {
  account: AccountLibrary;
  api: Pick<AccountApi, 'putDocument' | 'trashDocument' | 'restoreDocument'>;
  /** Subscribes to the library's rows; returns the unsubscribe function. */
  watchEntries(onEntries: (entries: LibraryEntry[]) => void): () => void;
  onError(error: unknown): void;
}): () => void {
  const { account, api } = options;
  const known = new Map<string, Sent>();
  let entries: LibraryEntry[] = [];

  const learn = () => {
    const current = account.current();
    known.clear();
    for (const d of current?.documents ?? []) known.set(d.id, { metadata: metadataOf(d), deleted: false });
    for (const d of current?.trash ?? []) known.set(d.id, { metadata: metadataOf(d), deleted: true });
  };

  async function send(entry: LibraryEntry, last: Sent): Promise<void> {
    const deleted = entry.deletedAt !== null;
    const metadata = metadataOf(entry);
    if (deleted === last.deleted && metadata === last.metadata) return;
    known.set(entry.id, { metadata, deleted }); // optimistic: the same change is not sent twice
    try {
      if (metadata !== last.metadata)
        await api.putDocument({
          id: entry.id,
          name: entry.name,
          kind: entry.kind,
          tags: entry.tags,
          notes: entry.notes,
          roomProfile: entry.roomProfile,
          updatedAt: entry.updatedAt,
        });
      if (deleted && !last.deleted) await api.trashDocument(entry.id);
      if (!deleted && last.deleted) await api.restoreDocument(entry.id);
    } catch (error) {
      known.set(entry.id, last);
      options.onError(error);
    }
  }

  const push = () => {
    for (const entry of entries) {
      if (entry.damaged) continue;
      const last = known.get(entry.id);
      if (last) void send(entry, last);
    }
  };

  const stopAccount = account.subscribe(() => {
    learn();
    push();
  });
  const stopEntries = options.watchEntries((next) => {
    entries = next;
    push();
  });
  learn();
  return () => {
    stopAccount();
    stopEntries();
  };
}

/**
 * Library operations: every change goes into the document (its 'meta' map) first and the
 * index row is then rewritten from the document, so the two never disagree for long and the
 * index can always be rebuilt. Non-reactive (`make*` style): the UI layer adds reactivity.
 */
import { liveQuery } from 'dexie';
import * as Y from 'yjs';
import type { DocumentKind } from '../../core/documents/kinds.ts';
import { damagedEntry, entryFromMeta, type LibraryEntry } from '../../core/documents/library-entry.ts';
import { expiredInTrash } from '../../core/documents/library-query.ts';
import type { RoomSurface } from '../../core/console/surfaces.ts';
import { initMeta, readMeta, updateMeta, type EditableMeta } from '../../core/documents/meta.ts';
import { DamagedDocumentError, newDocumentId, type DocHandle, type DocStore } from '../docs/doc-store.ts';
import type { LibraryDatabase } from './library-db.ts';

export interface LibraryServiceOptions {
  store: DocStore;
  db: LibraryDatabase;
  now?: () => number;
}

export interface NewDocument {
  kind: DocumentKind;
  name: string;
  tags?: string[];
  notes?: string;
  roomProfile?: string;
  /** The room profile's surface and strips (see core/console/surfaces.ts). */
  room?: RoomSurface | null;
  /** Content to start from (a Yjs update), e.g. an imported file or a duplicated document. */
  content?: Uint8Array;
}

/**
 * What pages and features see of the library: documents by id and the index rows, never the
 * storage behind them (the IndexedDB index, the DocStore's technology).
 */
export interface LibraryService {
  /** Opens a document and waits for its stored state; rejects with DamagedDocumentError (and lists it as damaged). */
  load(id: string): Promise<DocHandle>;
  /** Every index row, Trash and damaged documents included. */
  list(): Promise<LibraryEntry[]>;
  /**
   * Calls `onEntries` with every row now and again after each change to the index (from this
   * tab, another tab or background sync). Returns the function that stops watching.
   */
  watch(onEntries: (entries: LibraryEntry[]) => void, onError: (error: unknown) => void): () => void;
  /** Rewrites a document's row from its current state (after a sync brought changes in). */
  reindex(id: string, doc: Y.Doc): Promise<void>;
  create(spec: NewDocument): Promise<string>;
  update(id: string, changes: Partial<EditableMeta>): Promise<void>;
  duplicate(id: string): Promise<string>;
  trash(id: string): Promise<void>;
  restore(id: string): Promise<void>;
  /** Deletes a document and its row for good. Damaged documents can be removed this way too. */
  purge(id: string): Promise<void>;
  emptyTrash(): Promise<number>;
  /** Purges what has been in Trash for more than 30 days. Run at start-up. */
  purgeExpired(): Promise<number>;
  /** Indexes documents that have stored data but no row; returns how many it added. */
  reconcile(): Promise<number>;
  /** Keeps the row of an open document in step with its edits, local or remote; returns the function that stops it. */
  track(handle: DocHandle, delayMs?: number): () => void;
}

export function makeLibraryService({ store, db, now = Date.now }: LibraryServiceOptions): LibraryService {
  async function writeEntry(id: string, doc: Y.Doc): Promise<LibraryEntry | null> {
    const meta = readMeta(doc);
    if (!meta) return null;
    const entry = entryFromMeta(id, meta, Y.encodeStateAsUpdate(doc).byteLength);
    await db.documents.put(entry);
    return entry;
  }

  async function markDamaged(id: string, reason: string): Promise<void> {
    const known = await db.documents.get(id);
    await db.documents.put(damagedEntry(id, reason, known));
  }

  /** Opens a document, waits for its stored state, and reports damage to the index. */
  async function load(id: string): Promise<DocHandle> {
    const handle = store.open(id);
    try {
      await handle.whenSynced;
      return handle;
    } catch (error) {
      await handle.close();
      if (error instanceof DamagedDocumentError) await markDamaged(id, error.reason);
      throw error;
    }
  }

  async function withDocument<T>(id: string, work: (doc: Y.Doc) => T): Promise<T> {
    const handle = await load(id);
    try {
      const result = work(handle.doc);
      await writeEntry(id, handle.doc);
      return result;
    } finally {
      await handle.close();
    }
  }

  // Methods call each other through `service`, not `this`, so they can be passed around unbound.
  const service: LibraryService = {
    load,

    list: () => db.documents.toArray(),

    watch(onEntries, onError) {
      const subscription = liveQuery(() => db.documents.toArray()).subscribe({ next: onEntries, error: onError });
      return () => subscription.unsubscribe();
    },

    /** Rewrites a document's row from its current state (after a sync brought changes in). */
    async reindex(id: string, doc: Y.Doc): Promise<void> {
      await writeEntry(id, doc);
    },

    async create(spec: NewDocument): Promise<string> {
      const id = newDocumentId();
      const handle = store.open(id);
      try {
        await handle.whenSynced;
        if (spec.content) Y.applyUpdate(handle.doc, spec.content);
        const time = now();
        initMeta(handle.doc, {
          kind: spec.kind,
          name: spec.name,
          tags: spec.tags ?? [],
          notes: spec.notes ?? '',
          roomProfile: spec.roomProfile ?? '',
          room: spec.room ?? null,
          createdAt: time,
          updatedAt: time,
          deletedAt: null,
        });
        await writeEntry(id, handle.doc);
      } finally {
        await handle.close();
      }
      return id;
    },

    update(id: string, changes: Partial<EditableMeta>): Promise<void> {
      return withDocument(id, (doc) => updateMeta(doc, changes, now()));
    },

    async duplicate(id: string): Promise<string> {
      const { content, meta } = await withDocument(id, (doc) => ({
        content: Y.encodeStateAsUpdate(doc),
        meta: readMeta(doc),
      }));
      if (!meta) throw new Error(`Document ${id} has no metadata to duplicate.`);
      const suffix = ' (copy)';
      const name =
        meta.name.length + suffix.length > 200 ? meta.name.slice(0, 200 - suffix.length) + suffix : meta.name + suffix;
      return service.create({ ...meta, name, content });
    },

    trash(id: string): Promise<void> {
      return service.update(id, { deletedAt: now() });
    },
    restore(id: string): Promise<void> {
      return service.update(id, { deletedAt: null });
    },

    /** Deletes a document and its row for good. Damaged documents can be removed this way too. */
    async purge(id: string): Promise<void> {
      await store.destroy(id);
      await db.documents.delete(id);
    },

    async emptyTrash(): Promise<number> {
      const trashed = await db.documents.filter((entry) => entry.deletedAt !== null).toArray();
      for (const entry of trashed) await service.purge(entry.id);
      return trashed.length;
    },

    /** Purges what has been in Trash for more than 30 days. Run at start-up. */
    async purgeExpired(): Promise<number> {
      const expired = expiredInTrash(await db.documents.toArray(), now());
      for (const entry of expired) await service.purge(entry.id);
      return expired.length;
    },

    /**
     * Brings the index in step with what is stored: a document with stored data but no row
     * (an index lost or cleared, a crash between the two writes) is loaded and indexed, or
     * listed as damaged when it cannot be read.
     */
    async reconcile(): Promise<number> {
      const [stored, indexed] = await Promise.all([store.listStored(), db.documents.toCollection().primaryKeys()]);
      const known = new Set(indexed);
      let added = 0;
      for (const id of stored.filter((storedId) => !known.has(storedId))) {
        try {
          const handle = await load(id);
          try {
            if (await writeEntry(id, handle.doc)) added++;
          } finally {
            await handle.close();
          }
        } catch (error) {
          if (!(error instanceof DamagedDocumentError)) await markDamaged(id, (error as Error).message);
          added++;
        }
      }
      return added;
    },

    /**
     * Keeps the row of an open document in step with its edits, local or remote.
     * Returns the function that stops it.
     */
    track(handle: DocHandle, delayMs = 400): () => void {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const flush = () => {
        timer = undefined;
        void writeEntry(handle.id, handle.doc).catch(reportBackgroundError);
      };
      const onUpdate = () => {
        if (timer === undefined) timer = setTimeout(flush, delayMs);
      };
      handle.doc.on('update', onUpdate);
      return () => {
        handle.doc.off('update', onUpdate);
        if (timer !== undefined) {
          clearTimeout(timer);
          flush();
        }
      };
    },
  };
  return service;
}

/** Errors from background index writes surface through the global error channel. */
function reportBackgroundError(error: unknown): void {
  queueMicrotask(() => {
    throw error;
  });
}

/**
 * Whether a document's stored updates can be loaded. A corrupt update must be reported as a
 * damaged document with its id, never crash or hang the code that loads it.
 */
import * as Y from 'yjs';

/** The stored content of a document cannot be read. Carries the id so the UI can name it. */
export class DamagedDocumentError extends Error {
  constructor(
    readonly docId: string,
    readonly reason: string,
  ) {
    super(`Document ${docId} cannot be loaded: ${reason}`);
    this.name = 'DamagedDocumentError';
  }
}

/** Applies the updates to a scratch doc; throws DamagedDocumentError naming what is wrong. */
export function checkStoredUpdates(id: string, updates: readonly unknown[]): void {
  const scratch = new Y.Doc();
  try {
    for (const [index, update] of updates.entries()) {
      if (!(update instanceof Uint8Array))
        throw new DamagedDocumentError(id, `stored update ${index + 1} is not binary data`);
      try {
        Y.applyUpdate(scratch, update);
      } catch (error) {
        throw new DamagedDocumentError(
          id,
          `stored update ${index + 1} of ${updates.length} is corrupt (${(error as Error).message})`,
        );
      }
    }
    if (scratch.store.pendingStructs || scratch.store.pendingDs) {
      throw new DamagedDocumentError(id, 'stored updates refer to changes that are missing');
    }
  } finally {
    scratch.destroy();
  }
}

/**
 * AccountLibrary: what the server says this device's account holds — its own documents and
 * the ones friends share with it — kept between refreshes so the shell and the document page
 * can ask synchronously "is this document shared with me, and by whom?".
 *
 * It also keeps the promise that a revoked share leaves no copy that can still sync: the ids
 * of shared documents this device has seen are remembered (localStorage), and a refresh that
 * no longer lists one reports it through `onShareGone`, so the shell deletes the local copy
 * even when the revoke happened while this device was closed. Non-reactive (`make*`).
 */
import {
  accountApi,
  type AccountApi,
  type ServerDocument,
  type SharedDocument,
  type TrashedDocument,
} from './account-api.ts';

export interface AccountDocuments {
  documents: ServerDocument[];
  sharedWithMe: SharedDocument[];
  /** The account's documents in the server's Trash. */
  trash: TrashedDocument[];
}

export interface AccountLibraryOptions {
  api?: Pick<AccountApi, 'documents' | 'trash'>;
  /** Where the ids of seen shared documents are remembered. */
  storage?: Pick<Storage, 'getItem' | 'setItem'>;
  storageKey?: string;
  /** Where "this device was signed in when last seen" is kept, so a never-signed-in device never asks. */
  signedInKey?: string;
}

export type AccountLibrary = ReturnType<typeof makeAccountLibrary>;

export function makeAccountLibrary(options: AccountLibraryOptions = {}) {
  const {
    api = accountApi,
    storage = localStorage,
    storageKey = 'mixdesk.sharedWithMe',
    signedInKey = 'mixdesk.signedIn',
  } = options;
  let current: AccountDocuments | null = null;
  const listeners = new Set<(documents: AccountDocuments | null) => void>();
  const goneListeners = new Set<(id: string) => void>();

  const rememberedShares = (): Set<string> => {
    try {
      const parsed: unknown = JSON.parse(storage.getItem(storageKey) ?? '[]');
      return new Set(Array.isArray(parsed) ? parsed.filter((x): x is string => typeof x === 'string') : []);
    } catch {
      return new Set();
    }
  };
  const remember = (ids: Iterable<string>) => storage.setItem(storageKey, JSON.stringify([...ids]));

  const library = {
    /** The last answer of the server, or null (signed out, or not asked yet). */
    current: () => current,
    /** The friend's document shared with this account, if `id` is one. */
    sharedWithMe: (id: string): SharedDocument | undefined => current?.sharedWithMe.find((d) => d.id === id),
    /** This account's own document, if `id` is one. */
    owned: (id: string): ServerDocument | undefined => current?.documents.find((d) => d.id === id),
    /** This account's document in the server's Trash, if `id` is one. */
    trashed: (id: string): TrashedDocument | undefined => current?.trash.find((d) => d.id === id),

    /**
     * Asks the server again. Signed out: null. Offline or failing: the last answer stays and
     * nothing is reported gone (a network error must never delete anything).
     */
    async refresh(): Promise<AccountDocuments | null> {
      if (storage.getItem(signedInKey) !== 'yes') return null;
      let next: AccountDocuments | null;
      try {
        const [listed, trash] = await Promise.all([api.documents(), api.trash()]);
        next = { ...listed, trash };
      } catch (error) {
        if ((error as { status?: number }).status === 401) next = null;
        else return current;
      }
      if (!next) storage.setItem(signedInKey, 'no');
      current = next;
      if (next) {
        const listed = new Set(next.sharedWithMe.map((d) => d.id));
        const seen = rememberedShares();
        for (const id of seen) if (!listed.has(id)) for (const listener of goneListeners) listener(id);
        remember(listed);
      }
      for (const listener of listeners) listener(next);
      return next;
    },

    /** The settings page saw the account (or its absence): later refreshes ask the server only when signed in. */
    async setSignedIn(signedIn: boolean): Promise<AccountDocuments | null> {
      storage.setItem(signedInKey, signedIn ? 'yes' : 'no');
      if (signedIn) return library.refresh();
      current = null;
      for (const listener of listeners) listener(null);
      return null;
    },

    /** A share this device had open was revoked: forget it now (the caller deletes the copy). */
    forgetShare(id: string): void {
      if (current) current = { ...current, sharedWithMe: current.sharedWithMe.filter((d) => d.id !== id) };
      const seen = rememberedShares();
      seen.delete(id);
      remember(seen);
      for (const listener of listeners) listener(current);
    },

    /** Called after every refresh; returns the unsubscribe function. */
    subscribe(listener: (documents: AccountDocuments | null) => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    /** Called with each shared document that is no longer shared with this account. */
    onShareGone(listener: (id: string) => void): () => void {
      goneListeners.add(listener);
      return () => goneListeners.delete(listener);
    },
  };
  return library;
}

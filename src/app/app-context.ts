/**
 * What every page may use: the library service, the router and the app-wide notices. Pages
 * see interfaces (DocStore, LibraryService), never the IndexedDB or Dexie classes behind them.
 */
import { createContext, useContext, type Accessor } from 'solid-js';
import type { AccountLibrary } from '../platform/account/account-library.ts';
import type { DocStore } from '../platform/docs/doc-store.ts';
import type { LibraryService } from '../platform/library/library-service.ts';
import type { Identity } from '../platform/sync/presence.ts';
import type { SyncService } from '../platform/sync/sync-service.ts';
import type { Router } from './router.ts';
import type { Notices } from './notices.ts';

export interface AppServices {
  library: LibraryService;
  store: DocStore;
  router: Router;
  notices: Notices;
  sync: SyncService;
  /** Reactive lookup of each document's sync state. */
  syncState: (id: string) => import('../platform/sync/sync-state.ts').SyncState;
  /** What the server says the signed-in account holds and is shared (empty when signed out). */
  account: AccountLibrary;
  identity: Accessor<Identity>;
  setIdentity(identity: Identity): void;
}

export const AppContext = createContext<AppServices>();

export function useApp(): AppServices {
  const services = useContext(AppContext);
  if (!services) throw new Error('useApp() outside <AppContext.Provider>');
  return services;
}

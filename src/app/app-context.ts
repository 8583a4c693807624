/** What every page may use: the library service, the router and the app-wide notices. */
import { createContext, useContext, type Accessor } from 'solid-js';
import type { IndexedDbDocStore } from '../platform/docs/indexeddb-doc-store.ts';
import type { LibraryDatabase } from '../platform/library/library-db.ts';
import type { LibraryService } from '../platform/library/library-service.ts';
import type { Identity } from '../platform/sync/presence.ts';
import type { SyncService } from '../platform/sync/sync-service.ts';
import type { Router } from './router.ts';
import type { Notices } from './notices.ts';

export interface AppServices {
  library: LibraryService;
  db: LibraryDatabase;
  store: IndexedDbDocStore;
  router: Router;
  notices: Notices;
  sync: SyncService;
  /** Reactive lookup of each document's sync state. */
  syncState: (id: string) => import('../platform/sync/sync-state.ts').SyncState;
  identity: Accessor<Identity>;
  setIdentity(identity: Identity): void;
}

export const AppContext = createContext<AppServices>();

export function useApp(): AppServices {
  const services = useContext(AppContext);
  if (!services) throw new Error('useApp() outside <AppContext.Provider>');
  return services;
}

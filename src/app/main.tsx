/**
 * Boot: wire the document store, the library index and the services, render the shell,
 * then do the housekeeping that must not delay the first paint (persistence request,
 * Trash purge, index reconciliation).
 */
import { createSignal } from 'solid-js';
import { render } from 'solid-js/web';
import { accountApi } from '../platform/account/account-api.ts';
import { makeAccountLibrary } from '../platform/account/account-library.ts';
import { makeAccountMirror } from '../platform/account/account-mirror.ts';
import { IndexedDbDocStore } from '../platform/docs/indexeddb-doc-store.ts';
import { LibraryDatabase } from '../platform/library/library-db.ts';
import { makeLibraryService } from '../platform/library/library-service.ts';
import { requestPersistence } from '../platform/storage/quota.ts';
import { loadIdentity } from '../platform/sync/presence.ts';
import { makeSyncService } from '../platform/sync/sync-service.ts';
import { createSyncStates } from './create-sync-states.ts';
import { App } from './App.tsx';
import { AppContext, type AppServices } from './app-context.ts';
import { createNotices } from './notices.ts';
import { makeQuotaRecovery } from './make-quota-recovery.ts';
import { createRouter } from './router.ts';
import '../styles.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');

render(() => {
  const store: IndexedDbDocStore = new IndexedDbDocStore((error) => notices.error(error));
  const db = new LibraryDatabase();
  const recovery = makeQuotaRecovery(
    () => store.saveAllOpen(),
    () => notices.info('There is room again: every change is saved on this device.'),
  );
  const notices = createNotices(() => recovery.start());
  const library = makeLibraryService({ store, db });
  const sync = makeSyncService({ load: library.load, onChanged: (id, handle) => library.reindex(id, handle.doc) });
  const account = makeAccountLibrary();
  const [identity, setIdentity] = createSignal(loadIdentity());
  const services: AppServices = {
    store,
    notices,
    library,
    sync,
    account,
    identity,
    setIdentity,
    router: createRouter(),
    syncState: createSyncStates(sync),
  };
  // The account's documents this device does not hold yet are fetched by the same pass: a new
  // device that signs in gets its library as the documents sync.
  const syncLibrary = () =>
    sync
      .syncAll(async () => {
        const local = (await library.list()).filter((e) => !e.damaged).map((e) => e.id);
        const inAccount = account.current()?.documents.map((d) => d.id) ?? [];
        return [...new Set([...local, ...inAccount])];
      })
      .catch((error) => notices.error(error, 'Background sync failed'));
  account.subscribe(() => void syncLibrary());
  // Renames, tags, notes and Trash of the account's own documents reach the server's list.
  makeAccountMirror({
    account,
    api: accountApi,
    watchEntries: (onEntries) => library.watch(onEntries, (error) => notices.error(error)),
    onError: (error) => {
      // Offline: sent again at the next change or refresh.
      if ((error as { status?: number }).status !== 0) notices.error(error, 'Updating your account failed');
    },
  });
  // A share revoked while this device was away: its copy must not linger (nor try to sync).
  account.onShareGone((id) => {
    library.purge(id).catch((error) => notices.error(error, 'Removing a document no longer shared failed'));
  });

  // Errors with no caller to catch them (background index writes, y-indexeddb's own writes)
  // still reach the user; a full disk among them gets its own message.
  window.addEventListener('unhandledrejection', (event) => {
    notices.error(event.reason);
    event.preventDefault();
  });
  window.addEventListener('error', (event) => {
    if (event.error) notices.error(event.error);
  });

  const housekeeping = async () => {
    await requestPersistence();
    try {
      await services.library.purgeExpired();
      await services.library.reconcile();
    } catch (error) {
      notices.error(error, 'Library housekeeping failed');
    }
    await account.refresh();
    await syncLibrary();
  };
  queueMicrotask(() => {
    housekeeping().catch((error: unknown) => notices.error(error, 'Start-up housekeeping failed'));
  });
  // Back online, or every few minutes: bring every document up to date with the relay.
  window.addEventListener('online', () => void syncLibrary());
  setInterval(() => void syncLibrary(), 5 * 60 * 1000);

  return (
    <AppContext.Provider value={services}>
      <App />
    </AppContext.Provider>
  );
}, root);

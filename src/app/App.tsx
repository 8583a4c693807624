/** The shell: navigation, status, app-wide notices, and the page for the current route. */
import { For, lazy, Match, Show, Switch } from 'solid-js';
import { DocumentPage } from '../features/document/DocumentPage.tsx';
import { LibraryPage } from '../features/library/LibraryPage.tsx';
import { SettingsPage } from '../features/settings/SettingsPage.tsx';
import { AccountSettings } from '../features/account/AccountSettings.tsx';
import { ImportButton } from '../features/console/ImportButton.tsx';
import { FLOATING_STACK_ID } from '../features/shared/Floating.tsx';
import { useApp } from './app-context.ts';
import { createOnlineStatus } from './create-online-status.ts';
import { InstallHint } from './InstallHint.tsx';
import { KindEditor } from './KindEditor.tsx';
import { UpdatePrompt } from './UpdatePrompt.tsx';

// The analysis page and its plots load when first visited; the library paints without them.
const AnalyzePage = lazy(() =>
  import('../features/analysis/AnalyzePage.tsx').then((m) => ({ default: m.AnalyzePage })),
);

export function App() {
  const { router, notices } = useApp();
  const online = createOnlineStatus();
  const current = (page: string) => (router.route().page === page ? 'page' : undefined);
  return (
    <div class="shell">
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <header class="topbar">
        <a class="brand" href="/" aria-label="Mixdesk library">
          Mixdesk
        </a>
        <nav aria-label="Main">
          <a href="/" aria-current={current('library')}>
            Library
          </a>
          <a href="/analyze" aria-current={current('analyze')}>
            Analyze
          </a>
          <a href="/trash" aria-current={current('trash')}>
            Trash
          </a>
          <a href="/settings" aria-current={current('settings')}>
            Settings
          </a>
        </nav>
        <span class="online" classList={{ offline: !online() }} role="status" data-testid="online-status">
          {online() ? 'Online' : 'Offline'}
        </span>
      </header>
      <InstallHint />
      {/* Messages that arrive while someone works float over the page instead of pushing it
          down: a banner that appears under the pointer must never move the button being pressed. */}
      <div class="toasts" id={FLOATING_STACK_ID}>
        <UpdatePrompt />
        <div class="notices" aria-live="assertive">
          <For each={notices.list()}>
            {(notice) => (
              <div class={`banner ${notice.tone}`} role={notice.tone === 'error' ? 'alert' : 'status'}>
                <span>{notice.text}</span>
                <button class="button" onClick={() => notices.dismiss(notice.id)} aria-label="Dismiss">
                  ×
                </button>
              </div>
            )}
          </For>
        </div>
      </div>
      <main id="main" tabindex="-1">
        <Switch>
          <Match when={router.route().page === 'library'}>
            <LibraryPage view="library" actions={<ImportButton />} />
          </Match>
          <Match when={router.route().page === 'trash'}>
            <LibraryPage view="trash" />
          </Match>
          <Match when={router.route().page === 'settings'}>
            <SettingsPage account={<AccountSettings />} />
          </Match>
          <Match when={router.route().page === 'analyze'}>
            <AnalyzePage />
          </Match>
          <Match when={router.route().page === 'document' && router.route()}>
            {(route) => <Keyed id={(route() as { id: string }).id} />}
          </Match>
          <Match when={router.route().page === 'not-found'}>
            <section class="page">
              <h1>Page not found</h1>
              <p>
                <a href="/">Back to the library</a>
              </p>
            </section>
          </Match>
        </Switch>
      </main>
    </div>
  );
}

/** Re-creates the document page when the id changes, so one document's state never leaks into another. */
function Keyed(props: { id: string }) {
  return (
    <Show keyed when={props.id}>
      {(id) => <DocumentPage id={id} editor={KindEditor} />}
    </Show>
  );
}

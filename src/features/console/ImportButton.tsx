/**
 * Library actions for console files: import one file, many files or a whole User Set folder
 * (also by dropping them on the library), with progress, Cancel and a per-file report; and
 * "Export all console files" as a .zip that keeps the folder structure.
 */
import { createSignal, For, onCleanup, onMount, Show } from 'solid-js';
import { useApp } from '../../app/app-context.ts';
import { Floating } from '../shared/Floating.tsx';
import { downloadBytes } from './download.ts';
import { exportAllConsoleFiles } from './export-all.ts';
import {
  importConsoleFiles,
  itemsFromDrop,
  itemsFromInput,
  type ImportItem,
  type ImportOutcome,
  type ImportProgress,
} from './import-files.ts';
import { sharedXmlClient } from './xml-client.ts';

export function ImportButton() {
  const { library, notices, identity } = useApp();
  const [progress, setProgress] = createSignal<ImportProgress | null>(null);
  const [results, setResults] = createSignal<ImportOutcome[] | null>(null);
  const [exporting, setExporting] = createSignal(false);
  let controller: AbortController | null = null;
  let filesInput!: HTMLInputElement;
  let folderInput!: HTMLInputElement;
  let root!: HTMLSpanElement;

  const run = async (items: ImportItem[]) => {
    if (!items.length || controller) return;
    controller = new AbortController();
    setResults(null);
    setProgress({ done: 0, total: items.length, current: null });
    try {
      const out = await importConsoleFiles(
        items,
        { library, xml: sharedXmlClient(), author: identity().name },
        setProgress,
        controller.signal,
      );
      setResults(out);
    } catch (error) {
      notices.error(error, 'Import failed');
    } finally {
      controller = null;
      setProgress(null);
    }
  };

  onMount(() => {
    // Dropping files or a folder anywhere on the library page imports them.
    const page = root.closest('.page') ?? document.body;
    const hasFiles = (e: DragEvent) => !!e.dataTransfer && [...e.dataTransfer.types].includes('Files');
    const over = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      page.classList.add('console-drop-target');
    };
    const leave = (e: DragEvent) => {
      if (e.target === page) page.classList.remove('console-drop-target');
    };
    const drop = async (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      page.classList.remove('console-drop-target');
      try {
        await run(await itemsFromDrop(e.dataTransfer!));
      } catch (error) {
        notices.error(error, 'Reading the dropped files failed');
      }
    };
    page.addEventListener('dragover', over as EventListener);
    page.addEventListener('dragleave', leave as EventListener);
    page.addEventListener('drop', drop as unknown as EventListener);
    onCleanup(() => {
      page.removeEventListener('dragover', over as EventListener);
      page.removeEventListener('dragleave', leave as EventListener);
      page.removeEventListener('drop', drop as unknown as EventListener);
    });
  });
  onCleanup(() => controller?.abort());

  const exportAll = async () => {
    setExporting(true);
    try {
      const { zip, count } = await exportAllConsoleFiles({ library, xml: sharedXmlClient() });
      if (count === 0) notices.info('There are no imported console files to export.');
      else downloadBytes(zip, 'Mixdesk console files.zip', 'application/zip');
    } catch (error) {
      notices.error(error, 'Export failed');
    } finally {
      setExporting(false);
    }
  };

  const failed = () => (results() ?? []).filter((r): r is Extract<ImportOutcome, { ok: false }> => !r.ok);
  const imported = () => (results() ?? []).filter((r) => r.ok).length;

  return (
    <span class="console-import" ref={root}>
      <input
        ref={filesInput}
        type="file"
        multiple
        hidden
        data-import="files"
        accept=".xml,.txt,text/xml,application/xml,text/plain,*/*"
        onChange={(e) => {
          const items = itemsFromInput(e.currentTarget.files);
          e.currentTarget.value = '';
          void run(items);
        }}
      />
      <input
        ref={folderInput}
        type="file"
        multiple
        hidden
        data-import="folder"
        {...{ webkitdirectory: true }}
        onChange={(e) => {
          const items = itemsFromInput(e.currentTarget.files);
          e.currentTarget.value = '';
          void run(items);
        }}
      />
      <button class="button" disabled={progress() !== null} onClick={() => filesInput.click()}>
        Import files
      </button>
      <button class="button" disabled={progress() !== null} onClick={() => folderInput.click()}>
        Import folder
      </button>
      <button class="button" disabled={exporting()} onClick={exportAll}>
        {exporting() ? 'Exporting…' : 'Export all console files'}
      </button>
      <Show when={progress() || results()}>
        <Floating>
          <div class="console-import-status card" role="status" aria-live="polite" aria-label="Import">
            <Show
              when={progress()}
              fallback={
                <>
                  <p class="console-import-summary">
                    {imported()} imported{failed().length ? `, ${failed().length} not imported` : ''}.
                  </p>
                  <Show when={failed().length}>
                    <ul class="console-import-problems">
                      <For each={failed()}>
                        {(r) => (
                          <li class="problem" data-path={r.path}>
                            {r.message}
                          </li>
                        )}
                      </For>
                    </ul>
                  </Show>
                  <button class="button" onClick={() => setResults(null)}>
                    Close
                  </button>
                </>
              }
            >
              {(p) => (
                <>
                  <p>
                    Importing {Math.min(p().done + 1, p().total)} of {p().total}
                    {p().current ? `: ${p().current}` : ''}
                  </p>
                  <progress max={p().total} value={p().done} aria-label="Import progress" />
                  <button class="button" onClick={() => controller?.abort()}>
                    Cancel
                  </button>
                </>
              )}
            </Show>
          </div>
        </Floating>
      </Show>
    </span>
  );
}

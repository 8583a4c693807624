/**
 * The editor of a console-config document. It finds out what the document holds (an App Set,
 * a Mixdesk layout, any other XML, or nothing yet) and shows the matching editor, with the
 * tree and raw XML view one tab away for every kind. Around it: undo and redo of this
 * person's own edits (buttons, Ctrl/Cmd+Z, Shift+Ctrl/Cmd+Z), export with the original file
 * name, validation warnings, named versions, and collaborators' selections (presence).
 */
import { createEffect, createSignal, Match, onCleanup, Show, Switch } from 'solid-js';
import {
  createLayoutXml,
  layoutsCsv,
  readBankRecall,
  readLayouts,
  readStrip,
  type ValidationWarning,
} from '../../core/console/index.ts';
import { nodeName, parentNode, xmlFileName } from '../../core/xml/index.ts';
import { useApp } from '../../app/app-context.ts';
import type { DocHandle } from '../../platform/docs/doc-store.ts';
import { publishSelection } from '../../platform/sync/presence.ts';
import type { DocSync } from '../../platform/sync/websocket-doc-sync.ts';
import { createPeers } from '../shared/create-peers.ts';
import { EditOnly, useReadOnly } from '../shared/read-only.tsx';
import { createConsoleDoc } from './console-doc.ts';
import { downloadBytes } from './download.ts';
import { keySelection, nodeSelection, stripSelection, type EditorContext } from './editor-context.ts';
import { CONSOLE_INFO } from './import-files.ts';
import { LayoutEditor } from './LayoutEditor.tsx';
import { SoftKeysEditor } from './SoftKeysEditor.tsx';
import { TreeEditor } from './TreeEditor.tsx';
import { saveVersion, saveVersionIfChanged } from './versions.ts';
import { VersionsPanel } from './VersionsPanel.tsx';
import { WarningsList } from './WarningsList.tsx';
import { sharedXmlClient } from './xml-client.ts';

const isTextField = (t: EventTarget | null) =>
  t instanceof HTMLElement && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName));

export function ConsoleEditor(props: { handle: DocHandle; sync: DocSync }) {
  const { notices, identity } = useApp();
  const doc = props.handle.doc;
  const onError = (e: unknown) => notices.error(e);
  const readOnly = useReadOnly();
  const cd = createConsoleDoc(doc, onError, () => identity().name, readOnly);
  const awareness = props.sync.provider.awareness;
  const peers = createPeers(awareness);
  const [selection, select] = createSignal<string | null>(null);
  createEffect(() => publishSelection(awareness, selection()));
  onCleanup(() => publishSelection(awareness, null));
  const [view, setView] = createSignal<'editor' | 'tree'>('editor');
  const ctx: EditorContext = { cd, selection, select, peers, author: () => identity().name };

  const onKey = (e: KeyboardEvent) => {
    if (readOnly() || !(e.ctrlKey || e.metaKey) || e.altKey || e.key.toLowerCase() !== 'z' || isTextField(e.target))
      return;
    e.preventDefault();
    if (e.shiftKey) cd.redo();
    else cd.undo();
  };
  document.addEventListener('keydown', onKey);
  onCleanup(() => document.removeEventListener('keydown', onKey));

  const exportFile = async () => {
    // An automatic version before every export: what was sent to the console can be found again
    // (by whoever can edit: a read-only export takes the file and leaves the document as it is).
    if (!readOnly())
      try {
        saveVersionIfChanged(doc, `Before export of ${xmlFileName(doc)}`, identity().name);
      } catch (e) {
        notices.error(e);
      }
    try {
      downloadBytes(await sharedXmlClient().exportFile(doc), xmlFileName(doc), 'application/xml');
    } catch (e) {
      notices.error(e, 'Export failed');
    }
  };

  /** The strips of every layout as CSV, named after the layout file ("Show layout.csv"). */
  const exportCsv = () => {
    try {
      const csv = layoutsCsv(readLayouts(doc), readBankRecall(doc));
      downloadBytes(new TextEncoder().encode(csv), xmlFileName(doc).replace(/\.xml$/i, '') + '.csv', 'text/csv');
    } catch (e) {
      notices.error(e, 'Export failed');
    }
  };

  const pickWarning = (w: ValidationWarning) => {
    const parent = parentNode(doc, w.node);
    if (cd.kind() === 'layout' && nodeName(doc, w.node) === 'Strip' && parent) {
      const strip = readStrip(doc, w.node);
      if (Number.isInteger(strip.slot) && strip.slot >= 1 && strip.slot <= 256) {
        setView('editor');
        select(stripSelection(parent, strip.slot));
        return;
      }
    }
    if (cd.kind() === 'app-set' && parent && nodeName(doc, parent)?.toLowerCase() === 'bank') {
      setView('editor');
      select(keySelection(w.node));
      return;
    }
    setView('tree');
    select(nodeSelection(w.node));
  };

  const importInto = async (bytes: Uint8Array, name: string) => {
    if (readOnly()) return;
    try {
      await sharedXmlClient().importFile(doc, bytes, name);
      doc.getMap(CONSOLE_INFO).set('path', name);
      saveVersion(doc, `Imported ${name}`, identity().name, Date.now(), true);
    } catch (e) {
      notices.error(e);
    }
  };
  const startLayout = () =>
    importInto(new TextEncoder().encode(createLayoutXml([{ name: 'Layout 1', strips: [] }])), 'layout.xml');

  return (
    <section class="card console-editor" aria-label="Editor">
      <Show
        when={cd.kind() !== 'empty'}
        fallback={
          <>
            <h2>Console configuration</h2>
            <p class="hint">
              This document holds no file yet.
              <EditOnly> Import an App Set, a layout or any console XML file, or start a layout.</EditOnly>
            </p>
            <EditOnly>
              <div class="row-actions console-left">
                <label class="button console-file-button">
                  Import a file
                  <input
                    type="file"
                    class="console-visually-hidden"
                    onChange={async (e) => {
                      const file = e.currentTarget.files?.[0];
                      if (file) await importInto(new Uint8Array(await file.arrayBuffer()), file.name);
                    }}
                  />
                </label>
                <button class="button" onClick={startLayout}>
                  Start a layout
                </button>
              </div>
            </EditOnly>
          </>
        }
      >
        <header class="console-toolbar">
          <div class="console-tabs" role="tablist" aria-label="View">
            <Show when={cd.kind() !== 'xml'}>
              <button class="button" role="tab" aria-selected={view() === 'editor'} onClick={() => setView('editor')}>
                {cd.kind() === 'app-set' ? 'Soft keys' : 'Layouts'}
              </button>
            </Show>
            <button
              class="button"
              role="tab"
              aria-selected={view() === 'tree' || cd.kind() === 'xml'}
              onClick={() => setView('tree')}
            >
              Tree & raw XML
            </button>
          </div>
          <div class="row-actions">
            <EditOnly>
              <button
                class="button"
                onClick={() => cd.undo()}
                disabled={!cd.canUndo()}
                aria-keyshortcuts="Control+Z Meta+Z"
              >
                Undo
              </button>
              <button
                class="button"
                onClick={() => cd.redo()}
                disabled={!cd.canRedo()}
                aria-keyshortcuts="Control+Shift+Z Meta+Shift+Z"
              >
                Redo
              </button>
            </EditOnly>
            <Show when={cd.kind() === 'layout'}>
              <button class="button" onClick={exportCsv}>
                Export CSV
              </button>
            </Show>
            <button class="button primary" onClick={exportFile} aria-describedby="console-export-what">
              Export
            </button>
          </div>
        </header>
        <p class="hint console-file-name">
          File: <code>{(cd.tick(), xmlFileName(doc))}</code>
          <Show when={cd.kind() === 'layout'}>
            <span id="console-export-what">
              {' '}
              — Export writes Mixdesk layout XML, for sharing and archive: S6 and S3 layouts themselves live in the Pro
              Tools session. Export CSV gives the strips as a table for the console.
            </span>
          </Show>
        </p>
        <WarningsList ctx={ctx} onPick={pickWarning} />
        <Switch fallback={<TreeEditor ctx={ctx} />}>
          <Match when={view() === 'editor' && cd.kind() === 'app-set'}>
            <SoftKeysEditor ctx={ctx} />
          </Match>
          <Match when={view() === 'editor' && cd.kind() === 'layout'}>
            <LayoutEditor ctx={ctx} />
          </Match>
        </Switch>
        <VersionsPanel ctx={ctx} author={() => identity().name} onError={onError} />
      </Show>
    </section>
  );
}

/**
 * The raw XML of a console document, as it will be exported, and editable: type, then Apply
 * (or Ctrl/Cmd+Enter) or Revert. Applying checks the text in the XML worker first (it is
 * hostile input: size, nesting, well-formedness), shows an error at its line and column and
 * applies nothing while there is one; otherwise the text is diffed against the document as it
 * is NOW and only what differs is written, as one undoable edit (core/xml/text-apply.ts).
 *
 * While text is being edited it is never replaced: when a collaborator changes the document
 * meanwhile, a notice offers to keep editing or to reload their version. Apply then carries
 * their change into the user's text when the two are apart (core/xml/text-rebase.ts); where they
 * overlap, the user's text is applied as it is.
 *
 * Layout: a mirror of the text, one block per line (line numbers as CSS counters, so they are
 * not part of the text; the error line marked), sets the height; the textarea lies over it with
 * the same font and wrapping, so long lines wrap instead of being cut and each line number stays
 * beside its line. The mirror keeps data-testid="raw-xml": its text content is the raw XML.
 */
import { createMemo, createSignal, Index, Show } from 'solid-js';
import { applyXmlText, exportXmlText, rebaseTextEdit, XmlError, type TextApplySummary } from '../../core/xml/index.ts';
import { useApp } from '../../app/app-context.ts';
import type { EditorContext } from './editor-context.ts';
import { sharedXmlClient } from './xml-client.ts';

/** What an apply did, in words ("1 attribute, 2 elements added"). */
function describeApply(s: TextApplySummary): string {
  const parts: string[] = [];
  const count = (n: number, one: string, many: string) => n && parts.push(`${n} ${n === 1 ? one : many}`);
  count(s.attributes, 'attribute', 'attributes');
  count(s.texts, 'text', 'texts');
  count(s.added, 'element added', 'elements added');
  count(s.removed, 'removed', 'removed');
  count(s.moved, 'moved', 'moved');
  if (parts.length) return `Applied: ${parts.join(', ')}.`;
  return s.records
    ? 'Applied: indentation and line breaks only.'
    : 'Nothing to apply: the text means what the document already holds (spacing inside tags, quotes and the order of attributes are kept as they were).';
}

/** UTF-16 offset of a 1-based line and column in LF text. */
function offsetOf(text: string, line: number, column: number): number {
  let at = 0;
  for (let l = 1; l < line; l++) {
    const nl = text.indexOf('\n', at);
    if (nl < 0) return text.length;
    at = nl + 1;
  }
  return Math.min(text.length, at + column - 1);
}

export function RawXmlEditor(props: { ctx: EditorContext }) {
  const { cd } = props.ctx;
  const { notices } = useApp();
  const doc = cd.doc;
  /** The document's text as a textarea holds it (LF line endings; export writes the file's own). */
  const current = createMemo(() => {
    cd.tick();
    return exportXmlText(doc).replace(/\r\n?/g, '\n');
  });
  /** The text being edited; null while the view simply follows the document. */
  const [draft, setDraft] = createSignal<string | null>(null);
  /** The document's text when editing began, and the text the user chose to keep editing over. */
  const [base, setBase] = createSignal('');
  const [keptOver, setKeptOver] = createSignal<string | null>(null);
  const [error, setError] = createSignal<XmlError | null>(null);
  const [status, setStatus] = createSignal('');
  const [busy, setBusy] = createSignal(false);
  const text = () => draft() ?? current();
  const lines = createMemo(() => text().split('\n'));
  const changedMeanwhile = () => draft() !== null && current() !== base() && current() !== keptOver();
  let input: HTMLTextAreaElement | undefined;
  let mirror!: HTMLDivElement;
  let scroller!: HTMLDivElement;

  const stopEditing = () => {
    setDraft(null);
    setError(null);
    setKeptOver(null);
  };

  const onInput = (value: string) => {
    if (draft() === null) setBase(current());
    setDraft(value);
    setStatus('');
  };

  const goToError = () => {
    const e = error();
    if (!e?.line || !input) return;
    const at = offsetOf(text(), e.line, e.column ?? 1);
    input.focus({ preventScroll: true });
    input.setSelectionRange(at, at);
    // The line to the middle of the text's own scroller, and the message (above it) into view.
    const line = mirror.children[e.line - 1];
    if (line instanceof HTMLElement) scroller.scrollTop = line.offsetTop - scroller.clientHeight / 2;
    scroller.parentElement?.querySelector('.console-raw-error')?.scrollIntoView({ block: 'nearest' });
  };

  const apply = async () => {
    const t = draft();
    if (t === null || busy()) return;
    setBusy(true);
    setError(null);
    setStatus('Checking…');
    try {
      await sharedXmlClient().checkText(t);
      // Diffed against the document as it is now, after whatever arrived while the worker checked.
      // A collaborator's change made meanwhile is carried in when it is apart from the user's.
      const merged = current() === base() ? null : rebaseTextEdit(base(), t, current());
      const outcome: { summary?: TextApplySummary; refused?: unknown; kept?: boolean } = {};
      cd.edit(() => {
        try {
          if (merged !== null && merged !== t)
            try {
              outcome.summary = applyXmlText(doc, merged);
              outcome.kept = true;
              return;
            } catch {
              // The merge did not make well-formed XML: the user's own text, as checked, instead.
            }
          outcome.summary = applyXmlText(doc, t);
        } catch (e) {
          // Refused before anything is written, so the transaction stays empty.
          outcome.refused = e;
        }
      });
      if (outcome.refused) throw outcome.refused;
      if (outcome.summary) {
        stopEditing();
        setStatus(describeApply(outcome.summary) + (outcome.kept ? ' Their changes elsewhere are kept.' : ''));
      }
    } catch (e) {
      setStatus('');
      if (e instanceof XmlError) {
        setError(e);
        goToError();
      } else notices.error(e, 'Apply failed');
    } finally {
      setBusy(false);
    }
  };

  const onKeyDown = (e: KeyboardEvent) => {
    const mod = (e.ctrlKey || e.metaKey) && !e.altKey;
    if (mod && e.key === 'Enter') {
      e.preventDefault();
      void apply();
    } else if (mod && e.key.toLowerCase() === 'z' && draft() === null) {
      // Nothing typed since the last apply: Ctrl+Z is the editor's undo (it undoes that apply).
      e.preventDefault();
      if (e.shiftKey) cd.redo();
      else cd.undo();
    }
  };

  const errorLine = () => (draft() !== null ? (error()?.line ?? 0) : 0);
  const editable = () => !cd.readOnly();

  return (
    <section class="console-raw" aria-label="Raw XML">
      <div class="console-raw-head">
        <h3>Raw XML</h3>
        <Show when={editable()}>
          <div class="row-actions">
            <button
              class="button"
              disabled={draft() === null || busy()}
              onClick={stopEditing}
              title="Drop the edits and show the document"
            >
              Revert
            </button>
            <button
              class="button primary"
              disabled={draft() === null || busy()}
              onClick={() => void apply()}
              aria-keyshortcuts="Control+Enter Meta+Enter"
            >
              Apply
            </button>
          </div>
        </Show>
      </div>
      <Show when={changedMeanwhile()}>
        <div class="console-raw-notice" role="status">
          <span>
            The document changed since you started editing. Apply keeps their changes outside the stretch of text you
            changed (where they overlap yours, your text wins); Reload shows their version and drops your edits.
          </span>
          <div class="row-actions">
            <button class="button" onClick={() => setKeptOver(current())}>
              Keep editing
            </button>
            <button class="button" onClick={stopEditing}>
              Reload
            </button>
          </div>
        </div>
      </Show>
      <Show when={error()}>
        {(e) => (
          <p class="problem console-raw-error" role="alert" id="raw-xml-error">
            <Show when={e().line} fallback={e().reason}>
              <button class="console-raw-goto" onClick={goToError}>
                Line {e().line}, column {e().column ?? 1}
              </button>
              : {e().reason}. Nothing was applied.
            </Show>
          </p>
        )}
      </Show>
      <p class="hint console-raw-status" aria-live="polite">
        {status()}
      </p>
      <div class="console-raw-scroll" ref={scroller}>
        <div class="console-raw-stack" classList={{ 'console-raw-editing': editable() }}>
          <div
            class="console-raw-text"
            data-testid="raw-xml"
            ref={mirror}
            aria-hidden={editable() ? 'true' : undefined}
          >
            <Index each={lines()}>
              {(line, i) => (
                <div class="console-raw-line" classList={{ 'console-raw-line-error': errorLine() === i + 1 }}>
                  {line()}
                  <span class="console-raw-eol">{i < lines().length - 1 ? '\n' : ''}</span>
                </div>
              )}
            </Index>
          </div>
          <Show when={editable()}>
            <textarea
              ref={input}
              class="console-raw-input"
              aria-label="Raw XML text"
              aria-invalid={error() ? 'true' : undefined}
              aria-describedby={error() ? 'raw-xml-error' : undefined}
              spellcheck={false}
              autocapitalize="off"
              autocomplete="off"
              wrap="soft"
              value={text()}
              onInput={(e) => onInput(e.currentTarget.value)}
              onKeyDown={onKeyDown}
            />
          </Show>
        </div>
      </div>
    </section>
  );
}

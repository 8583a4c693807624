/**
 * "Strip sheet…": a layout as the paper engineers tape above the faders (issue 15, part 4).
 * Opens a preview over the page with its settings (paper, scribble-strip width); "Print…"
 * prints exactly the preview (the browser's print dialog also saves it as PDF). "Input list from
 * session…" adds the session's tracks with their comments after the strips. While the
 * preview is open the page prints nothing else: body gets `printing-strip-sheet`, and the print
 * rules in styles.css hide the rest. The sheet itself is computed in core (strip-sheet.ts).
 * A coloured strip's cell has a band of its colour on top, printed in colour, with the colour's
 * name in it, so the band still reads on a black-and-white printer.
 */
import { createEffect, createMemo, createSignal, For, onCleanup, Show } from 'solid-js';
import { Portal } from 'solid-js/web';
import {
  SCRIBBLE_MAX_CHARS,
  SCRIBBLE_MIN_CHARS,
  readBankRecall,
  stripSheet,
  type LayoutView,
} from '../../core/console/index.ts';
import { inputList, type InputListRow } from '../../core/session/index.ts';
import type { ConsoleDoc } from './console-doc.ts';
import { readSessionFile } from './session-file.ts';
import { SessionFileButton } from './SessionFileButton.tsx';

const PAPERS = { A4: 'A4 landscape', Letter: 'letter landscape' } as const;
type Paper = keyof typeof PAPERS;
/** Most scribble strips and hand-cut paper strips hold about 8 characters. */
const DEFAULT_SCRIBBLE_CHARS = 8;

function SheetPreview(props: { cd: ConsoleDoc; layout: LayoutView; documentName: string; onClose: () => void }) {
  const [paper, setPaper] = createSignal<Paper>(navigator.language === 'en-US' ? 'Letter' : 'A4');
  const [chars, setChars] = createSignal(DEFAULT_SCRIBBLE_CHARS);
  const [inputs, setInputs] = createSignal<{ session: string; rows: InputListRow[] } | null>(null);
  const [inputsProblem, setInputsProblem] = createSignal<string | null>(null);
  const readInputs = async (file: File | undefined) => {
    setInputsProblem(null);
    if (!file) return;
    const got = await readSessionFile(file);
    if ('problem' in got) setInputsProblem(got.problem);
    else setInputs({ session: got.session.header.sessionName, rows: inputList(got.session) });
  };
  const sheet = createMemo(() => {
    props.cd.tick();
    return stripSheet(props.layout, readBankRecall(props.cd.doc), chars());
  });
  // The paper size is an @page rule; the CSP allows no inline <style>, so it is a constructed
  // style sheet adopted by the document while the preview is open.
  const pageRule = new CSSStyleSheet();
  createEffect(() => pageRule.replaceSync(`@page { size: ${PAPERS[paper()]}; margin: 10mm; }`));
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, pageRule];
  onCleanup(() => (document.adoptedStyleSheets = document.adoptedStyleSheets.filter((s) => s !== pageRule)));
  document.body.classList.add('printing-strip-sheet');
  onCleanup(() => document.body.classList.remove('printing-strip-sheet'));
  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'Escape') props.onClose();
  };
  document.addEventListener('keydown', onKey);
  onCleanup(() => document.removeEventListener('keydown', onKey));
  const printed = new Date().toLocaleDateString();

  return (
    <Portal ref={(container) => container.classList.add('strip-sheet-portal')}>
      <div class="strip-sheet-dialog" role="dialog" aria-modal="true" aria-label="Strip sheet">
        <div class="toolbar strip-sheet-settings">
          <label class="field">
            <span class="label">Paper</span>
            <select aria-label="Paper" value={paper()} onChange={(e) => setPaper(e.currentTarget.value as Paper)}>
              <option value="A4">A4, landscape</option>
              <option value="Letter">Letter, landscape</option>
            </select>
          </label>
          <label class="field">
            <span class="label">Scribble strip width (characters)</span>
            <input
              aria-label="Scribble strip width"
              type="number"
              min={SCRIBBLE_MIN_CHARS}
              max={SCRIBBLE_MAX_CHARS}
              value={chars()}
              onInput={(e) => {
                const n = e.currentTarget.valueAsNumber;
                if (Number.isFinite(n)) setChars(Math.min(SCRIBBLE_MAX_CHARS, Math.max(SCRIBBLE_MIN_CHARS, n)));
              }}
            />
          </label>
          <SessionFileButton
            label="Input list from session…"
            inputLabel="Session text for the input list"
            onFile={(f) => void readInputs(f)}
            problem={inputsProblem()}
          />
          <button class="button primary" onClick={() => window.print()}>
            Print…
          </button>
          <button class="button" onClick={() => props.onClose()}>
            Close
          </button>
          <p class="hint">Print, or choose “Save as PDF” in the print dialog.</p>
        </div>
        <article class="strip-sheet" style={{ '--scribble-chars': String(chars()) }}>
          <header class="strip-sheet-header">
            <h2>
              {props.documentName ? `${props.documentName} · ` : ''}
              {sheet().layout || '(unnamed layout)'}
            </h2>
            <p>
              <Show when={sheet().bankKeys.length} fallback="No bank key recalls this layout">
                Bank {sheet().bankKeys.join(', ')}
              </Show>
              {props.layout.surface ? ` · ${props.layout.surface}` : ''} · {printed}
            </p>
          </header>
          <For each={sheet().rows}>
            {(row) => (
              <div class="strip-sheet-row">
                <For each={row}>
                  {(cell) => (
                    <div
                      class="strip-sheet-cell"
                      classList={{ blank: !cell.name }}
                      data-colour={cell.colour?.value}
                      style={cell.colour ? { '--band': cell.colour.css, '--band-ink': cell.colour.ink } : undefined}
                    >
                      <span class="strip-sheet-band">{cell.colour?.name ?? ''}</span>
                      <span class="strip-sheet-slot">{cell.slot}</span>
                      <span class="strip-sheet-scribble">{cell.scribble || '—'}</span>
                      <span class="strip-sheet-name">{cell.name ?? ''}</span>
                    </div>
                  )}
                </For>
              </div>
            )}
          </For>
          <Show when={inputs()}>
            {(list) => (
              <section class="strip-sheet-inputs" aria-label="Input list">
                <h3>Input list · {list().session}</h3>
                <table>
                  <thead>
                    <tr>
                      <th scope="col">#</th>
                      <th scope="col">Track</th>
                      <th scope="col">Comments</th>
                      <th scope="col">State</th>
                    </tr>
                  </thead>
                  <tbody>
                    <For each={list().rows}>
                      {(row) => (
                        <tr>
                          <td>{row.number}</td>
                          <td>{row.name}</td>
                          <td>{row.comments}</td>
                          <td>{row.state}</td>
                        </tr>
                      )}
                    </For>
                  </tbody>
                </table>
              </section>
            )}
          </Show>
        </article>
      </div>
    </Portal>
  );
}

export function StripSheetButton(props: { cd: ConsoleDoc; layout: LayoutView; documentName: string }) {
  const [open, setOpen] = createSignal(false);
  return (
    <>
      <button class="button" onClick={() => setOpen(true)}>
        Strip sheet…
      </button>
      <Show when={open()}>
        <SheetPreview
          cd={props.cd}
          layout={props.layout}
          documentName={props.documentName}
          onClose={() => setOpen(false)}
        />
      </Show>
    </>
  );
}

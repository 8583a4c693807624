/**
 * The soft keys editor of an App Set: sections (tabs) -> banks -> a grid of keys laid out by
 * the bank's SIZE, a search by label, "Copy bank", and the inspector of the selected key.
 * Only the fields a person edits are written; everything else in a key stays as it was.
 */
import { createEffect, createMemo, createSignal, For, Show } from 'solid-js';
import { copyBank, findKeysByLabel, type AppSetBank } from '../../core/console/index.ts';
import { nodeExists, parentNode } from '../../core/xml/index.ts';
import { listSections, readSectionBanks } from './app-set-view.ts';
import { EditOnly } from '../shared/read-only.tsx';
import { keySelection, peersOn, type EditorContext } from './editor-context.ts';
import { KeyInspector } from './KeyInspector.tsx';
import { PeerMarks, peerStyle } from './PeerMarks.tsx';
import { swatchColour } from './swatch.ts';

/** Columns of a bank's grid: rows of 8, 6 or 5 keys when the size divides, else one row up to 8. */
function columnsFor(size: number): number {
  if (size <= 8) return Math.max(1, size);
  for (const c of [8, 6, 5, 4]) if (size % c === 0) return c;
  return 8;
}

export function SoftKeysEditor(props: { ctx: EditorContext }) {
  const { cd } = props.ctx;
  const doc = cd.doc;
  const sections = createMemo(() => {
    cd.tick();
    return listSections(doc);
  });
  const [sectionId, setSectionId] = createSignal<string | null>(null);
  const section = createMemo(() => sections().find((s) => s.id === sectionId()) ?? sections()[0] ?? null);
  const banks = createMemo(() => {
    cd.tick();
    const s = section();
    return s ? readSectionBanks(doc, s.id) : [];
  });
  const [query, setQuery] = createSignal('');
  const found = createMemo(() => {
    cd.tick();
    const q = query().trim();
    return q ? findKeysByLabel(doc, q) : [];
  });
  const selectedKey = createMemo(() => {
    cd.tick();
    const sel = props.ctx.selection();
    const id = sel?.startsWith('key:') ? sel.slice(4) : null;
    return id && nodeExists(doc, id) ? id : null;
  });
  // A key selected from the search or a warning brings its section forward.
  createEffect(() => {
    const key = selectedKey();
    if (!key) return;
    const bank = parentNode(doc, key);
    const owner = bank ? parentNode(doc, bank) : null;
    if (owner && owner !== section()?.id && sections().some((s) => s.id === owner)) setSectionId(owner);
  });

  const copy = (bank: AppSetBank) => {
    const s = section();
    if (s)
      cd.edit(() => {
        copyBank(doc, bank.id, s.id);
      });
  };

  return (
    <div class="console-softkeys">
      <div class="toolbar">
        <label class="field grow">
          <span class="label">Find a key by label</span>
          <input
            type="search"
            aria-label="Find a key by label"
            value={query()}
            onInput={(e) => setQuery(e.currentTarget.value)}
          />
        </label>
      </div>
      <Show when={query().trim()}>
        <ul class="console-found" aria-label="Keys found">
          <For each={found()} fallback={<li class="hint">No key has that label.</li>}>
            {(k) => (
              <li>
                <button class="button" onClick={() => props.ctx.select(keySelection(k.id))}>
                  {k.label}
                </button>
              </li>
            )}
          </For>
        </ul>
      </Show>
      <div class="console-tabs" role="tablist" aria-label="Sections">
        <For each={sections()}>
          {(s, i) => (
            <button class="button" role="tab" aria-selected={section()?.id === s.id} onClick={() => setSectionId(s.id)}>
              {s.sectionId ?? `Section ${i() + 1}`}
            </button>
          )}
        </For>
      </div>
      <div class="console-softkeys-body">
        <div class="console-banks">
          <For each={banks()} fallback={<p class="hint">This section has no banks.</p>}>
            {(bank, i) => {
              const size = () => Math.max(bank.size ?? 0, bank.keys.length);
              const cells = () => Array.from({ length: size() }, (_, n) => bank.keys[n] ?? null);
              return (
                <section class="console-bank" aria-label={`Bank ${bank.bankId ?? i() + 1}`}>
                  <header class="console-bank-header">
                    <h3>Bank {bank.bankId ?? i() + 1}</h3>
                    <span class="hint">
                      {bank.keys.length} key{bank.keys.length === 1 ? '' : 's'}
                      {bank.size !== null ? ` of ${bank.size}` : ''}
                    </span>
                    <EditOnly>
                      <button class="button" onClick={() => copy(bank)}>
                        Copy bank
                      </button>
                    </EditOnly>
                  </header>
                  <div class="console-key-grid" style={{ '--columns': String(columnsFor(size())) }}>
                    <For each={cells()}>
                      {(key, n) => {
                        if (!key)
                          return (
                            <div class="console-key empty" aria-hidden="true">
                              {n() + 1}
                            </div>
                          );
                        const peers = () => peersOn(props.ctx.peers(), keySelection(key.id));
                        return (
                          <button
                            class={`console-key${peers().length ? ' peer-selected' : ''}`}
                            data-key-id={key.id}
                            aria-pressed={selectedKey() === key.id}
                            style={peerStyle(peers())}
                            aria-label={`Key ${n() + 1}: ${key.label ?? '(no label)'}`}
                            onClick={() => props.ctx.select(keySelection(key.id))}
                          >
                            <span class="console-key-swatch" style={{ background: swatchColour(key.colour) }} />
                            <span class="console-key-label">{key.label ?? key.element}</span>
                            <Show when={key.command || key.steps.length}>
                              <span class="console-key-command">
                                {key.steps.length ? `${key.steps.length} steps` : key.command}
                              </span>
                            </Show>
                            <PeerMarks peers={peers()} />
                          </button>
                        );
                      }}
                    </For>
                  </div>
                </section>
              );
            }}
          </For>
        </div>
        <Show when={selectedKey()} fallback={<p class="hint console-inspector">Select a key to edit it.</p>}>
          {(key) => <KeyInspector ctx={props.ctx} keyId={key()} />}
        </Show>
      </div>
    </div>
  );
}

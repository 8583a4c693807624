/**
 * Named versions: save one (it syncs with the document), compare any two (or one with now),
 * and restore one as an ordinary undoable edit.
 */
import { createMemo, createSignal, For, Show } from 'solid-js';
import { describeLostIntent, recordedLostIntents } from '../../core/console/index.ts';
import { humanDiffBetween, restoreVersion, saveVersion, versionsOf, type SavedVersion } from './versions.ts';
import type { EditorContext } from './editor-context.ts';
import { TextAction } from './TextAction.tsx';
import { EditOnly } from '../shared/read-only.tsx';

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'short', timeStyle: 'medium' });
const NOW = 'now';

export function VersionsPanel(props: { ctx: EditorContext; author: () => string; onError: (e: unknown) => void }) {
  const { cd } = props.ctx;
  const doc = cd.doc;
  const versions = createMemo(() => {
    cd.tick();
    return versionsOf(doc).toArray();
  });
  const [from, setFrom] = createSignal<string>('0');
  const [to, setTo] = createSignal<string>(NOW);
  const merges = createMemo(() => {
    cd.tick();
    return recordedLostIntents(doc);
  });
  const [comparing, setComparing] = createSignal(false);
  const [restored, setRestored] = createSignal<string | null>(null);

  const pick = (key: string): SavedVersion | null => (key === NOW ? null : (versions()[Number(key)] ?? null));
  // Live: recomputed after every change, local or remote, including a Restore.
  const changes = createMemo<string[] | null>(() => {
    if (!comparing()) return null;
    cd.tick();
    try {
      return humanDiffBetween(doc, pick(from()), pick(to()));
    } catch (e) {
      props.onError(e);
      return null;
    }
  });
  const compare = (a: string, b: string) => {
    setFrom(a);
    setTo(b);
    setComparing(true);
  };
  const restore = (v: SavedVersion) => {
    if (cd.readOnly()) return;
    let undoing: string[] = [];
    try {
      undoing = humanDiffBetween(doc, null, v);
    } catch (e) {
      props.onError(e);
      return;
    }
    if (undoing.length === 0) {
      setRestored(`Nothing to restore: the document already matches "${v.name}".`);
      return;
    }
    const list = undoing.slice(0, 12).join('\n') + (undoing.length > 12 ? `\n…and ${undoing.length - 12} more` : '');
    if (!confirm(`Restore "${v.name}"? This changes:\n${list}`)) return;
    if (cd.edit(() => restoreVersion(doc, v)))
      setRestored(
        `Restored "${v.name}": ${undoing.length} change${undoing.length === 1 ? '' : 's'} (${undoing.slice(0, 3).join('; ')}${undoing.length > 3 ? '; …' : ''}).`,
      );
  };
  const save = (name: string) => {
    if (cd.readOnly()) return false;
    try {
      saveVersion(doc, name, props.author());
      return true;
    } catch (e) {
      props.onError(e);
      return false;
    }
  };

  return (
    <section class="card console-versions" aria-label="Versions">
      <h3>Versions</h3>
      <EditOnly>
        <TextAction label="Version name" action="Save version" allowEmpty onSubmit={save} />
      </EditOnly>
      <ul class="console-version-list">
        <For each={versions()} fallback={<li class="hint">No saved versions yet.</li>}>
          {(v, i) => (
            <li class="console-version" data-version={v.name}>
              <span>
                <strong>{v.name}</strong>{' '}
                <span class="hint">
                  {dateFormat.format(v.createdAt)} · {v.author}
                </span>
              </span>
              <span class="row-actions">
                <button class="button" onClick={() => compare(String(i()), NOW)}>
                  Compare with now
                </button>
                <EditOnly>
                  <button class="button" onClick={() => restore(v)}>
                    Restore
                  </button>
                </EditOnly>
              </span>
            </li>
          )}
        </For>
      </ul>
      <Show when={versions().length > 0}>
        <div class="console-inline-form">
          <select aria-label="Compare from" onChange={(e) => setFrom(e.currentTarget.value)}>
            <For each={versions()}>
              {(v, i) => (
                <option value={String(i())} selected={from() === String(i())}>
                  {v.name}
                </option>
              )}
            </For>
            <option value={NOW} selected={from() === NOW}>
              Now
            </option>
          </select>
          <span>→</span>
          <select aria-label="Compare to" onChange={(e) => setTo(e.currentTarget.value)}>
            <For each={versions()}>
              {(v, i) => (
                <option value={String(i())} selected={to() === String(i())}>
                  {v.name}
                </option>
              )}
            </For>
            <option value={NOW} selected={to() === NOW}>
              Now
            </option>
          </select>
          <button class="button" onClick={() => compare(from(), to())}>
            Show changes
          </button>
        </div>
      </Show>
      <Show when={restored()}>
        <p class="hint" role="status" aria-label="Restore result">
          {restored()}
        </p>
      </Show>
      <Show when={changes()}>
        {(list) => (
          <div class="console-diff" aria-label="Changes" role="region">
            <p class="hint">
              {list().length} change{list().length === 1 ? '' : 's'} from {from() === NOW ? 'now' : pick(from())?.name}{' '}
              to {to() === NOW ? 'now' : pick(to())?.name}
            </p>
            <ul>
              <For each={list()}>{(c) => <li class="console-change">{c}</li>}</For>
            </ul>
          </div>
        )}
      </Show>
      <Show when={merges().length > 0}>
        <h4>What merges decided</h4>
        <ul class="console-merge-history" aria-label="Merge history">
          <For each={merges()}>
            {(l) => (
              <li>
                {describeLostIntent(l)} <span class="hint">{l.t ? dateFormat.format(l.t) : ''}</span>
              </li>
            )}
          </For>
        </ul>
      </Show>
    </section>
  );
}

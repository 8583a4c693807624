/**
 * "Layouts from session": reads a Pro Tools session text export and adds layouts for its
 * tracks, in session order, sized to the document's room profile (surface and strips). The
 * engineer chooses whether hidden and inactive tracks are on the console; a session with more
 * tracks than strips becomes several layouts, optionally on bank keys A, B, C…, in one action
 * that is one undoable edit.
 */
import { createMemo, createSignal, For, Show } from 'solid-js';
import {
  addLayout,
  BANK_KEYS,
  describeRoomSurface,
  MAX_SURFACE_STRIPS,
  MODULE_STRIPS,
  readLayouts,
  setBankRecall,
  stripChoices,
  stripsForTracks,
  type RoomSurface,
} from '../../core/console/index.ts';
import { layoutsFromSession, sessionTracksFor, type Session } from '../../core/session/index.ts';
import type { ConsoleDoc } from './console-doc.ts';
import { readSessionFile } from './session-file.ts';
import { SessionFileButton } from './SessionFileButton.tsx';

/** A name not yet used by a layout of the document: "Name", else "Name (2)", "Name (3)"… */
function freeName(name: string, taken: Set<string>): string {
  const base = name || 'Session';
  let candidate = base;
  for (let n = 2; taken.has(candidate); n++) candidate = `${base} (${n})`;
  taken.add(candidate);
  return candidate;
}

function Check(props: { label: string; checked: boolean; onChange: (checked: boolean) => void }) {
  return (
    <label class="console-check">
      <input type="checkbox" checked={props.checked} onChange={(e) => props.onChange(e.currentTarget.checked)} />
      {props.label}
    </label>
  );
}

export function SessionToLayouts(props: {
  cd: ConsoleDoc;
  room: RoomSurface | null;
  onCreated: (firstLayoutId: string) => void;
}) {
  const [session, setSession] = createSignal<Session | null>(null);
  const [problem, setProblem] = createSignal<string | null>(null);
  const [includeHidden, setIncludeHidden] = createSignal(true);
  const [includeInactive, setIncludeInactive] = createSignal(true);
  const [banks, setBanks] = createSignal(true);
  const [strips, setStrips] = createSignal<number | null>(null);
  let input!: HTMLInputElement;

  const choices = () =>
    props.room
      ? stripChoices(props.room.surface)
      : Array.from({ length: MAX_SURFACE_STRIPS / MODULE_STRIPS }, (_, i) => (i + 1) * MODULE_STRIPS);
  const tracks = createMemo(() => {
    const s = session();
    return s ? sessionTracksFor(s, { includeHidden: includeHidden(), includeInactive: includeInactive() }) : [];
  });
  const size = () => strips() ?? props.room?.strips ?? stripsForTracks(tracks().length);
  const plan = createMemo(() => {
    const s = session();
    return s
      ? layoutsFromSession(s, {
          strips: size(),
          includeHidden: includeHidden(),
          includeInactive: includeInactive(),
          split: true,
        })
      : [];
  });

  const read = async (file: File | undefined) => {
    setProblem(null);
    setSession(null);
    if (!file) return;
    const got = await readSessionFile(file);
    if ('problem' in got) {
      setProblem(got.problem);
      return;
    }
    setStrips(null);
    setSession(got.session);
  };

  const create = () => {
    const layouts = plan();
    if (!layouts.length) return;
    const doc = props.cd.doc;
    let first = '';
    const ok = props.cd.edit(() => {
      const taken = new Set(readLayouts(doc).map((l) => l.name));
      layouts.forEach((l, i) => {
        const name = freeName(l.name, taken);
        const id = addLayout(doc, { name, ...(props.room ? { surface: props.room.surface } : {}), strips: l.strips });
        if (i === 0) first = id;
        const key = BANK_KEYS[i];
        if (banks() && layouts.length > 1 && key) setBankRecall(doc, key, name);
      });
    });
    if (ok) {
      setSession(null);
      input.value = '';
      props.onCreated(first);
    }
  };

  const count = (pred: (t: Session['tracks'][number]) => boolean) => session()?.tracks.filter(pred).length ?? 0;

  return (
    <section class="console-session-import" aria-label="Layouts from session">
      <SessionFileButton
        label="Layouts from session…"
        inputLabel="Pro Tools session text"
        ref={(el) => (input = el)}
        onFile={(f) => void read(f)}
        problem={problem()}
      />
      <Show when={session()}>
        {(s) => (
          <div class="card console-session-plan" role="group" aria-label="Session to layouts">
            <p>
              <strong>{s().header.sessionName}</strong>: {s().tracks.length} tracks
              {count((t) => t.state.hidden) ? `, ${count((t) => t.state.hidden)} hidden` : ''}
              {count((t) => t.state.inactive) ? `, ${count((t) => t.state.inactive)} inactive` : ''}.{' '}
              {props.room
                ? `Room profile: ${describeRoomSurface(props.room)}.`
                : 'No surface in the room profile: sized to the tracks.'}
            </p>
            <Check label="Include hidden tracks" checked={includeHidden()} onChange={setIncludeHidden} />
            <Check label="Include inactive tracks" checked={includeInactive()} onChange={setIncludeInactive} />
            <label class="field">
              <span class="label">Strips per layout</span>
              <select value={size()} onChange={(e) => setStrips(Number(e.currentTarget.value))}>
                <For each={choices().includes(size()) ? choices() : [size(), ...choices()]}>
                  {(n) => <option value={n}>{n}</option>}
                </For>
              </select>
            </label>
            <Show when={plan().length > 1}>
              <Check
                label={`Put the layouts on bank keys ${BANK_KEYS[0]}–${BANK_KEYS[Math.min(plan().length, BANK_KEYS.length) - 1]}`}
                checked={banks()}
                onChange={setBanks}
              />
            </Show>
            <p class="hint" role="status">
              {tracks().length} tracks on {plan().length} layout{plan().length === 1 ? '' : 's'} of {size()} strips:{' '}
              {plan()
                .map((l) => l.name)
                .join(', ')}
            </p>
            <div class="toolbar">
              <button class="button primary" onClick={create}>
                Create {plan().length === 1 ? 'layout' : `${plan().length} layouts`}
              </button>
              <button
                class="button"
                onClick={() => {
                  setSession(null);
                  input.value = '';
                }}
              >
                Cancel
              </button>
            </div>
          </div>
        )}
      </Show>
    </section>
  );
}

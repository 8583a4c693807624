/**
 * "Check against session": reads a newer session text of the same show and lists, for the
 * layout shown, which of its tracks the session no longer has, which session tracks are new and
 * which were renamed (core/session/session-diff.ts); "Apply changes" makes them one undoable
 * edit: renamed tracks keep their strip, removed ones go to the palette, new ones take free
 * strips (or the palette when none is free).
 */
import { createMemo, createSignal, For, Show } from 'solid-js';
import type { Editor } from '../../core/console/index.ts';
import {
  applySessionDiff,
  diffLayoutAgainstSession,
  layoutTracksForDiff,
  sessionNamesForLayout,
  type Session,
} from '../../core/session/index.ts';
import type { ConsoleDoc } from './console-doc.ts';
import { readSessionFile } from './session-file.ts';
import { SessionFileButton } from './SessionFileButton.tsx';

function Changes(props: { title: string; items: string[] }) {
  return (
    <section class="console-session-changes" aria-label={props.title}>
      <h4>
        {props.title} ({props.items.length})
      </h4>
      <Show when={props.items.length} fallback={<p class="hint">None.</p>}>
        <ul>
          <For each={props.items}>{(item) => <li>{item}</li>}</For>
        </ul>
      </Show>
    </section>
  );
}

export function CheckAgainstSession(props: { cd: ConsoleDoc; layout: string; ed: () => Editor }) {
  const [session, setSession] = createSignal<Session | null>(null);
  const [problem, setProblem] = createSignal<string | null>(null);
  const [done, setDone] = createSignal<string | null>(null);
  let input!: HTMLInputElement;

  // The check follows the document: a collaborator's edit while the lists are shown updates them.
  const check = createMemo(() => {
    props.cd.tick();
    const s = session();
    if (!s) return null;
    try {
      return {
        diff: diffLayoutAgainstSession(
          layoutTracksForDiff(props.cd.doc, props.layout),
          sessionNamesForLayout(
            props.cd.doc,
            props.layout,
            s.tracks.map((t) => t.name),
          ),
        ),
      };
    } catch (e) {
      // Over the track cap: said in words, nothing applied.
      return { problem: e instanceof Error ? e.message : String(e) };
    }
  });
  const diff = () => {
    const c = check();
    return c && 'diff' in c ? c.diff : null;
  };
  const checkProblem = () => {
    const c = check();
    return c && 'problem' in c ? c.problem : null;
  };
  const strip = (n: number | null) => (n === null ? 'palette' : `strip ${n}`);
  const close = () => {
    setSession(null);
    input.value = '';
  };

  const read = async (file: File | undefined) => {
    setProblem(null);
    setDone(null);
    setSession(null);
    if (!file) return;
    const got = await readSessionFile(file);
    if ('problem' in got) setProblem(got.problem);
    else setSession(got.session);
  };

  const apply = () => {
    const d = diff();
    if (!d) return;
    let placed = 0;
    let unassigned = 0;
    const ok = props.cd.edit(() => {
      const r = applySessionDiff(props.cd.doc, props.layout, d, props.ed());
      placed = r.placed.length;
      unassigned = r.unassigned.length;
    });
    if (!ok) return;
    setDone(
      `Applied: ${d.renamed.length} renamed, ${d.removed.length} to the palette, ${placed} new on free strips` +
        (unassigned ? `, ${unassigned} new in the palette (no free strip)` : '') +
        '.',
    );
    close();
  };

  return (
    <section class="console-session-import" aria-label="Check against session">
      <SessionFileButton
        label="Check against session…"
        inputLabel="Newer session text"
        ref={(el) => (input = el)}
        onFile={(f) => void read(f)}
        problem={problem() ?? checkProblem()}
      />
      <Show when={done()}>
        <p class="hint" role="status">
          {done()}
        </p>
      </Show>
      <Show when={session() && diff()}>
        {(d) => (
          <div class="card console-session-plan" role="group" aria-label="Layout against session">
            <p>
              This layout against <strong>{session()?.header.sessionName}</strong> ({session()?.tracks.length} tracks).
            </p>
            <Changes title="No longer in the session" items={d().removed.map((t) => `${t.name} (${strip(t.strip)})`)} />
            <Changes title="New in the session" items={d().added.map((t) => t.name)} />
            <Changes title="Renamed" items={d().renamed.map((r) => `${r.from} → ${r.to} (${strip(r.strip)})`)} />
            <div class="toolbar">
              <button
                class="button primary"
                disabled={!d().removed.length && !d().added.length && !d().renamed.length}
                onClick={apply}
              >
                Apply changes
              </button>
              <button class="button" onClick={close}>
                Cancel
              </button>
            </div>
          </div>
        )}
      </Show>
    </section>
  );
}

/**
 * Tells the people editing a layout when a merge did not do what one of them meant (a track
 * went back to its strip or the palette because someone else took the strip, a name or a move
 * lost to another). Every device derives the same list from the document (layout-resolve.ts);
 * each person dismisses it on their own device. The full list stays in the versions panel.
 *
 * It floats at the bottom of the window (Floating.tsx) rather than above the layout: a notice
 * arriving while someone clicks must not push the strips down under the pointer (WebKit has no
 * scroll anchoring to hold them), and it is seen wherever the page is scrolled to.
 */
import { createMemo, createSignal, For, Show } from 'solid-js';
import { describeLostIntent, recordedLostIntents } from '../../core/console/index.ts';
import type { ConsoleDoc } from './console-doc.ts';
import { Floating } from '../shared/Floating.tsx';

const seenKey = (guid: string) => `mixdesk.merge-seen.${guid}`;

function readSeen(guid: string): Set<string> {
  try {
    return new Set(JSON.parse(localStorage.getItem(seenKey(guid)) ?? '[]') as string[]);
  } catch {
    return new Set();
  }
}

export function MergeNotices(props: { cd: ConsoleDoc }) {
  const doc = props.cd.doc;
  const [seen, setSeen] = createSignal(readSeen(doc.guid));
  const unseen = createMemo(() => {
    props.cd.tick();
    return recordedLostIntents(doc).filter((l) => !seen().has(l.id));
  });
  const dismiss = () => {
    const next = new Set([...seen(), ...unseen().map((l) => l.id)]);
    setSeen(next);
    try {
      localStorage.setItem(seenKey(doc.guid), JSON.stringify([...next]));
    } catch {
      /* private mode: dismissed for this visit */
    }
  };
  return (
    <Show when={unseen().length > 0}>
      <Floating>
        <div class="console-merge-notice card" role="status" aria-label="Merge notice">
          <strong>Edits made at the same time did not all fit:</strong>
          <ul>
            <For each={unseen()}>{(l) => <li class="console-merge-item">{describeLostIntent(l)}</li>}</For>
          </ul>
          <button class="button" onClick={dismiss}>
            Got it
          </button>
        </div>
      </Floating>
    </Show>
  );
}

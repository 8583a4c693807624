/** Validation warnings (core/console/validate.ts); a click selects the element. They never block export. */
import { createMemo, For, Show } from 'solid-js';
import { validateDocument, type ValidationWarning } from '../../core/console/index.ts';
import type { EditorContext } from './editor-context.ts';

export function WarningsList(props: { ctx: EditorContext; onPick: (w: ValidationWarning) => void }) {
  const warnings = createMemo(() => {
    props.ctx.cd.tick();
    try {
      return validateDocument(props.ctx.cd.doc);
    } catch {
      return [];
    }
  });
  return (
    <Show when={warnings().length}>
      <section class="card console-warnings" aria-label="Warnings">
        <h3>
          {warnings().length} warning{warnings().length === 1 ? '' : 's'}
        </h3>
        <ul>
          <For each={warnings()}>
            {(w) => (
              <li>
                <button class="console-warning" data-rule={w.rule} onClick={() => props.onPick(w)}>
                  {w.message}
                </button>
              </li>
            )}
          </For>
        </ul>
      </section>
    </Show>
  );
}

/**
 * Editing one soft key: label, colour, icon, command, and macro steps (add, remove, reorder,
 * edit a step's command). Each field is written where the file keeps it (attribute or child
 * element, core/console/fields.ts); a field the key lacks is added only when given a value.
 */
import { createMemo, For, Show } from 'solid-js';
import {
  addMacroStep,
  editField,
  fieldConflicts,
  moveMacroStep,
  readField,
  readKey,
  removeMacroStep,
  type KeyField,
} from '../../core/console/index.ts';
import { bindFieldValue } from '../shared/bind-field-value.ts';
import { attributes, nodeName, nodePath, type NodeId } from '../../core/xml/index.ts';
import type { EditorContext } from './editor-context.ts';
import { EditOnly } from '../shared/read-only.tsx';
import { TextAction } from './TextAction.tsx';

/** Drag data of a macro step being reordered (its node id). */
const STEP_TYPE = 'application/x-mixdesk-macro-step';

const FIELDS: Array<{ field: KeyField; label: string }> = [
  { field: 'label', label: 'Label' },
  { field: 'colour', label: 'Colour' },
  { field: 'icon', label: 'Icon' },
  { field: 'command', label: 'Command' },
];

export function KeyInspector(props: { ctx: EditorContext; keyId: string }) {
  const { cd } = props.ctx;
  const doc = cd.doc;
  const key = createMemo(() => {
    cd.tick();
    return readKey(doc, props.keyId);
  });
  const steps = createMemo(() => {
    cd.tick();
    return key().steps.map((id) => ({
      id,
      command: readField(doc, id, 'command'),
      summary: `${nodeName(doc, id)} ${attributes(doc, id)
        .map((a) => `${a.name}="${a.value}"`)
        .join(' ')}`.trim(),
    }));
  });
  const ed = () => ({ who: props.ctx.author(), now: Date.now() });
  const conflicts = createMemo(() => {
    cd.tick();
    return fieldConflicts(doc, props.keyId);
  });
  // The value each field showed when this person began typing: what their edit started from,
  // so a collaborator's change made meanwhile merges with it instead of being overwritten.
  const startedFrom = new Map<KeyField, string>();
  const write = (field: KeyField, input: HTMLInputElement) => {
    const value = input.value;
    const was = startedFrom.get(field) ?? key()[field] ?? '';
    startedFrom.delete(field);
    if (was === value && (key()[field] ?? '') === value) return;
    cd.edit(() => editField(doc, props.keyId, field, value, ed(), was));
    input.value = readField(doc, props.keyId, field) ?? '';
  };
  /** Moves a step to `index` (its place once moved) and keeps the keyboard on its handle. */
  const moveStep = (stepId: NodeId, index: number) => {
    cd.edit(() => moveMacroStep(doc, props.keyId, stepId, index));
    document.querySelector<HTMLElement>(`[data-step-id="${stepId}"] .console-step-handle`)?.focus();
  };
  const addStep = (command: string) =>
    cd.edit(() => {
      const step = addMacroStep(doc, props.keyId, steps().length, []);
      editField(doc, step, 'command', command, ed());
    });

  return (
    <section class="card console-inspector" aria-label="Key">
      <h3>Edit key</h3>
      <p class="hint console-path">{nodePath(doc, props.keyId)}</p>
      <For each={FIELDS}>
        {({ field, label }) => (
          <label class="field">
            <span class="label">{label}</span>
            <input
              aria-label={`Key ${label.toLowerCase()}`}
              readOnly={cd.readOnly()}
              ref={(el) => bindFieldValue(el, () => key()[field] ?? '')}
              placeholder={key()[field] === null ? '(not set)' : ''}
              onInput={() => {
                if (!startedFrom.has(field)) startedFrom.set(field, key()[field] ?? '');
              }}
              onChange={(e) => write(field, e.currentTarget)}
              onKeyDown={(e) => {
                if (e.key === 'Enter') write(field, e.currentTarget);
              }}
            />
          </label>
        )}
      </For>
      <For each={conflicts()}>
        {(c) => (
          <p class="console-field-conflict" role="status" aria-label="Field conflict">
            {c.field === 'colour' ? 'Colour' : 'Command'}: {c.kept.who} chose "{c.kept.value}" while {c.lost.who} chose
            "{c.lost.value}"; "{c.kept.value}" is kept.{' '}
            <EditOnly>
              <button
                class="button"
                onClick={() => cd.edit(() => editField(doc, c.element, c.field, c.lost.value, ed()))}
              >
                Use "{c.lost.value}"
              </button>
            </EditOnly>
          </p>
        )}
      </For>
      <h4>Macro steps</h4>
      <ol class="console-steps">
        <For each={steps()} fallback={<li class="hint console-no-steps">No macro steps.</li>}>
          {(step, i) => (
            <li
              class="console-step"
              data-step-id={step.id}
              onDragOver={(e) => {
                if (cd.readOnly() || !e.dataTransfer?.types.includes(STEP_TYPE)) return;
                e.preventDefault();
                e.dataTransfer.dropEffect = 'move';
              }}
              onDrop={(e) => {
                const moved = e.dataTransfer?.getData(STEP_TYPE);
                if (!moved || cd.readOnly()) return;
                e.preventDefault();
                if (moved !== step.id) moveStep(moved, i());
              }}
            >
              <EditOnly>
                <button
                  class="button icon console-step-handle"
                  aria-label={`Reorder step ${i() + 1}`}
                  title="Drag onto another step, or press ↑ or ↓"
                  draggable={true}
                  onDragStart={(e) => {
                    e.dataTransfer!.setData(STEP_TYPE, step.id);
                    e.dataTransfer!.effectAllowed = 'move';
                  }}
                  onKeyDown={(e) => {
                    const to = e.key === 'ArrowUp' ? i() - 1 : e.key === 'ArrowDown' ? i() + 1 : null;
                    if (to === null) return;
                    e.preventDefault();
                    if (to >= 0 && to < steps().length) moveStep(step.id, to);
                  }}
                >
                  ⋮⋮
                </button>
              </EditOnly>
              <Show when={step.command !== null} fallback={<code class="console-step-raw">{step.summary}</code>}>
                <input
                  aria-label={`Step ${i() + 1} command`}
                  readOnly={cd.readOnly()}
                  value={step.command ?? ''}
                  onChange={(e) => {
                    const v = e.currentTarget.value;
                    cd.edit(() => editField(doc, step.id, 'command', v, ed()));
                  }}
                />
              </Show>
              <EditOnly>
                <button
                  class="button icon"
                  aria-label={`Move step ${i() + 1} up`}
                  disabled={i() === 0}
                  onClick={() => cd.edit(() => moveMacroStep(doc, props.keyId, step.id, i() - 1))}
                >
                  ↑
                </button>
                <button
                  class="button icon"
                  aria-label={`Move step ${i() + 1} down`}
                  disabled={i() === steps().length - 1}
                  onClick={() => cd.edit(() => moveMacroStep(doc, props.keyId, step.id, i() + 1))}
                >
                  ↓
                </button>
                <button
                  class="button icon danger"
                  aria-label={`Remove step ${i() + 1}`}
                  onClick={() => cd.edit(() => removeMacroStep(doc, step.id))}
                >
                  ×
                </button>
              </EditOnly>
            </li>
          )}
        </For>
      </ol>
      <EditOnly>
        <TextAction label="New step command" placeholder="Command of a new step" action="Add step" onSubmit={addStep} />
      </EditOnly>
    </section>
  );
}

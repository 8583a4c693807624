/** The S3 bank-recall table: each bank key (A-F, Shift+A-F) recalls a layout by name, or nothing. */
import { createMemo, For } from 'solid-js';
import { BANK_KEYS, readBankRecall, setBankRecall, type LayoutView } from '../../core/console/index.ts';
import type { ConsoleDoc } from './console-doc.ts';

export function BankRecallTable(props: { cd: ConsoleDoc; layouts: LayoutView[] }) {
  const recall = createMemo(() => {
    props.cd.tick();
    return readBankRecall(props.cd.doc);
  });
  return (
    <section class="console-recall" aria-label="Bank recall">
      <h3>S3 bank recall</h3>
      <div class="console-recall-grid">
        <For each={BANK_KEYS}>
          {(key) => (
            <label class="field">
              <span class="label">{key}</span>
              <select
                aria-label={`Bank key ${key}`}
                disabled={props.cd.readOnly()}
                onChange={(e) => {
                  const v = e.currentTarget.value;
                  props.cd.edit(() => setBankRecall(props.cd.doc, key, v || null));
                }}
              >
                <option value="" selected={recall()[key] === undefined}>
                  (none)
                </option>
                <For each={props.layouts}>
                  {(l) => (
                    <option value={l.name} selected={recall()[key] === l.name}>
                      {l.name}
                    </option>
                  )}
                </For>
              </select>
            </label>
          )}
        </For>
      </div>
    </section>
  );
}

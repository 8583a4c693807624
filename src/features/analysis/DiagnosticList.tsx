/** The diagnostics, most serious first: what is wrong, the evidence, the fix and the reference; each time plays from there. */
import { For, Show } from 'solid-js';
import type { Diagnostic } from '../../core/diagnostics/diagnostic.ts';

const fmt = (v: number | null, unit: string) =>
  v === null
    ? 'n/a'
    : `${Number.isInteger(v) ? v.toLocaleString('en') : v.toFixed(unit === 'ratio' || unit === 'linear' ? 3 : 1)}${unit === 'count' || unit === 'ratio' || unit === 'linear' ? '' : ` ${unit}`}`;

export function DiagnosticList(props: { diagnostics: Diagnostic[]; onSeek: (t: number) => void }) {
  return (
    <section class="card diagnostics" aria-labelledby="diagnostics-title">
      <h2 id="diagnostics-title">Diagnostics</h2>
      <Show when={props.diagnostics.length > 0} fallback={<p class="hint">Nothing to report for this target.</p>}>
        <ol class="diagnostic-list">
          <For each={props.diagnostics}>
            {(d) => (
              <li class={`diagnostic severity-${d.severity}`} data-diagnostic={d.id} data-severity={d.severity}>
                <div class="diagnostic-head">
                  <span class="severity">{d.severity}</span> <strong>{d.title}</strong>
                </div>
                <p class="diagnostic-message">{d.message}</p>
                <Show when={d.at.length > 0}>
                  <p class="diagnostic-times">
                    At{' '}
                    <For each={d.at.slice(0, 8)}>
                      {(t) => (
                        <button
                          type="button"
                          class="time-link"
                          data-seek={t}
                          onClick={() => props.onSeek(t)}
                          aria-label={`Jump to ${t.toFixed(2)} s (${d.title})`}
                        >
                          {t.toFixed(2)} s
                        </button>
                      )}
                    </For>
                    <Show when={d.at.length > 8}> …</Show>
                  </p>
                </Show>
                <details class="diagnostic-more">
                  <summary>Evidence, fix and reference</summary>
                  <ul class="evidence">
                    <For each={d.evidence}>
                      {(e) => (
                        <li>
                          {e.label}: <span class="value">{fmt(e.value, e.unit)}</span>
                        </li>
                      )}
                    </For>
                  </ul>
                  <p>
                    <strong>Fix:</strong> {d.fix}
                  </p>
                  <p class="hint">Reference: {d.reference}</p>
                </details>
              </li>
            )}
          </For>
        </ol>
      </Show>
    </section>
  );
}

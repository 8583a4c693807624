/**
 * The answer first: the six figures an engineer reads before anything else, the delivery
 * target with its verdict and score, and (for a streaming platform) what its normalisation
 * will do. Fits the first screen of a 768x1024 tablet.
 */
import { For, Show, type JSX } from 'solid-js';
import { DELIVERY_TARGETS } from '../../core/diagnostics/delivery-targets.ts';
import type { Diagnosis } from '../../core/diagnostics/diagnose.ts';
import type { AnalysisResult, Figure } from '../../core/dsp/result-schema.ts';
import { formatValue } from './figure-groups.ts';

interface Cell {
  id: string;
  label: string;
  figure: Figure<number | null>;
  at?: number | null;
}

export function SummaryStrip(props: {
  result: AnalysisResult;
  diagnosis: Diagnosis;
  onTarget: (id: string) => void;
  onSeek: (t: number) => void;
  /** Under the normalisation preview, given the platform id (a report's codec check). */
  previewExtra?: (platformId: string) => JSX.Element;
}) {
  const r = () => props.result;
  const cells = (): Cell[] => [
    { id: 'integrated', label: 'Integrated', figure: r().loudness.integrated },
    { id: 'true-peak', label: 'True peak', figure: r().peaks.truePeak, at: r().peaks.truePeakAt.value },
    { id: 'lra', label: 'LRA', figure: r().loudness.range },
    {
      id: 'momentary-max',
      label: 'Max momentary',
      figure: r().loudness.momentaryMax,
      at: r().loudness.momentaryMaxAt.value,
    },
    {
      id: 'short-term-max',
      label: 'Max short-term',
      figure: r().loudness.shortTermMax,
      at: r().loudness.shortTermMaxAt.value,
    },
    { id: 'plr', label: 'PLR', figure: r().dynamics.plr },
  ];
  const d = () => props.diagnosis;
  return (
    <section class="card summary-strip" aria-label="Summary">
      <dl class="summary-figures">
        <For each={cells()}>
          {(c) => (
            <div class="summary-cell" data-summary={c.id}>
              <dt>{c.label}</dt>
              {/* elementtiming: when the answer was painted (bench:analysis reads it; Element Timing API). */}
              <dd {...(c.id === 'integrated' ? { elementtiming: 'summary-integrated' } : {})}>
                <span class="value">{formatValue(c.figure)}</span> <span class="unit">{c.figure.unit}</span>
              </dd>
              <Show when={c.at !== undefined && c.at !== null}>
                <button
                  type="button"
                  class="time-link"
                  onClick={() => props.onSeek(c.at!)}
                  aria-label={`Jump to ${c.at!.toFixed(1)} s (${c.label})`}
                >
                  at {c.at!.toFixed(1)} s
                </button>
              </Show>
            </div>
          )}
        </For>
      </dl>
      <div class="summary-target">
        <label class="field">
          <span class="label">Target</span>
          <select aria-label="Target" value={d().targetId} onChange={(e) => props.onTarget(e.currentTarget.value)}>
            <optgroup label="Streaming (normalisation preview)">
              <For each={DELIVERY_TARGETS.filter((t) => t.kind === 'streaming')}>
                {(t) => <option value={t.id}>{t.name}</option>}
              </For>
            </optgroup>
            <optgroup label="Broadcast (pass/fail)">
              <For each={DELIVERY_TARGETS.filter((t) => t.kind === 'broadcast')}>
                {(t) => <option value={t.id}>{t.name}</option>}
              </For>
            </optgroup>
          </select>
        </label>
        <span class={`verdict verdict-${d().verdict}`} data-verdict={d().verdict} role="status">
          {d().verdictText}
        </span>
        <span class="score" data-score={d().score} title={d().scoreExplanation}>
          <strong>{d().score}</strong>
          <span class="unit">/100</span>
        </span>
      </div>
      <p class="hint score-explanation">Score {d().scoreExplanation}.</p>
      <Show when={d().preview}>
        {(p) => (
          <>
            <p class="preview" data-check="loudness">
              {p().sentence}
            </p>
            {props.previewExtra?.(d().targetId)}
          </>
        )}
      </Show>
    </section>
  );
}

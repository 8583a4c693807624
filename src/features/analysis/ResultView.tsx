/**
 * An analysis result, answer first: the summary strip with the target's verdict and score,
 * the diagnostics (each time plays from there), exports, then the plots, then every number
 * with its unit and definition, grouped (loudness, true peak, dynamics, spectrum, stereo,
 * file, channels). Used by the analyze page and by a saved report's editor.
 */
import { createMemo, createSignal, For, onCleanup, Show, type JSX } from 'solid-js';
import { afterFirstPaint } from '../shared/after-first-paint.ts';
import { DEFAULT_TARGET_ID, findTarget, targetLufs } from '../../core/diagnostics/delivery-targets.ts';
import { diagnose, type Diagnosis } from '../../core/diagnostics/diagnose.ts';
import { sourceFactsFrom } from '../../core/diagnostics/diagnostic.ts';
import type { AnalysisResult } from '../../core/dsp/result-schema.ts';
import type { StreamSummary } from '../../core/analysis/worker-contract.ts';
import { DiagnosticList } from './DiagnosticList.tsx';
import { ExportBar } from './ExportBar.tsx';
import { CHANNEL_COLUMNS, figureGroups, formatValue, unitSymbol } from './figure-groups.ts';
import { StereoBandsTable } from './StereoBandsTable.tsx';
import { readStereoBands } from '../../core/dsp/stereo-bands.ts';
import type { TimeRegion } from './plots.tsx';
import { ResultPlots } from './ResultPlots.tsx';
import { SummaryStrip } from './SummaryStrip.tsx';

/** Times as buttons that play from there (the first 50 of up to 1000 kept). */
function Positions(props: { title: string; times: number[]; count?: number; onSeek: (t: number) => void }) {
  const count = () => props.count ?? props.times.length;
  return (
    <Show when={props.times.length > 0}>
      <details class="positions">
        <summary>
          {props.title} ({count().toLocaleString('en')}
          {props.count === undefined && props.times.length >= 1000 ? '+' : ''})
        </summary>
        <p>
          <For each={props.times.slice(0, 50)}>
            {(t) => (
              <button type="button" class="time-link" onClick={() => props.onSeek(t)}>
                {t.toFixed(2)} s
              </button>
            )}
          </For>
          {props.times.length > 50 ? ' …' : ''}
        </p>
      </details>
    </Show>
  );
}

export interface ResultViewProps {
  name: string;
  stream: StreamSummary;
  result: AnalysisResult;
  analysedAt?: number;
  /** The target chosen (a report stores it); unknown ids fall back to the default. */
  targetId?: string;
  onTargetChange?: (id: string) => void;
  /** Called with the time in seconds when a diagnostic, a time or a plot is clicked. */
  onSeek?: (seconds: number) => void;
  /** The playhead in seconds while audio plays (null: none). */
  playhead?: number | null;
  /** The loop region, shaded on the time plots; `onRegion` is called with a span dragged over one. */
  region?: TimeRegion | null;
  onRegion?: (region: TimeRegion) => void;
  /** The audition transport, shown between the diagnostics and the plots. */
  transport?: JSX.Element;
  /** Shown under a streaming platform's normalisation preview (a report's codec check), given the platform id. */
  previewExtra?: (platformId: string) => JSX.Element;
}

export function ResultView(props: ResultViewProps) {
  const r = () => props.result;
  const [chosen, setChosen] = createSignal<string | null>(null);
  const [picked, setPicked] = createSignal<number | null>(null);
  const target = () => findTarget(chosen() ?? props.targetId ?? DEFAULT_TARGET_ID) ?? findTarget(DEFAULT_TARGET_ID)!;
  const diagnosis = createMemo<Diagnosis>(() => diagnose(r(), target(), sourceFactsFrom(props.stream.encoding)));
  const chooseTarget = (id: string) => {
    setChosen(id);
    props.onTargetChange?.(id);
  };
  const seek = (t: number) => {
    setPicked(t);
    props.onSeek?.(t);
  };
  const marker = () => props.playhead ?? picked();
  // The plots and the detail tables (a tenth of a second of rendering for a 4-minute mix)
  // follow one frame after the summary, verdict and diagnostics: the answer is painted first.
  const [detailsShown, setDetailsShown] = createSignal(false);
  onCleanup(afterFirstPaint(() => setDetailsShown(true)));
  return (
    <div class="analysis-result" aria-label={`Analysis of ${props.name}`} data-marker={marker()?.toFixed(2) ?? ''}>
      <SummaryStrip
        result={r()}
        diagnosis={diagnosis()}
        onTarget={chooseTarget}
        onSeek={seek}
        {...(props.previewExtra ? { previewExtra: props.previewExtra } : {})}
      />
      <p class="hint stream-facts">
        {props.name} · {props.stream.encoding} · {props.stream.sampleRate} Hz · {props.stream.channels} ch ·{' '}
        {r().file.duration.value.toFixed(2)} s · decoded by the {props.stream.decodedBy}
      </p>
      <DiagnosticList diagnostics={diagnosis().diagnostics} onSeek={seek} />
      <ExportBar
        input={() => ({
          name: props.name,
          stream: props.stream,
          result: r(),
          diagnosis: diagnosis(),
          analysedAt: props.analysedAt ?? Date.now(),
        })}
      />
      {props.transport}
      <Show when={r().warnings.length > 0}>
        <ul class="analysis-warnings" aria-label="Warnings">
          <For each={r().warnings}>{(w) => <li>{w}</li>}</For>
        </ul>
      </Show>
      <Show when={detailsShown()}>
        <ResultPlots
          result={r()}
          targetLufs={targetLufs(target())}
          targetName={target().name}
          marker={marker()}
          onSeek={seek}
          region={props.region ?? null}
          {...(props.onRegion ? { onRegion: props.onRegion } : {})}
        />
        <div class="figure-groups">
          <For each={figureGroups(r())}>
            {(group) => (
              <section class={`card figure-group group-${group.id}`} aria-labelledby={`group-${group.id}`}>
                <h2 id={`group-${group.id}`}>{group.title}</h2>
                <dl class="figures">
                  <For each={group.rows}>
                    {(row) => (
                      <div class="figure-row">
                        <dt>{row.label}</dt>
                        <dd data-figure={row.id}>
                          <span class="value">{formatValue(row.figure)}</span>
                          <Show when={unitSymbol(row.figure.unit)}>
                            {(u) => (
                              <>
                                {' '}
                                <span class="unit">{u()}</span>
                              </>
                            )}
                          </Show>
                        </dd>
                        <dd class="definition">{row.figure.definition}</dd>
                      </div>
                    )}
                  </For>
                </dl>
                <Show when={group.note}>
                  <p class="hint">{group.note}</p>
                </Show>
                <Show when={group.id === 'stereo' && readStereoBands(r())}>
                  {(bands) => <StereoBandsTable bands={bands()} />}
                </Show>
                <Show when={group.id === 'peaks'}>
                  <Positions
                    title="Overs above -1 dBTP at"
                    times={r().peaks.oversAboveMinus1.positions.value}
                    count={r().peaks.oversAboveMinus1.count.value}
                    onSeek={seek}
                  />
                  <Positions
                    title="Overs above 0 dBTP at"
                    times={r().peaks.oversAbove0.positions.value}
                    count={r().peaks.oversAbove0.count.value}
                    onSeek={seek}
                  />
                </Show>
              </section>
            )}
          </For>
        </div>
        <section class="card channels-card" aria-labelledby="channels-title">
          <h2 id="channels-title">Channels</h2>
          <div class="table-scroll">
            <table class="channel-table">
              <thead>
                <tr>
                  <th scope="col">Channel</th>
                  <For each={CHANNEL_COLUMNS}>
                    {([key, label]) => (
                      <th scope="col" title={r().channels[0]?.[key].definition}>
                        {label}
                        {unitSymbol(r().channels[0]?.[key].unit ?? 'linear')
                          ? ` (${unitSymbol(r().channels[0]![key].unit)})`
                          : ''}
                      </th>
                    )}
                  </For>
                </tr>
              </thead>
              <tbody>
                <For each={r().channels}>
                  {(ch) => (
                    <tr>
                      <th scope="row">{ch.label}</th>
                      <For each={CHANNEL_COLUMNS}>
                        {([key]) => <td data-channel-figure={`${ch.label}.${key}`}>{formatValue(ch[key])}</td>}
                      </For>
                    </tr>
                  )}
                </For>
              </tbody>
            </table>
          </div>
          <For each={r().channels}>
            {(ch) => (
              <Positions
                title={`${ch.label}: clipping runs at`}
                times={ch.clipPositions.value.map((c) => c.startSeconds)}
                count={ch.clipRuns.value}
                onSeek={seek}
              />
            )}
          </For>
        </section>
        <details class="card conventions">
          <summary>Conventions</summary>
          <dl class="facts">
            <For each={Object.entries(r().conventions)}>
              {([k, v]) => (
                <>
                  <dt>{k}</dt>
                  <dd>{v}</dd>
                </>
              )}
            </For>
          </dl>
        </details>
      </Show>
    </div>
  );
}

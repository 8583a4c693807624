/**
 * Every number of an analysis result with its unit and definition, grouped (loudness, true
 * peak, dynamics, spectrum, stereo, file, channels), with plots and the target check. Used by
 * the analyze page and by a saved report's editor.
 */
import { For, Show } from 'solid-js';
import type { AnalysisResult } from '../../core/dsp/result-schema.ts';
import type { StreamSummary } from '../../core/analysis/worker-contract.ts';
import { CHANNEL_COLUMNS, figureGroups, formatValue } from './figure-groups.ts';
import { ResultPlots } from './ResultPlots.tsx';
import { TargetCheck } from './TargetCheck.tsx';

function Positions(props: { title: string; times: number[] }) {
  return (
    <Show when={props.times.length > 0}>
      <details class="positions"><summary>{props.title} ({props.times.length}{props.times.length >= 1000 ? '+' : ''})</summary>
        <p>{props.times.slice(0, 50).map((t) => `${t.toFixed(3)} s`).join(', ')}{props.times.length > 50 ? ' …' : ''}</p>
      </details>
    </Show>
  );
}

export function ResultView(props: { name: string; stream: StreamSummary; result: AnalysisResult }) {
  const r = () => props.result;
  return (
    <div class="analysis-result" aria-label={`Analysis of ${props.name}`}>
      <p class="hint stream-facts">{props.name} · {props.stream.encoding} · {props.stream.sampleRate} Hz · {props.stream.channels} ch · {r().file.duration.value.toFixed(2)} s · decoded by the {props.stream.decodedBy}</p>
      <Show when={r().warnings.length > 0}>
        <ul class="analysis-warnings" aria-label="Warnings"><For each={r().warnings}>{(w) => <li>{w}</li>}</For></ul>
      </Show>
      <TargetCheck result={r()} />
      <ResultPlots result={r()} />
      <div class="figure-groups">
        <For each={figureGroups(r())}>{(group) => (
          <section class="card figure-group" aria-labelledby={`group-${group.id}`}>
            <h2 id={`group-${group.id}`}>{group.title}</h2>
            <dl class="figures">
              <For each={group.rows}>{(row) => (
                <div class="figure-row">
                  <dt>{row.label}</dt>
                  <dd data-figure={row.id}><span class="value">{formatValue(row.figure)}</span> <span class="unit">{row.figure.unit}</span></dd>
                  <dd class="definition">{row.figure.definition}</dd>
                </div>
              )}</For>
            </dl>
            <Show when={group.note}><p class="hint">{group.note}</p></Show>
            <Show when={group.id === 'peaks'}>
              <Positions title="Overs above -1 dBTP at" times={r().peaks.oversAboveMinus1.positions.value} />
              <Positions title="Overs above 0 dBTP at" times={r().peaks.oversAbove0.positions.value} />
            </Show>
          </section>
        )}</For>
      </div>
      <section class="card" aria-labelledby="channels-title">
        <h2 id="channels-title">Channels</h2>
        <div class="table-scroll">
          <table class="channel-table">
            <thead><tr><th scope="col">Channel</th><For each={CHANNEL_COLUMNS}>{([key, label]) => <th scope="col" title={r().channels[0]?.[key].definition}>{label} ({r().channels[0]?.[key].unit})</th>}</For></tr></thead>
            <tbody>
              <For each={r().channels}>{(ch) => (
                <tr><th scope="row">{ch.label}</th><For each={CHANNEL_COLUMNS}>{([key]) => <td data-channel-figure={`${ch.label}.${key}`}>{formatValue(ch[key])}</td>}</For></tr>
              )}</For>
            </tbody>
          </table>
        </div>
        <For each={r().channels}>{(ch) => <Positions title={`${ch.label}: clipping runs at`} times={ch.clipPositions.value.map((c) => c.startSeconds)} />}</For>
      </section>
      <details class="card conventions"><summary>Conventions</summary>
        <dl class="facts"><For each={Object.entries(r().conventions)}>{([k, v]) => <><dt>{k}</dt><dd>{v}</dd></>}</For></dl>
      </details>
    </div>
  );
}

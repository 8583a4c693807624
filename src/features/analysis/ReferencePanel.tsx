/**
 * Reference compare in a saved report: "Add reference…" measures a track with the same analysis
 * as the mix (in the analysis worker, on this device) and keeps its figures and file name in the
 * report (reference-doc.ts), never its audio. Shown: every summary figure beside the mix's with
 * its difference and the level-match gain (core/dsp/compare.ts, as `mixdesk compare`), the
 * overlays (ReferencePlots) and the level-matched A/B (AbPanel).
 */
import { createMemo, createSignal, For, onCleanup, Show } from 'solid-js';
import type * as Y from 'yjs';
import type { StreamSummary } from '../../core/analysis/worker-contract.ts';
import { compareResults, MAX_REFERENCES, playbackGains } from '../../core/dsp/compare.ts';
import type { AnalysisResult } from '../../core/dsp/result-schema.ts';
import { makeAnalysisClient, type AnalysisClient, type AnalysisRun } from '../../platform/analysis/analysis-client.ts';
import { AbPanel, type AbTrackInfo } from './AbPanel.tsx';
import { CompareTable } from './CompareTable.tsx';
import { AUDIO_ACCEPT } from './FileDrop.tsx';
import { addReference, readReferences, referenceList, removeReference } from './reference-doc.ts';
import { MIX_COLOR, refColor, ReferencePlots } from './ReferencePlots.tsx';

type Adding = { name: string; percent: number; run: AnalysisRun };

export function ReferencePanel(props: {
  doc: Y.Doc;
  mix: { fileName: string; stream: StreamSummary; result: AnalysisResult };
  readOnly: boolean;
}) {
  const [refs, setRefs] = createSignal(readReferences(props.doc));
  const list = referenceList(props.doc);
  const refresh = () => setRefs(readReferences(props.doc));
  list.observe(refresh);
  const [adding, setAdding] = createSignal<Adding | null>(null);
  const [problem, setProblem] = createSignal<string | null>(null);
  /** Files of references added in this session (the report keeps none), by reference id. */
  const [files, setFiles] = createSignal<ReadonlyMap<string, File>>(new Map());
  let client: AnalysisClient | null = null;
  let input!: HTMLInputElement;
  onCleanup(() => {
    list.unobserve(refresh);
    adding()?.run.cancel();
    client?.dispose();
  });

  const comparison = createMemo(() =>
    compareResults(
      props.mix.result,
      refs().map((r) => r.result),
    ),
  );
  const tracks = createMemo((): AbTrackInfo[] => {
    const gains = playbackGains(comparison().matchGainDb);
    return [
      {
        key: 'mix',
        label: 'Mix',
        name: props.mix.fileName,
        duration: props.mix.result.file.duration.value,
        channels: props.mix.stream.channels,
        gainDb: gains.mix,
      },
      ...refs().map((r, i) => ({
        key: r.id,
        label: `Ref ${i + 1}`,
        name: r.fileName,
        duration: r.result.file.duration.value,
        channels: r.stream.channels,
        gainDb: gains.refs[i] ?? null,
      })),
    ];
  });

  const add = async (file: File) => {
    if (refs().length >= MAX_REFERENCES) {
      setProblem(`A report holds at most ${MAX_REFERENCES} references; remove one first.`);
      return;
    }
    setProblem(null);
    client ??= makeAnalysisClient();
    const run = client.analyse(file, file.name, (percent) => setAdding((a) => (a ? { ...a, percent } : a)));
    setAdding({ name: file.name, percent: 0, run });
    const outcome = await run.outcome;
    setAdding(null);
    if (!outcome.ok) {
      if (!outcome.cancelled) setProblem(outcome.message);
      return;
    }
    const id = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
    setFiles((m) => new Map(m).set(id, file));
    const added = addReference(props.doc, {
      id,
      fileName: outcome.name,
      stream: outcome.stream,
      result: outcome.result,
      analysedAt: Date.now(),
    });
    if (!added) setProblem(`A report holds at most ${MAX_REFERENCES} references; remove one first.`);
  };

  return (
    <section class="card reference-panel" aria-labelledby="reference-title">
      <div class="target-head">
        <h2 id="reference-title">Reference compare</h2>
        <Show when={!props.readOnly}>
          <button
            class="button"
            type="button"
            disabled={adding() !== null || refs().length >= MAX_REFERENCES}
            onClick={() => input.click()}
          >
            Add reference…
          </button>
          <input
            ref={input}
            type="file"
            class="analysis-visually-hidden"
            accept={AUDIO_ACCEPT}
            aria-label="Reference file"
            onChange={(e) => {
              const f = e.currentTarget.files?.[0];
              e.currentTarget.value = '';
              if (f) void add(f);
            }}
          />
        </Show>
      </div>
      <Show when={adding()}>
        {(a) => (
          <div class="analysis-progress" aria-label="Reference analysis">
            <p>
              Measuring {a().name}… <span data-reference-progress>{a().percent} %</span>
            </p>
            <progress max="100" value={a().percent} aria-label="Reference analysis progress" />
            <button class="button" type="button" onClick={() => a().run.cancel()}>
              Cancel
            </button>
          </div>
        )}
      </Show>
      <Show when={problem()}>
        {(p) => (
          <p class="problem" role="alert">
            {p()}
          </p>
        )}
      </Show>
      <Show
        when={refs().length > 0}
        fallback={
          <p class="hint">
            Measure a reference track beside this mix, on this device: the report keeps its figures and file name, never
            its audio. Up to {MAX_REFERENCES}.
          </p>
        }
      >
        <ol class="reference-list" aria-label="References">
          <li>
            <span class="ref-swatch" style={{ background: MIX_COLOR }} /> Mix: {props.mix.fileName}
          </li>
          <For each={refs()}>
            {(r, i) => (
              <li data-reference={r.fileName}>
                <span class="ref-swatch" style={{ background: refColor(i()) }} /> Ref {i() + 1}: {r.fileName} ·{' '}
                {r.stream.sampleRate} Hz · {r.stream.channels} ch · {r.result.file.duration.value.toFixed(1)} s
                <Show when={!props.readOnly}>
                  {' '}
                  <button
                    class="button small"
                    type="button"
                    aria-label={`Remove ${r.fileName}`}
                    onClick={() => removeReference(props.doc, r.id)}
                  >
                    Remove
                  </button>
                </Show>
              </li>
            )}
          </For>
        </ol>
        <CompareTable comparison={comparison()} references={refs().map((r) => r.fileName)} />
        <p class="hint">
          Stereo per band: correlation +1 is mono, 0 unrelated, −1 out of phase; width is side energy relative to mid
          (n/a: exactly mono). A reference analysed before per-band stereo existed shows n/a there.
        </p>
        <ReferencePlots
          mix={props.mix.result}
          references={refs().map((r) => ({ name: r.fileName, result: r.result }))}
          matchGainDb={comparison().matchGainDb}
        />
        <AbPanel sampleRate={props.mix.stream.sampleRate} tracks={tracks()} files={files()} />
      </Show>
    </section>
  );
}

/**
 * Drop a mix (or pick one), see the answer (summary, verdict, diagnostics) then every
 * measurement, play it with a live meter, save the numbers as a report. The audio is read and
 * measured on this device only: in a worker, from the File's own slices; nothing is uploaded
 * and the report keeps numbers, not audio. The latest result is kept (figures only) until
 * another analysis replaces it, so it survives leaving the page and reloading.
 */
import { createSignal, Match, onCleanup, Show, Switch } from 'solid-js';
import { useApp } from '../../app/app-context.ts';
import type { AnalysisOutcome } from '../../core/analysis/worker-contract.ts';
import { makeAnalysisClient, type AnalysisClient, type AnalysisRun } from '../../platform/analysis/analysis-client.ts';
import { FileDrop } from './FileDrop.tsx';
import { LiveMeter, type SeekRequest } from './LiveMeter.tsx';
import type { TimeRegion } from './plots.tsx';
import { findTarget, DEFAULT_TARGET_ID } from '../../core/diagnostics/delivery-targets.ts';
import { diagnose } from '../../core/diagnostics/diagnose.ts';
import { sourceFactsFrom } from '../../core/diagnostics/diagnostic.ts';
import { browserLastAnalysisStore, type KeptAnalysis } from './last-analysis.ts';
import { reportUpdate } from './report-doc.ts';
import { ResultView } from './ResultView.tsx';

/** The progress bar moves at most this often: about what a person can read. */
const PROGRESS_STEP_MS = 100;

type State =
  | { status: 'idle' }
  | { status: 'running'; name: string; percent: number; phase: 'decoding' | 'measuring'; run: AnalysisRun | null }
  /** `file` is null for a result kept from an earlier visit (the audio is not kept). */
  | {
      status: 'done';
      file: Blob | null;
      outcome: Extract<AnalysisOutcome, { ok: true }>;
      analysedAt: number;
      targetId: string;
    }
  | { status: 'failed'; message: string }
  | { status: 'cancelled'; name: string };

export function AnalyzePage() {
  const { library, notices } = useApp();
  const kept = browserLastAnalysisStore();
  const restore = (k: KeptAnalysis | null): State =>
    k
      ? {
          status: 'done',
          file: null,
          analysedAt: k.analysedAt,
          targetId: k.targetId,
          outcome: {
            ok: true,
            name: k.name,
            stream: k.stream,
            result: k.result,
            elapsedMs: k.elapsedMs,
            engine: k.engine,
            threads: k.threads,
            ...(k.slices ? { slices: k.slices } : {}),
          },
        }
      : { status: 'idle' };
  const [state, setState] = createSignal<State>(restore(kept.load()));
  const [savedId, setSavedId] = createSignal<string | null>(null);
  const [saving, setSaving] = createSignal(false);
  const [seekRequest, setSeekRequest] = createSignal<SeekRequest | null>(null);
  const [playhead, setPlayhead] = createSignal<number | null>(null);
  /** The loop region (dragged on a time plot, or the transport's fixed-length loop). */
  const [region, setRegion] = createSignal<TimeRegion | null>(null);
  let seeks = 0;
  let client: AnalysisClient | null = null;
  /** The latest analysis started: an older one that ends later (cancelled) must not overwrite it. */
  let latest = 0;
  onCleanup(() => {
    const s = state();
    if (s.status === 'running') s.run?.cancel();
    client?.dispose();
  });
  /** True once the workers are started and warm (data-analysis-warm: tests and the bench wait for it). */
  const [warm, setWarm] = createSignal(false);
  // The workers start, compile their kernels and run a throwaway analysis while the person looks
  // for the file, not after; pointing at the drop zone warms them again if they were let go idle.
  // Workers restarted after a stuck cancel are cold again until the next warm().
  const theClient = () => (client ??= makeAnalysisClient({ onCold: () => setWarm(false) }));
  const warmWorkers = () => {
    void theClient()
      .warm()
      .then(() => setWarm(true));
  };
  const warmUp = setTimeout(warmWorkers, 0);
  onCleanup(() => clearTimeout(warmUp));

  const analyse = async (file: File) => {
    const current = state();
    if (current.status === 'running') current.run?.cancel();
    const analyser = theClient();
    setSavedId(null);
    const generation = ++latest;
    const running = {
      status: 'running' as const,
      name: file.name,
      percent: 0,
      phase: 'measuring' as 'decoding' | 'measuring',
      run: null as AnalysisRun | null,
    };
    setState(running);
    let shownAt = performance.now();
    setRegion(null);
    const update = (patch: Partial<typeof running>) => {
      if (generation === latest) setState((s) => (s.status === 'running' ? { ...s, ...patch } : s));
    };
    const run = analyser.analyse(
      file,
      file.name,
      (percent) => {
        // At most PROGRESS_STEP_MS apart: two workers report about 200 steps in half a second,
        // and a repaint per step took the cores the workers need.
        const now = performance.now();
        if (now - shownAt < PROGRESS_STEP_MS) return;
        shownAt = now;
        update({ percent });
      },
      (phase) => {
        update({ phase });
      },
    );
    update({ run });
    const outcome = await run.outcome;
    if (generation !== latest) return;
    if (outcome.ok) {
      const previous = kept.load();
      const targetId = previous?.targetId ?? DEFAULT_TARGET_ID;
      const analysedAt = Date.now();
      setState({ status: 'done', file, outcome, analysedAt, targetId });
      kept.save({
        name: outcome.name,
        stream: outcome.stream,
        result: outcome.result,
        analysedAt,
        targetId,
        elapsedMs: outcome.elapsedMs,
        engine: outcome.engine,
        threads: outcome.threads,
        ...(outcome.slices ? { slices: outcome.slices } : {}),
      });
    } else if (outcome.cancelled) setState({ status: 'cancelled', name: file.name });
    else setState({ status: 'failed', message: outcome.message });
  };

  const chooseTarget = (id: string) => {
    const s = state();
    if (s.status !== 'done') return;
    setState({ ...s, targetId: id });
    const k = kept.load();
    if (k && k.analysedAt === s.analysedAt) kept.save({ ...k, targetId: id });
  };

  const save = async (s: Extract<State, { status: 'done' }>) => {
    const { outcome } = s;
    setSaving(true);
    try {
      const target = findTarget(s.targetId) ?? findTarget(DEFAULT_TARGET_ID)!;
      const diagnosis = diagnose(outcome.result, target, sourceFactsFrom(outcome.stream.encoding));
      const content = reportUpdate({
        fileName: outcome.name,
        stream: outcome.stream,
        result: outcome.result,
        analysedAt: s.analysedAt,
        targetId: target.id,
        diagnosis,
      });
      const id = await library.create({ kind: 'analysis-report', name: outcome.name.slice(0, 200), content });
      setSavedId(id);
      notices.info(`Saved the report "${outcome.name}" to the library.`);
    } catch (error) {
      notices.error(error, 'Could not save the report');
    } finally {
      setSaving(false);
    }
  };

  return (
    <section class="page analyze-page" aria-labelledby="page-title" data-analysis-warm={warm() ? '' : undefined}>
      <header class="page-header">
        <h1 id="page-title">Analyze</h1>
      </header>
      <FileDrop
        onFile={analyse}
        onIntent={warmWorkers}
        busy={state().status === 'running'}
        compact={state().status === 'done'}
      />
      <Switch>
        <Match when={state().status === 'running' && (state() as Extract<State, { status: 'running' }>)}>
          {(s) => (
            <section class="card analysis-progress" aria-label="Analysis progress">
              <p>
                {s().phase === 'decoding' ? 'Decoding with the browser' : 'Measuring'} {s().name}…{' '}
                <span data-progress-text>{s().percent} %</span>
              </p>
              <progress max="100" value={s().percent} aria-label="Analysis progress" />
              <button class="button" type="button" onClick={() => s().run?.cancel()}>
                Cancel
              </button>
            </section>
          )}
        </Match>
        <Match when={state().status === 'failed' && (state() as Extract<State, { status: 'failed' }>)}>
          {(s) => (
            <p class="problem card" role="alert">
              {s().message}
            </p>
          )}
        </Match>
        <Match when={state().status === 'cancelled' && (state() as Extract<State, { status: 'cancelled' }>)}>
          {(s) => (
            <p class="hint card" role="status">
              Analysis of {s().name} cancelled.
            </p>
          )}
        </Match>
        <Match when={state().status === 'done' && (state() as Extract<State, { status: 'done' }>)}>
          {(s) => (
            <>
              <div class="toolbar analysis-actions">
                <button
                  class="button primary"
                  type="button"
                  disabled={saving() || savedId() !== null}
                  onClick={() => save(s())}
                >
                  Save as report
                </button>
                <Show when={savedId()}>
                  {(id) => (
                    <a class="button link-button" href={`/doc/${id()}`}>
                      Open report
                    </a>
                  )}
                </Show>
                <span
                  class="hint"
                  data-elapsed-ms={s().outcome.elapsedMs.toFixed(1)}
                  data-engine={s().outcome.engine}
                  data-threads={s().outcome.threads}
                >
                  Measured in {(s().outcome.elapsedMs / 1000).toFixed(2)} s on this device ({s().outcome.engine} core,{' '}
                  {s().outcome.slices
                    ? `split over ${s().outcome.slices} workers`
                    : s().outcome.threads === 2
                      ? 'true peak in a second worker'
                      : client?.usesWorker
                        ? 'one worker'
                        : 'on the main thread'}
                  ).
                </span>
              </div>
              <ResultView
                name={s().outcome.name}
                stream={s().outcome.stream}
                result={s().outcome.result}
                analysedAt={s().analysedAt}
                targetId={s().targetId}
                onTargetChange={chooseTarget}
                onSeek={(seconds) => {
                  if (s().file) setSeekRequest({ seconds, serial: ++seeks });
                }}
                playhead={playhead()}
                region={region()}
                onRegion={(r) => {
                  if (s().file) setRegion(r);
                }}
                transport={
                  <Show
                    when={s().file}
                    keyed
                    fallback={
                      <p class="hint card" data-kept-result>
                        Kept from {new Date(s().analysedAt).toLocaleString()}: the figures only (the audio is not kept).
                        Choose the file again to play it.
                      </p>
                    }
                  >
                    {(file) => (
                      <LiveMeter
                        file={file}
                        name={s().outcome.name}
                        sampleRate={s().outcome.stream.sampleRate}
                        channels={s().outcome.stream.channels}
                        duration={s().outcome.result.file.duration.value}
                        seekRequest={seekRequest()}
                        onTime={setPlayhead}
                        loop={region()}
                        onLoop={setRegion}
                      />
                    )}
                  </Show>
                }
              />
            </>
          )}
        </Match>
      </Switch>
    </section>
  );
}

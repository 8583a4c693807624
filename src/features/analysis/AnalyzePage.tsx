/**
 * Drop a mix (or pick one), see every measurement, play it with a live meter, save the numbers
 * as a report. The audio is read and measured on this device only: in a worker, from the
 * File's own slices; nothing is uploaded and the report keeps numbers, not audio.
 */
import { createSignal, Match, onCleanup, Show, Switch } from 'solid-js';
import { useApp } from '../../app/app-context.ts';
import type { AnalysisOutcome } from '../../core/analysis/worker-contract.ts';
import { createAnalysisClient, type AnalysisClient, type AnalysisRun } from '../../platform/analysis/analysis-client.ts';
import { FileDrop } from './FileDrop.tsx';
import { LiveMeter } from './LiveMeter.tsx';
import { reportUpdate } from './report-doc.ts';
import { ResultView } from './ResultView.tsx';

type State =
  | { status: 'idle' }
  | { status: 'running'; name: string; percent: number; phase: 'decoding' | 'measuring'; run: AnalysisRun | null }
  | { status: 'done'; file: Blob; outcome: Extract<AnalysisOutcome, { ok: true }> }
  | { status: 'failed'; message: string }
  | { status: 'cancelled'; name: string };

export function AnalyzePage() {
  const { library, notices } = useApp();
  const [state, setState] = createSignal<State>({ status: 'idle' });
  const [savedId, setSavedId] = createSignal<string | null>(null);
  const [saving, setSaving] = createSignal(false);
  let client: AnalysisClient | null = null;
  /** The latest analysis started: an older one that ends later (cancelled) must not overwrite it. */
  let latest = 0;
  onCleanup(() => { const s = state(); if (s.status === 'running') s.run?.cancel(); client?.dispose(); });

  const analyse = async (file: File) => {
    const current = state();
    if (current.status === 'running') current.run?.cancel();
    client ??= createAnalysisClient();
    setSavedId(null);
    const generation = ++latest;
    const running = { status: 'running' as const, name: file.name, percent: 0, phase: 'measuring' as 'decoding' | 'measuring', run: null as AnalysisRun | null };
    setState(running);
    const update = (patch: Partial<typeof running>) => { if (generation === latest) setState((s) => (s.status === 'running' ? { ...s, ...patch } : s)); };
    const run = client.analyse(file, file.name, (percent) => { update({ percent }); }, (phase) => { update({ phase }); });
    update({ run });
    const outcome = await run.outcome;
    if (generation !== latest) return;
    if (outcome.ok) setState({ status: 'done', file, outcome });
    else if (outcome.cancelled) setState({ status: 'cancelled', name: file.name });
    else setState({ status: 'failed', message: outcome.message });
  };

  const save = async (outcome: Extract<AnalysisOutcome, { ok: true }>) => {
    setSaving(true);
    try {
      const content = reportUpdate({ fileName: outcome.name, stream: outcome.stream, result: outcome.result, analysedAt: Date.now() });
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
    <section class="page analyze-page" aria-labelledby="page-title">
      <header class="page-header"><h1 id="page-title">Analyze</h1></header>
      <FileDrop onFile={analyse} busy={state().status === 'running'} />
      <Switch>
        <Match when={state().status === 'running' && (state() as Extract<State, { status: 'running' }>)}>{(s) => (
          <section class="card analysis-progress" aria-label="Analysis progress">
            <p>{s().phase === 'decoding' ? 'Decoding with the browser' : 'Measuring'} {s().name}… <span data-progress-text>{s().percent} %</span></p>
            <progress max="100" value={s().percent} aria-label="Analysis progress" />
            <button class="button" type="button" onClick={() => s().run?.cancel()}>Cancel</button>
          </section>
        )}</Match>
        <Match when={state().status === 'failed' && (state() as Extract<State, { status: 'failed' }>)}>{(s) => (
          <p class="problem card" role="alert">{s().message}</p>
        )}</Match>
        <Match when={state().status === 'cancelled' && (state() as Extract<State, { status: 'cancelled' }>)}>{(s) => (
          <p class="hint card" role="status">Analysis of {s().name} cancelled.</p>
        )}</Match>
        <Match when={state().status === 'done' && (state() as Extract<State, { status: 'done' }>)}>{(s) => (
          <>
            <div class="toolbar analysis-actions">
              <button class="button primary" type="button" disabled={saving() || savedId() !== null} onClick={() => save(s().outcome)}>Save as report</button>
              <Show when={savedId()}>{(id) => <a class="button link-button" href={`/doc/${id()}`}>Open report</a>}</Show>
              <span class="hint" data-elapsed-ms={s().outcome.elapsedMs.toFixed(1)} data-engine={s().outcome.engine} data-threads={s().outcome.threads}>Measured in {(s().outcome.elapsedMs / 1000).toFixed(2)} s on this device ({s().outcome.engine} core, {s().outcome.threads === 2 ? 'true peak in a second worker' : client?.usesWorker ? 'one worker' : 'on the main thread'}).</span>
            </div>
            <LiveMeter file={s().file} name={s().outcome.name} sampleRate={s().outcome.stream.sampleRate} channels={s().outcome.stream.channels} />
            <ResultView name={s().outcome.name} stream={s().outcome.stream} result={s().outcome.result} />
          </>
        )}</Match>
      </Switch>
    </section>
  );
}

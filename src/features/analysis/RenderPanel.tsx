/**
 * "Render corrected file…" in a saved report: pick the mix again (a report keeps the numbers,
 * never the audio), a target (or a custom level), the true-peak ceiling and the format; the
 * render runs in the render worker with progress and cancel, then shows the figures before and
 * after side by side with the verdict, offers the file to save, and records the render in the
 * report's history (settings and figures only).
 */
import { createSignal, For, Match, onCleanup, Show, Switch } from 'solid-js';
import type * as Y from 'yjs';
import type { RenderJobOutcome } from '../../core/analysis/render-contract.ts';
import type { RenderPhase } from '../../core/audio/render-audio.ts';
import type { RenderFigures, RenderRecord } from '../../core/dsp/render/render-summary.ts';
import type { RenderFormat } from '../../core/dsp/render/wav-writer.ts';
import { isTargetId, TARGETS } from '../../core/dsp/targets.ts';
import { makeRenderClient, type RenderRun } from '../../platform/analysis/render-client.ts';
import { addRenderRecord, readRenderHistory, renderHistory } from './render-history.ts';

type State =
  | { status: 'idle' }
  | { status: 'running'; percent: number; phase: RenderPhase; run: RenderRun }
  | { status: 'done'; record: RenderRecord; url: string; fileName: string; size: number }
  | { status: 'failed'; message: string }
  | { status: 'cancelled' };

const PHASE_TEXT: Record<RenderPhase, string> = {
  analyse: 'Measuring the mix',
  render: 'Rendering',
  verify: 'Re-verifying the render',
};

const ROWS: [string, (f: RenderFigures) => string][] = [
  ['Integrated loudness', (f) => fix(f.integratedLufs, 1, 'LUFS')],
  ['True peak', (f) => fix(f.truePeakDbtp, 2, 'dBTP')],
  ['Sample peak', (f) => fix(f.samplePeakDbfs, 2, 'dBFS')],
  ['Loudness range', (f) => fix(f.loudnessRangeLu, 1, 'LU')],
  ['Short-term max', (f) => fix(f.shortTermMaxLufs, 1, 'LUFS')],
  ['PLR', (f) => fix(f.plrDb, 1, 'dB')],
  ['Overs above 0 dBTP', (f) => String(f.oversAbove0)],
];

function fix(v: number | null, digits: number, unit: string): string {
  return v === null ? 'n/a' : `${v.toFixed(digits)} ${unit}`;
}

const VERDICT_CLASS: Record<RenderRecord['verdict'], string> = {
  'on-target': 'verdict-pass',
  'under-target': 'verdict-warn',
  'off-target': 'verdict-warn',
  'over-ceiling': 'verdict-fail',
};

export function BeforeAfter(props: { record: RenderRecord }) {
  return (
    <table class="channel-table before-after" aria-label="Before and after">
      <thead>
        <tr>
          <th scope="col">Figure</th>
          <th scope="col">Before</th>
          <th scope="col">After</th>
        </tr>
      </thead>
      <tbody>
        <For each={ROWS}>
          {([label, show]) => (
            <tr>
              <th scope="row">{label}</th>
              <td data-before={label}>{show(props.record.before)}</td>
              <td data-after={label}>{show(props.record.after)}</td>
            </tr>
          )}
        </For>
      </tbody>
    </table>
  );
}

/** A labelled number input from `min` to 0 (levels in dB below full scale). */
function NumberField(props: {
  label: string;
  aria: string;
  step: number;
  min: number;
  value: number;
  disabled?: boolean;
  onValue: (v: number) => void;
}) {
  return (
    <label class="field">
      <span class="label">{props.label}</span>
      <input
        type="number"
        step={props.step}
        min={props.min}
        max="0"
        aria-label={props.aria}
        value={props.value}
        disabled={props.disabled ?? false}
        onInput={(e) => props.onValue(Number(e.currentTarget.value))}
      />
    </label>
  );
}

export function RenderPanel(props: { doc: Y.Doc; fileName: string; readOnly: boolean }) {
  const [open, setOpen] = createSignal(false);
  const [file, setFile] = createSignal<File | null>(null);
  const [targetId, setTargetId] = createSignal<string>('spotify');
  const [lufs, setLufs] = createSignal(-14);
  const [ceiling, setCeiling] = createSignal(-1);
  const [format, setFormat] = createSignal<RenderFormat>('pcm24');
  const [force, setForce] = createSignal(false);
  const [state, setState] = createSignal<State>({ status: 'idle' });
  const [history, setHistory] = createSignal(readRenderHistory(props.doc));
  const list = renderHistory(props.doc);
  const refresh = () => setHistory(readRenderHistory(props.doc));
  list.observe(refresh);
  let client: ReturnType<typeof makeRenderClient> | null = null;
  onCleanup(() => {
    list.unobserve(refresh);
    const s = state();
    if (s.status === 'running') s.run.cancel();
    if (s.status === 'done') URL.revokeObjectURL(s.url);
    client?.dispose();
  });

  const chooseTarget = (id: string) => {
    setTargetId(id);
    if (isTargetId(id)) {
      setLufs(TARGETS[id].integratedLufs);
      setCeiling(TARGETS[id].truePeakDbtp);
    }
  };

  const start = () => {
    const f = file();
    if (!f) return;
    const previous = state();
    if (previous.status === 'done') URL.revokeObjectURL(previous.url);
    const id = targetId();
    const name = isTargetId(id) ? TARGETS[id].name : 'Custom';
    client ??= makeRenderClient();
    const run = client.render(
      f,
      f.name,
      {
        target: { id, name, integratedLufs: lufs(), ceilingDbtp: ceiling() },
        format: format(),
        force: force(),
      },
      (percent, phase) => {
        const s = state();
        if (s.status === 'running') setState({ ...s, percent, phase });
      },
    );
    setState({ status: 'running', percent: 0, phase: 'analyse', run });
    void run.outcome.then(
      (o: RenderJobOutcome) => {
        if (o.ok) {
          const blob = o.file as Blob;
          if (!props.readOnly) addRenderRecord(props.doc, o.record);
          setState({
            status: 'done',
            record: o.record,
            url: URL.createObjectURL(blob),
            fileName: o.record.outputName,
            size: blob.size,
          });
        } else setState(o.cancelled ? { status: 'cancelled' } : { status: 'failed', message: o.message });
      },
      (e: unknown) => setState({ status: 'failed', message: e instanceof Error ? e.message : String(e) }),
    );
  };

  const running = () => state().status === 'running';
  return (
    <section class="card render-panel" aria-labelledby="render-title">
      <div class="target-head">
        <h2 id="render-title">Corrective render</h2>
        <button class="button" type="button" aria-expanded={open()} onClick={() => setOpen(!open())}>
          Render corrected file…
        </button>
      </div>
      <Show when={open()}>
        <p class="hint">
          Gain to the target loudness, then a true-peak limiter (3 ms look-ahead, 100 ms release, 4x oversampled
          detection), re-measured after. More than 6 dB of limiting is not applied unless you force it: the gain is
          capped and the render comes out under the target. The report keeps the figures, never the audio: choose the
          mix again ({props.fileName}).
        </p>
        <div class="render-form">
          <label class="field grow">
            <span class="label">Mix</span>
            <input
              type="file"
              accept=".wav,.wave,.rf64,.bw64,.aif,.aiff,.aifc,.flac"
              aria-label="Mix to render"
              disabled={running()}
              onChange={(e) => setFile(e.currentTarget.files?.[0] ?? null)}
            />
          </label>
          <label class="field">
            <span class="label">Target</span>
            <select aria-label="Render target" value={targetId()} onChange={(e) => chooseTarget(e.currentTarget.value)}>
              <For each={Object.values(TARGETS)}>
                {(t) => (
                  <option value={t.id}>
                    {t.name} ({t.integratedLufs} LUFS)
                  </option>
                )}
              </For>
              <option value="custom">Custom</option>
            </select>
          </label>
          <NumberField
            label="Loudness (LUFS)"
            aria="Loudness target"
            step={0.5}
            min={-60}
            value={lufs()}
            disabled={targetId() !== 'custom'}
            onValue={setLufs}
          />
          <NumberField
            label="Ceiling (dBTP)"
            aria="True-peak ceiling"
            step={0.1}
            min={-20}
            value={ceiling()}
            onValue={setCeiling}
          />
          <label class="field">
            <span class="label">Format</span>
            <select
              aria-label="Format"
              value={format()}
              onChange={(e) => setFormat(e.currentTarget.value as RenderFormat)}
            >
              <option value="pcm24">WAV 24-bit, TPDF dither</option>
              <option value="float32">WAV 32-bit float</option>
            </select>
          </label>
          <label class="field checkbox">
            <input type="checkbox" checked={force()} onChange={(e) => setForce(e.currentTarget.checked)} /> Reach the
            target even past 6 dB of limiting
          </label>
          <button
            class="button primary"
            type="button"
            disabled={!file() || running() || !(ceiling() <= 0 && ceiling() >= -20) || !(lufs() <= 0 && lufs() >= -60)}
            onClick={start}
          >
            Render
          </button>
        </div>
        <Switch>
          <Match when={state().status === 'running' && (state() as Extract<State, { status: 'running' }>)}>
            {(s) => (
              <div class="analysis-progress" aria-label="Render progress">
                <p>
                  {PHASE_TEXT[s().phase]}… <span data-render-progress>{s().percent} %</span>
                </p>
                <progress max="100" value={s().percent} aria-label="Render progress" />
                <button class="button" type="button" onClick={() => s().run.cancel()}>
                  Cancel
                </button>
              </div>
            )}
          </Match>
          <Match when={state().status === 'failed' && (state() as Extract<State, { status: 'failed' }>)}>
            {(s) => (
              <p class="problem" role="alert">
                {s().message}
              </p>
            )}
          </Match>
          <Match when={state().status === 'cancelled'}>
            <p class="hint" role="status" data-render-cancelled>
              Render cancelled; nothing was kept.
            </p>
          </Match>
          <Match when={state().status === 'done' && (state() as Extract<State, { status: 'done' }>)}>
            {(s) => (
              <div class="render-result">
                <p>
                  <span
                    class={`verdict ${VERDICT_CLASS[s().record.verdict]}`}
                    role="status"
                    data-render-verdict={s().record.verdict}
                  >
                    {s().record.verdictText}
                  </span>
                </p>
                <Show when={s().record.plan.warning}>{(w) => <p class="preview">{w()}</p>}</Show>
                <BeforeAfter record={s().record} />
                <p class="hint">
                  Gain {s().record.plan.gainDb.toFixed(1)} dB; limiter up to{' '}
                  {s().record.limiter.maxReductionDb.toFixed(1)} dB; {(s().record.elapsedMs / 1000).toFixed(1)} s.
                </p>
                <a class="button primary" href={s().url} download={s().fileName} data-render-save data-size={s().size}>
                  Save {s().fileName} ({(s().size / 2 ** 20).toFixed(1)} MB)
                </a>
              </div>
            )}
          </Match>
        </Switch>
      </Show>
      <Show when={history().length > 0}>
        <h3>Render history</h3>
        <ol class="render-history" aria-label="Render history">
          <For each={history()}>
            {(h) => (
              <li data-render-entry>
                {new Date(h.renderedAt).toLocaleString()} · {h.settings.target.name} {h.settings.target.integratedLufs}{' '}
                LUFS / {h.settings.ceilingDbtp} dBTP · {h.settings.format === 'pcm24' ? '24-bit' : 'float'} ·{' '}
                {fix(h.before.integratedLufs, 1, 'LUFS')} → {fix(h.after.integratedLufs, 1, 'LUFS')}, true peak{' '}
                {fix(h.before.truePeakDbtp, 2, 'dBTP')} → {fix(h.after.truePeakDbtp, 2, 'dBTP')} ·{' '}
                <span class={`verdict-text ${VERDICT_CLASS[h.verdict]}`}>{h.verdict.replace('-', ' ')}</span>
              </li>
            )}
          </For>
        </ol>
      </Show>
    </section>
  );
}

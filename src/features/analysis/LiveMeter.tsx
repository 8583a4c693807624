/**
 * Play the analysed file with a live meter (AudioWorklet): momentary and short-term loudness,
 * true peak (the largest since Play, and the latest) and correlation, about 30 times a second.
 */
import { createSignal, onCleanup, Show } from 'solid-js';
import { playWithMeter, type LivePlayback, type MeterReading } from '../../platform/analysis/live-meter.ts';

const show = (v: number | null, digits = 1) => (v === null ? '–' : v.toFixed(digits));

/** A bar for `v` on [min, max] (decorative: the number beside it is what assistive tech reads). */
function Bar(props: { value: number | null; min: number; max: number }) {
  const share = () => (props.value === null ? 0 : Math.max(0, Math.min(1, (props.value - props.min) / (props.max - props.min))));
  return <span class="meter-bar" aria-hidden="true"><span style={{ width: `${(share() * 100).toFixed(1)}%` }} /></span>;
}

export function LiveMeter(props: { file: Blob; name: string; sampleRate: number; channels: number }) {
  const [playback, setPlayback] = createSignal<LivePlayback | null>(null);
  const [reading, setReading] = createSignal<MeterReading | null>(null);
  const [peakHold, setPeakHold] = createSignal<number | null>(null);
  const [count, setCount] = createSignal(0);
  const [problem, setProblem] = createSignal<string | null>(null);
  const [starting, setStarting] = createSignal(false);

  const onReading = (r: MeterReading) => {
    setReading(r);
    setCount((n) => n + 1);
    if (r.truePeak !== null) setPeakHold((p) => (p === null ? r.truePeak : Math.max(p, r.truePeak!)));
  };
  const play = async () => {
    setProblem(null); setPeakHold(null); setReading(null); setStarting(true);
    try {
      const p = await playWithMeter(props.file, props.name, props.sampleRate, props.channels, onReading);
      setPlayback(p);
      void p.ended.then(() => { if (playback() === p) setPlayback(null); });
    } catch (error) {
      setProblem(error instanceof Error ? error.message : String(error));
    } finally {
      setStarting(false);
    }
  };
  const stop = async () => { const p = playback(); setPlayback(null); await p?.stop(); };
  onCleanup(() => void playback()?.stop());

  return (
    <section class="card live-meter" aria-labelledby="live-title" data-readings={count()} data-wasm={reading()?.wasm ? 'yes' : 'no'}>
      <div class="target-head">
        <h2 id="live-title">Live meter</h2>
        <Show when={playback()} fallback={<button class="button primary" type="button" disabled={starting()} onClick={play}>Play</button>}>
          <button class="button" type="button" onClick={stop}>Stop</button>
        </Show>
        <Show when={playback()}><span class="hint">{playback()!.sampleRate} Hz · {show(reading()?.seconds ?? 0, 1)} s · {reading()?.wasm ? 'WASM meter' : 'TypeScript meter'}</span></Show>
      </div>
      <Show when={problem()}><p class="problem" role="alert">{problem()}</p></Show>
      <dl class="meter-values">
        <div><dt>Momentary</dt><dd data-meter="momentary">{show(reading()?.momentary ?? null)} <span class="unit">LUFS</span></dd><Bar value={reading()?.momentary ?? null} min={-60} max={0} /></div>
        <div><dt>Short-term</dt><dd data-meter="short-term">{show(reading()?.shortTerm ?? null)} <span class="unit">LUFS</span></dd><Bar value={reading()?.shortTerm ?? null} min={-60} max={0} /></div>
        <div><dt>True peak (max)</dt><dd data-meter="true-peak">{show(peakHold())} <span class="unit">dBTP</span></dd><Bar value={peakHold()} min={-60} max={3} /></div>
        <div><dt>Correlation</dt><dd data-meter="correlation">{show(reading()?.correlation ?? null, 2)}</dd><Bar value={reading()?.correlation ?? null} min={-1} max={1} /></div>
      </dl>
      <p class="hint">Momentary: 400 ms window; short-term: 3 s window (BS.1770 K-weighted). True peak: 4x oversampled, held since Play. Correlation: last 400 ms.</p>
    </section>
  );
}

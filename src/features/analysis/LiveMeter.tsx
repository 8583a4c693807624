/**
 * The audition transport with its live meter: play/pause, stop, a position slider, loop a
 * region, keyboard (Space: play/pause; left/right arrows: 5 s back/forward), and the meter
 * (momentary and short-term loudness, true peak held since Play, correlation) about 30 times a
 * second from wherever playback starts. `seekRequest` lets the page play from a time someone
 * clicked (a diagnostic, a plot); `onTime` reports the playhead.
 */
import { createEffect, createSignal, on, onCleanup, Show } from 'solid-js';
import type { MeterReading } from '../../platform/analysis/live-meter.ts';
import { makeAudition } from './audition.ts';
import { formatSeconds, type TimeRegion } from './plots.tsx';
import { leavesKeyAlone } from '../shared/transport-keys.ts';

const show = (v: number | null, digits = 1) => (v === null ? '–' : v.toFixed(digits));
const LOOP_SECONDS = 5;

/** A bar for `v` on [min, max] (decorative: the number beside it is what assistive tech reads). */
function Bar(props: { value: number | null; min: number; max: number }) {
  const share = () =>
    props.value === null ? 0 : Math.max(0, Math.min(1, (props.value - props.min) / (props.max - props.min)));
  return (
    <span class="meter-bar" aria-hidden="true">
      <span style={{ width: `${(share() * 100).toFixed(1)}%` }} />
    </span>
  );
}

export interface SeekRequest {
  seconds: number;
  serial: number;
}

export function LiveMeter(props: {
  file: Blob;
  name: string;
  sampleRate: number;
  channels: number;
  duration: number;
  seekRequest?: SeekRequest | null;
  onTime?: (seconds: number | null) => void;
  /** The loop region, when the page keeps it (a span dragged on a plot); otherwise kept here. */
  loop?: TimeRegion | null;
  onLoop?: (region: TimeRegion | null) => void;
}) {
  const [reading, setReading] = createSignal<MeterReading | null>(null);
  const [peakHold, setPeakHold] = createSignal<number | null>(null);
  const [count, setCount] = createSignal(0);
  const [problem, setProblem] = createSignal<string | null>(null);
  const [playing, setPlaying] = createSignal(false);
  const [time, setTime] = createSignal(0);
  const [ownLoop, setOwnLoop] = createSignal<TimeRegion | null>(null);
  const loop = () => (props.onLoop ? (props.loop ?? null) : ownLoop());
  const setLoop = (region: TimeRegion | null) => (props.onLoop ? props.onLoop(region) : setOwnLoop(region));

  const audition = makeAudition(props.file, props.name, props.sampleRate, props.channels, (r) => {
    setReading(r);
    setCount((n) => n + 1);
    if (r.truePeak !== null) setPeakHold((p) => (p === null ? r.truePeak : Math.max(p, r.truePeak!)));
  });
  let frame = 0;
  const follow = () => {
    setTime(audition.currentTime());
    props.onTime?.(audition.currentTime());
    if (audition.playing) frame = requestAnimationFrame(follow);
  };
  const unsubscribe = audition.onStateChange(() => {
    setPlaying(audition.playing);
    cancelAnimationFrame(frame);
    follow();
  });
  onCleanup(() => {
    unsubscribe();
    cancelAnimationFrame(frame);
    props.onTime?.(null);
    void audition.dispose();
  });

  const play = async (from?: number) => {
    setProblem(null);
    if (from !== undefined || !audition.playing) {
      setPeakHold(null);
    }
    try {
      await audition.play(from);
    } catch (error) {
      setProblem(error instanceof Error ? error.message : String(error));
    }
  };
  const stop = () => {
    audition.pause();
    audition.seek(0);
    setReading(null);
  };
  const seekBy = (delta: number) => {
    const t = Math.max(0, Math.min(props.duration, audition.currentTime() + delta));
    audition.seek(t);
    setTime(t);
    props.onTime?.(t);
  };
  const toggleLoop = () => {
    const t = audition.currentTime();
    setLoop(loop() ? null : { start: t, end: Math.min(props.duration, t + LOOP_SECONDS) });
  };
  // A new region loops at once: playback jumps to its start unless it is already inside it.
  createEffect(
    on(loop, (region) => {
      audition.setLoop(region);
      if (!region) return;
      const t = audition.currentTime();
      if (!audition.playing || t < region.start || t >= region.end) void play(region.start);
    }),
  );

  createEffect(
    on(
      () => props.seekRequest,
      (req) => {
        if (req) void play(req.seconds);
      },
      { defer: true },
    ),
  );

  const onKey = (e: KeyboardEvent) => {
    if (leavesKeyAlone(e)) return;
    if (e.key === ' ') {
      e.preventDefault();
      if (audition.playing) audition.pause();
      else void play();
    } else if (e.key === 'ArrowRight') {
      e.preventDefault();
      seekBy(5);
    } else if (e.key === 'ArrowLeft') {
      e.preventDefault();
      seekBy(-5);
    } else if (e.key === 'Escape' && loop()) {
      setLoop(null);
    }
  };
  document.addEventListener('keydown', onKey);
  onCleanup(() => document.removeEventListener('keydown', onKey));

  return (
    <section
      class="card live-meter"
      aria-labelledby="live-title"
      data-readings={count()}
      data-wasm={reading()?.wasm ? 'yes' : 'no'}
      data-playing={playing() ? 'yes' : 'no'}
      data-time={time().toFixed(2)}
    >
      <div class="target-head transport">
        <h2 id="live-title">Live meter</h2>
        <Show
          when={playing()}
          fallback={
            <button class="button primary" type="button" onClick={() => void play()}>
              Play
            </button>
          }
        >
          <button class="button" type="button" onClick={() => audition.pause()}>
            Pause
          </button>
        </Show>
        <button class="button" type="button" onClick={stop}>
          Stop
        </button>
        <button class="button" type="button" aria-pressed={loop() !== null} onClick={toggleLoop}>
          {loop()
            ? `Looping ${formatSeconds(Math.round(loop()!.start * 10) / 10)}–${formatSeconds(Math.round(loop()!.end * 10) / 10)}`
            : `Loop ${LOOP_SECONDS} s from here`}
        </button>
        <label class="field transport-position">
          <span class="label">
            Position <span data-position>{time().toFixed(1)} s</span> of {props.duration.toFixed(1)} s
          </span>
          <input
            type="range"
            min="0"
            max={props.duration}
            step="0.1"
            value={time()}
            aria-label="Position"
            onInput={(e) => {
              const t = Number(e.currentTarget.value);
              audition.seek(t);
              setTime(t);
              props.onTime?.(t);
            }}
          />
        </label>
      </div>
      <Show when={problem()}>
        <p class="problem" role="alert">
          {problem()}
        </p>
      </Show>
      <dl class="meter-values">
        <div>
          <dt>Momentary</dt>
          <dd data-meter="momentary">
            {show(reading()?.momentary ?? null)} <span class="unit">LUFS</span>
          </dd>
          <Bar value={reading()?.momentary ?? null} min={-60} max={0} />
        </div>
        <div>
          <dt>Short-term</dt>
          <dd data-meter="short-term">
            {show(reading()?.shortTerm ?? null)} <span class="unit">LUFS</span>
          </dd>
          <Bar value={reading()?.shortTerm ?? null} min={-60} max={0} />
        </div>
        <div>
          <dt>True peak (max)</dt>
          <dd data-meter="true-peak">
            {show(peakHold())} <span class="unit">dBTP</span>
          </dd>
          <Bar value={peakHold()} min={-60} max={3} />
        </div>
        <div>
          <dt>Correlation</dt>
          <dd data-meter="correlation">{show(reading()?.correlation ?? null, 2)}</dd>
          <Bar value={reading()?.correlation ?? null} min={-1} max={1} />
        </div>
      </dl>
      <p class="hint">
        Space plays or pauses; the arrow keys jump 5 s. Click a plot, a time or a diagnostic to play from there; drag
        across the loudness or waveform plot to loop that stretch (Esc or the loop button ends it). Momentary: 400 ms
        window; short-term: 3 s (BS.1770 K-weighted). True peak: 4x oversampled, held since Play. Correlation: last 400
        ms.
      </p>
    </section>
  );
}

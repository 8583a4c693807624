/**
 * Level-matched A/B of the mix and its references (ab-player.ts does the audio). A report keeps
 * no audio, so each track's file is chosen here (a reference added in this session already has
 * its file); only tracks with audio take part. Each plays at its level-match gain, every track
 * loops its own region, and the buttons switch what is heard at once, at the same position.
 * Keys, for listening with eyes closed: 1-9 hear that track, Space plays or stops (not while
 * typing in a field, and Space on a focused button presses that button). A loop is set by
 * dragging across the track's waveform strip, or to the tenth of a second in its two fields.
 */
import { createEffect, createSignal, For, onCleanup, Show } from 'solid-js';
import type { OverviewData } from '../../core/dsp/overview.ts';
import { makeAbPlayer, type AbPlayer, type LoopRegion } from './ab-player.ts';
import { bufferOverview } from './buffer-overview.ts';
import { signed } from './CompareTable.tsx';
import { AUDIO_ACCEPT } from './FileDrop.tsx';
import { formatSeconds, LinePlot, timeTicks } from './plots.tsx';
import { waveformBand, WAVEFORM_AXIS } from './waveform.ts';
import { leavesKeyAlone } from '../shared/transport-keys.ts';

export interface AbTrackInfo {
  /** 'mix' or the reference's id. */
  key: string;
  label: string;
  name: string;
  duration: number;
  channels: number;
  /** Playback gain in dB (null: loudness undefined, played unmatched at the mix's gain). */
  gainDb: number | null;
}

/** The waveform axis with three ticks: the strip is too short for five labels. */
const STRIP_AXIS = { ...WAVEFORM_AXIS, ticks: [-1, 0, 1] };

type Loaded =
  | { status: 'decoding' }
  | { status: 'ready'; buffer: AudioBuffer; overview: OverviewData }
  | { status: 'failed'; message: string };

/** A loop edge in seconds, committed on change (not on every keystroke, which would jump the loop). */
function SecondsInput(props: { text: string; aria: string; value: number; onValue: (v: number) => void }) {
  return (
    <label>
      {props.text}{' '}
      <input
        type="number"
        min="0"
        step="0.5"
        aria-label={props.aria}
        value={props.value}
        onChange={(e) => props.onValue(Number(e.currentTarget.value))}
      />
    </label>
  );
}

export function AbPanel(props: {
  sampleRate: number;
  tracks: AbTrackInfo[];
  /** Files already on hand (references added in this session), by key. */
  files: ReadonlyMap<string, File>;
}) {
  const [loaded, setLoaded] = createSignal<ReadonlyMap<string, Loaded>>(new Map());
  const [loops, setLoops] = createSignal<ReadonlyMap<string, LoopRegion>>(new Map());
  const [selected, setSelected] = createSignal('mix');
  const [playing, setPlaying] = createSignal(false);
  const [from, setFrom] = createSignal(0);
  const [problem, setProblem] = createSignal<string | null>(null);
  const [switchAt, setSwitchAt] = createSignal<number | null>(null);
  let player: AbPlayer | null = null;
  /** The keys of the tracks the player runs, in its order (fixed from Play to Stop). */
  let playingKeys: string[] = [];
  /** Keys whose file was handed over (so a reference's session file is decoded once). */
  const started = new Set<string>();
  onCleanup(() => void player?.dispose());

  const patch = (key: string, value: Loaded) => setLoaded((m) => new Map(m).set(key, value));
  const stop = () => {
    player?.stop();
    setPlaying(false);
  };
  const load = async (track: AbTrackInfo, file: File) => {
    started.add(track.key);
    stop();
    player ??= makeAbPlayer(props.sampleRate);
    patch(track.key, { status: 'decoding' });
    try {
      const buffer = await player.decode(file, file.name, track.duration, track.channels);
      // A track that arrives while others play joins at the next Play (the running sources are fixed).
      stop();
      patch(track.key, { status: 'ready', buffer, overview: bufferOverview(buffer) });
    } catch (error) {
      patch(track.key, { status: 'failed', message: error instanceof Error ? error.message : String(error) });
    }
  };
  const ready = () =>
    props.tracks.flatMap((t) => {
      const l = loaded().get(t.key);
      return l?.status === 'ready' ? [{ track: t, buffer: l.buffer }] : [];
    });
  const play = async () => {
    const tracks = ready();
    if (!player || tracks.length === 0) return;
    setProblem(null);
    let index = tracks.findIndex((t) => t.track.key === selected());
    if (index < 0) {
      index = 0;
      setSelected(tracks[0]!.track.key);
    }
    try {
      await player.play(
        tracks.map(({ track, buffer }) => ({
          buffer,
          gainDb: track.gainDb ?? props.tracks[0]?.gainDb ?? 0,
          loop: loops().get(track.key) ?? null,
        })),
        index,
        from(),
      );
      playingKeys = tracks.map((t) => t.track.key);
      setPlaying(true);
    } catch (error) {
      setProblem(error instanceof Error ? error.message : String(error));
    }
  };
  const choose = (key: string) => {
    setSelected(key);
    if (!playing() || !player) return;
    const at = player.select(playingKeys.indexOf(key));
    if (at !== null) setSwitchAt(at);
  };
  const setRegion = (track: AbTrackInfo, region: LoopRegion) => {
    const clamp = (v: number) => Math.max(0, Math.min(track.duration, v));
    const next = { start: clamp(region.start), end: clamp(region.end) };
    // The whole track is no loop region (nothing shaded; the player loops the whole track anyway).
    const whole = next.start <= 0 && next.end >= track.duration;
    setLoops((m) => {
      const copy = new Map(m);
      if (whole) copy.delete(track.key);
      else copy.set(track.key, next);
      return copy;
    });
    if (playing()) player?.setLoop(playingKeys.indexOf(track.key), whole ? null : next);
  };
  const setLoop = (track: AbTrackInfo, edge: 'start' | 'end', value: number) =>
    setRegion(track, { ...(loops().get(track.key) ?? { start: 0, end: track.duration }), [edge]: value });

  const onKey = (e: KeyboardEvent) => {
    if (leavesKeyAlone(e)) return;
    if (e.key === ' ') {
      if (ready().length === 0) return;
      e.preventDefault();
      if (playing()) stop();
      else void play();
    } else if (/^[1-9]$/.test(e.key)) {
      const track = props.tracks[Number(e.key) - 1];
      if (!track || loaded().get(track.key)?.status !== 'ready') return;
      e.preventDefault();
      choose(track.key);
    }
  };
  document.addEventListener('keydown', onKey);
  onCleanup(() => document.removeEventListener('keydown', onKey));

  // A reference added in this session brings its file: decode it without asking again.
  createEffect(() => {
    for (const track of props.tracks) {
      const file = props.files.get(track.key);
      if (file && !started.has(track.key)) void load(track, file);
    }
  });

  return (
    <section class="ab-panel" aria-labelledby="ab-title">
      <h3 id="ab-title">Level-matched A/B</h3>
      <p class="hint">
        Every track plays at once at its level-match gain (none is boosted: a quieter reference turns the others down);
        a switch is a 5 ms equal-power crossfade at the same position. The audio stays on this device and is not kept in
        the report.
      </p>
      <p class="hint ab-keys">
        Keys: <kbd>1</kbd>–<kbd>9</kbd> hear that track, <kbd>Space</kbd> play or stop.
      </p>
      <ul class="ab-tracks">
        <For each={props.tracks}>
          {(track, index) => {
            const state = () => loaded().get(track.key);
            const loop = () => loops().get(track.key) ?? { start: 0, end: track.duration };
            return (
              <li class="ab-track" data-ab-track={track.key}>
                <button
                  class="button ab-choose"
                  type="button"
                  aria-pressed={selected() === track.key}
                  aria-keyshortcuts={index() < 9 ? String(index() + 1) : undefined}
                  disabled={state()?.status !== 'ready'}
                  onClick={() => choose(track.key)}
                >
                  {track.label}
                </button>
                <span class="ab-name" title={track.name}>
                  {track.name}
                </span>
                <span class="ab-gain" data-ab-gain={track.key}>
                  {track.gainDb === null ? 'unmatched' : `${signed(track.gainDb)} dB`}
                </span>
                <Show
                  when={state()?.status === 'ready'}
                  fallback={
                    <label class="ab-file">
                      <span class="label">
                        {state()?.status === 'decoding' ? 'Decoding…' : `Audio of ${track.label.toLowerCase()}`}
                      </span>
                      <input
                        type="file"
                        accept={AUDIO_ACCEPT}
                        aria-label={`Audio for ${track.label}`}
                        onChange={(e) => {
                          const f = e.currentTarget.files?.[0];
                          if (f) void load(track, f);
                        }}
                      />
                    </label>
                  }
                >
                  <span class="ab-loop">
                    <SecondsInput
                      text="loop"
                      aria={`Loop start of ${track.label} (s)`}
                      value={Number(loop().start.toFixed(2))}
                      onValue={(v) => setLoop(track, 'start', v)}
                    />
                    <SecondsInput
                      text="to"
                      aria={`Loop end of ${track.label} (s)`}
                      value={Number(loop().end.toFixed(2))}
                      onValue={(v) => setLoop(track, 'end', v)}
                    />{' '}
                    s
                  </span>
                </Show>
                <Show when={state()?.status === 'ready' && (state() as Extract<Loaded, { status: 'ready' }>)}>
                  {(s) => (
                    <div class="ab-strip" data-ab-strip={track.key}>
                      <LinePlot
                        title={`${track.label}: drag across to loop`}
                        unit="dBFS"
                        height={84}
                        series={[]}
                        band={waveformBand(s().overview, s().buffer.sampleRate)}
                        x={{
                          min: 0,
                          max: Math.max(track.duration, 0.1),
                          ticks: timeTicks(track.duration, 8),
                          format: formatSeconds,
                        }}
                        y={STRIP_AXIS}
                        region={loops().get(track.key) ?? null}
                        onRegion={(region) => setRegion(track, region)}
                      />
                    </div>
                  )}
                </Show>
                <Show when={state()?.status === 'failed' && (state() as Extract<Loaded, { status: 'failed' }>)}>
                  {(s) => (
                    <span class="problem" role="alert">
                      {s().message}
                    </span>
                  )}
                </Show>
              </li>
            );
          }}
        </For>
      </ul>
      <div class="ab-transport">
        <label class="field">
          <span class="label">From (s, into each loop)</span>
          <input
            type="number"
            min="0"
            step="1"
            aria-label="Start position"
            value={from()}
            onChange={(e) => setFrom(Math.max(0, Number(e.currentTarget.value) || 0))}
          />
        </label>
        <Show
          when={playing()}
          fallback={
            <button
              class="button primary"
              type="button"
              aria-keyshortcuts="Space"
              disabled={ready().length === 0}
              onClick={() => void play()}
            >
              Play A/B
            </button>
          }
        >
          <button class="button" type="button" aria-keyshortcuts="Space" onClick={stop}>
            Stop A/B
          </button>
        </Show>
        <span
          class="ab-status"
          role="status"
          data-ab-selected={selected()}
          data-ab-playing={playing() ? 'yes' : 'no'}
          data-ab-switch-at={switchAt() ?? ''}
        >
          {playing()
            ? `Hearing ${props.tracks.find((t) => t.key === selected())?.label ?? ''}`
            : `${ready().length} of ${props.tracks.length} tracks loaded`}
        </span>
      </div>
      <Show when={problem()}>
        {(p) => (
          <p class="problem" role="alert">
            {p()}
          </p>
        )}
      </Show>
    </section>
  );
}

/**
 * The result's plots: loudness over time, the waveform overview with clipping and overs marked,
 * the averaged spectrum, 1/3-octave bands, tonal balance, and correlation over time beside the
 * goniometer. Every time plot shows the playhead, seeks on a click and sets the loop region on a
 * drag.
 */
import { Show } from 'solid-js';
import type { AnalysisResult } from '../../core/dsp/result-schema.ts';
import { Goniometer } from './Goniometer.tsx';
import { autoAxis, BarPlot, formatHz, formatSeconds, LinePlot, timeTicks, type TimeRegion } from './plots.tsx';
import { waveformBand, waveformEvents, WAVEFORM_AXIS } from './waveform.ts';

/** At most `max` points: every k-th value (the series are 10 Hz; a few thousand points is plenty). */
function thin<T>(values: T[], max = 1500): [number, T][] {
  const step = Math.max(1, Math.ceil(values.length / max));
  const out: [number, T][] = [];
  for (let i = 0; i < values.length; i += step) out.push([i, values[i]!]);
  return out;
}

/**
 * `targetLufs` draws the target's level on the loudness plot; `marker` is the playhead (or the
 * time last picked); clicking a time plot calls `onSeek` with the time under the pointer.
 */
export function ResultPlots(props: {
  result: AnalysisResult;
  targetLufs?: number;
  targetName?: string;
  marker?: number | null;
  onSeek?: (t: number) => void;
  region?: TimeRegion | null;
  onRegion?: (region: TimeRegion) => void;
}) {
  const r = () => props.result;
  const interval = () => r().loudness.series.interval.value;
  const duration = () => Math.max(1, r().file.duration.value);
  const overTime = (values: (number | null)[]) =>
    thin(values).map(([i, v]): [number, number | null] => [(i + 1) * interval(), v]);
  const spectrumPoints = () => {
    const bin = r().spectrum.binWidth.value;
    const avg = r().spectrum.average.value;
    // Log-spaced points: one per ~1/48 octave is enough for a screen-wide plot.
    const out: [number, number | null][] = [];
    let lastF = 0;
    avg.forEach((v, k) => {
      const f = k * bin;
      if (f >= 20 && f <= 20000 && f >= lastF * 1.0145) {
        out.push([f, v]);
        lastF = f;
      }
    });
    return out;
  };
  /** Seek and loop handlers for a time plot, only those the page offers (the marker and region are passed as props, which stay reactive). */
  const timeHandlers = () => ({
    ...(props.onSeek ? { onPick: props.onSeek } : {}),
    ...(props.onRegion ? { onRegion: props.onRegion } : {}),
  });
  const timeAxis = () => ({ min: 0, max: duration(), ticks: timeTicks(duration()), format: formatSeconds });
  const tonal = () => Object.entries(r().spectrum.tonalBalance).map(([k, f]) => ({ label: k, value: f.value }));
  return (
    <div class="plots">
      <LinePlot
        title="Loudness over time"
        unit="LUFS"
        {...timeHandlers()}
        marker={props.marker ?? null}
        region={props.region ?? null}
        guides={[
          ...(r().loudness.integrated.value === null
            ? []
            : [
                {
                  value: r().loudness.integrated.value!,
                  label: `integrated ${r().loudness.integrated.value!.toFixed(1)}`,
                  color: 'var(--text)',
                },
              ]),
          ...(props.targetLufs === undefined
            ? []
            : [
                {
                  value: props.targetLufs,
                  label: `${props.targetName ?? 'target'} ${props.targetLufs}`,
                  color: 'var(--danger)',
                },
              ]),
        ]}
        series={[
          { label: 'momentary', color: 'var(--accent-2)', points: overTime(r().loudness.series.momentary.value) },
          { label: 'short-term', color: 'var(--accent)', points: overTime(r().loudness.series.shortTerm.value) },
        ]}
        x={timeAxis()}
        y={autoAxis(
          [...r().loudness.series.momentary.value, r().loudness.integrated.value, props.targetLufs ?? null],
          2,
          -70,
          0,
        )}
      />
      <Show when={r().overview}>
        {(overview) => (
          <LinePlot
            title="Waveform (peaks)"
            unit="dBFS"
            {...timeHandlers()}
            marker={props.marker ?? null}
            region={props.region ?? null}
            series={[]}
            band={waveformBand(overview(), r().file.sampleRate.value)}
            events={waveformEvents(r())}
            x={timeAxis()}
            y={WAVEFORM_AXIS}
          />
        )}
      </Show>
      <Show when={r().stereo}>
        {(stereo) => (
          <div class="stereo-plots">
            <LinePlot
              title="Correlation over time"
              unit="ratio"
              {...timeHandlers()}
              marker={props.marker ?? null}
              region={props.region ?? null}
              series={[
                { label: 'correlation', color: 'var(--ok)', points: overTime(stereo().correlationSeries.value) },
              ]}
              x={timeAxis()}
              y={{ min: -1, max: 1, ticks: [-1, -0.5, 0, 0.5, 1] }}
            />
            <Show when={r().overview?.goniometer}>
              {(g) => (
                <Goniometer
                  size={g().size}
                  rangeDb={g().rangeDb}
                  density={g().density}
                  correlation={stereo().correlation.value}
                />
              )}
            </Show>
          </div>
        )}
      </Show>
      <LinePlot
        title="Average spectrum"
        unit="dBFS"
        series={[{ label: 'average', color: 'var(--accent-2)', points: spectrumPoints() }]}
        x={{
          min: 20,
          max: 20000,
          log: true,
          ticks: [20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000],
          format: formatHz,
        }}
        y={{ min: -120, max: 0, ticks: [-120, -96, -72, -48, -24, 0] }}
      />
      <BarPlot
        title="1/3-octave bands"
        unit="dBFS"
        color="var(--accent-2)"
        labelEvery={3}
        bars={r().spectrum.thirdOctaveCentres.value.map((fc, i) => ({
          label: formatHz(fc),
          value: r().spectrum.thirdOctave.value[i] ?? null,
        }))}
        y={{ min: -90, max: 0, ticks: [-90, -60, -30, 0] }}
      />
      <BarPlot
        title="Tonal balance (share of energy)"
        unit="dB"
        color="var(--accent)"
        bars={tonal()}
        y={{ min: -40, max: 0, ticks: [-40, -30, -20, -10, 0] }}
      />
    </div>
  );
}

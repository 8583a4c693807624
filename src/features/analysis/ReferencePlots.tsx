/**
 * The compare view's overlays: short-term loudness over time of the mix and every reference;
 * the 1/3-octave spectrum and the tonal balance of each, with the difference (reference − mix)
 * as its own plot. References are drawn at matched loudness (shifted by their level-match
 * gain), so the spectrum difference shows tone, not level; tonal balance is a share of the
 * track's own energy and needs no shift.
 */
import type { AnalysisResult } from '../../core/dsp/result-schema.ts';
import { autoAxis, formatHz, formatSeconds, LinePlot, timeTicks, type Series } from './plots.tsx';

/** The mix's colour, then one per reference (cycled past eight). */
export const MIX_COLOR = 'var(--accent-2)';
const REF_COLORS = ['var(--accent)', 'var(--ok)', 'var(--focus)', 'var(--danger)', 'var(--muted)'];
export const refColor = (i: number) => REF_COLORS[i % REF_COLORS.length]!;

const BANDS = ['sub', 'low', 'lowMid', 'mid', 'highMid', 'presence', 'air'] as const;
const BAND_LABELS = ['sub', 'low', 'low-mid', 'mid', 'high-mid', 'presence', 'air'];

function thinSeries(values: (number | null)[], interval: number, max = 800): [number, number | null][] {
  const step = Math.max(1, Math.ceil(values.length / max));
  const out: [number, number | null][] = [];
  for (let i = 0; i < values.length; i += step) out.push([(i + 1) * interval, values[i] ?? null]);
  return out;
}

const shift = (v: number | null, db: number) => (v === null ? null : v + db);
/**
 * a − b, or null where either is undefined or below `floor`: the difference of two bands
 * that hold only rounding noise (a tone's empty bands at -130 dB) is not a tonal difference.
 */
const minus = (a: number | null | undefined, b: number | null | undefined, floor: number) =>
  a === null || a === undefined || b === null || b === undefined || a < floor || b < floor ? null : a - b;
/** Band levels (dBFS) and tonal shares (dB) below these are left out of the difference curves. */
const BAND_FLOOR_DBFS = -100;
const TONAL_FLOOR_DB = -60;

export function ReferencePlots(props: {
  mix: AnalysisResult;
  references: { name: string; result: AnalysisResult }[];
  matchGainDb: (number | null)[];
}) {
  const centres = () => props.mix.spectrum.thirdOctaveCentres.value;
  /** A reference's 1/3-octave levels at matched loudness, on the mix's band centres. */
  const refBands = (r: AnalysisResult, i: number) => {
    const byCentre = new Map(r.spectrum.thirdOctaveCentres.value.map((c, k) => [c, r.spectrum.thirdOctave.value[k]]));
    return centres().map((c) => shift(byCentre.get(c) ?? null, props.matchGainDb[i] ?? 0));
  };
  const bandPoints = (values: (number | null)[]) =>
    centres().map((c, k): [number, number | null] => [c, values[k] ?? null]);
  const tonal = (r: AnalysisResult) => BANDS.map((b) => r.spectrum.tonalBalance[b].value);
  const duration = () =>
    Math.max(1, props.mix.file.duration.value, ...props.references.map((r) => r.result.file.duration.value));
  const loudness = (): Series[] => [
    {
      label: 'mix',
      color: MIX_COLOR,
      points: thinSeries(props.mix.loudness.series.shortTerm.value, props.mix.loudness.series.interval.value),
    },
    ...props.references.map((r, i) => ({
      label: `ref ${i + 1}`,
      color: refColor(i),
      points: thinSeries(r.result.loudness.series.shortTerm.value, r.result.loudness.series.interval.value),
    })),
  ];
  const spectrum = (): Series[] => [
    { label: 'mix', color: MIX_COLOR, points: bandPoints(props.mix.spectrum.thirdOctave.value) },
    ...props.references.map((r, i) => ({
      label: `ref ${i + 1}`,
      color: refColor(i),
      points: bandPoints(refBands(r.result, i)),
    })),
  ];
  const spectrumDiff = (): Series[] =>
    props.references.map((r, i) => {
      const ref = refBands(r.result, i);
      return {
        label: `ref ${i + 1} − mix`,
        color: refColor(i),
        points: bandPoints(props.mix.spectrum.thirdOctave.value.map((m, k) => minus(ref[k], m, BAND_FLOOR_DBFS))),
      };
    });
  const tonalSeries = (): Series[] => [
    { label: 'mix', color: MIX_COLOR, points: tonal(props.mix).map((v, k) => [k, v]) },
    ...props.references.map((r, i) => ({
      label: `ref ${i + 1}`,
      color: refColor(i),
      points: tonal(r.result).map((v, k): [number, number | null] => [k, v]),
    })),
  ];
  const tonalDiff = (): Series[] =>
    props.references.map((r, i) => {
      const ref = tonal(r.result);
      return {
        label: `ref ${i + 1} − mix`,
        color: refColor(i),
        points: tonal(props.mix).map((m, k): [number, number | null] => [k, minus(ref[k], m, TONAL_FLOOR_DB)]),
      };
    });
  const values = (series: Series[]) => series.flatMap((s) => s.points.map(([, v]) => v));
  const freqAxis = {
    min: 20,
    max: 20000,
    log: true,
    ticks: [20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000],
    format: formatHz,
  };
  const bandAxis = { min: 0, max: 6, ticks: [0, 1, 2, 3, 4, 5, 6], format: (v: number) => BAND_LABELS[v] ?? '' };
  const diffAxis = (series: Series[]) => autoAxis([...values(series), 0], 1, -30, 30);
  return (
    <div class="plots reference-plots">
      <LinePlot
        title="Short-term loudness over time"
        unit="LUFS"
        series={loudness()}
        x={{ min: 0, max: duration(), ticks: timeTicks(duration()), format: formatSeconds }}
        y={autoAxis(values(loudness()), 2, -70, 0)}
      />
      <LinePlot
        title="1/3-octave spectrum (references at matched loudness)"
        unit="dBFS"
        series={spectrum()}
        x={freqAxis}
        y={autoAxis(values(spectrum()), 3, -120, 0)}
      />
      <LinePlot
        title="1/3-octave difference (ref − mix)"
        unit="dB"
        series={spectrumDiff()}
        guides={[{ value: 0, label: 'same', color: 'var(--muted)' }]}
        x={freqAxis}
        y={diffAxis(spectrumDiff())}
      />
      <LinePlot
        title="Tonal balance (share of energy)"
        unit="dB"
        series={tonalSeries()}
        x={bandAxis}
        y={autoAxis(values(tonalSeries()), 2, -60, 0)}
      />
      <LinePlot
        title="Tonal balance difference (ref − mix)"
        unit="dB"
        series={tonalDiff()}
        guides={[{ value: 0, label: 'same', color: 'var(--muted)' }]}
        x={bandAxis}
        y={diffAxis(tonalDiff())}
      />
    </div>
  );
}

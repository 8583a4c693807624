/**
 * Small hand-written SVG plots for the result: lines over time or over log frequency, and
 * bars. They scale to their container's width (viewBox) and label their axes in text, so
 * they read in a screenshot, in print and for a screen reader (role="img" + aria-label).
 */
import { For, Show } from 'solid-js';

const W = 640, H = 180, L = 44, R = 8, T = 10, B = 24;

export interface Series { label: string; color: string; points: [number, number | null][] }

interface Axis { min: number; max: number; log?: boolean; ticks: number[]; format?: (v: number) => string }

function scaler(axis: Axis, from: number, to: number): (v: number) => number {
  const f = axis.log ? Math.log10 : (v: number) => v;
  const a = f(axis.min), b = f(axis.max);
  return (v) => from + ((f(v) - a) / (b - a)) * (to - from);
}

/** Polyline path with gaps where a value is null; y is clamped to the axis. */
function path(points: [number, number | null][], x: (v: number) => number, y: (v: number) => number, yAxis: Axis): string {
  let d = '', pen = false;
  for (const [px, py] of points) {
    if (py === null || !Number.isFinite(py)) { pen = false; continue; }
    const cy = Math.max(yAxis.min, Math.min(yAxis.max, py));
    d += `${pen ? 'L' : 'M'}${x(px).toFixed(1)},${y(cy).toFixed(1)}`;
    pen = true;
  }
  return d;
}

export function LinePlot(props: { title: string; series: Series[]; x: Axis; y: Axis; unit: string }) {
  const x = () => scaler(props.x, L, W - R);
  const y = () => scaler(props.y, H - B, T);
  return (
    <figure class="plot">
      <figcaption>{props.title}<For each={props.series}>{(s) => <span class="legend" style={{ '--c': s.color }}>{s.label}</span>}</For></figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`${props.title} (${props.unit})`}>
        <For each={props.y.ticks}>{(t) => (
          <g class="grid"><line x1={L} x2={W - R} y1={y()(t)} y2={y()(t)} /><text x={L - 4} y={y()(t) + 4} text-anchor="end">{(props.y.format ?? String)(t)}</text></g>
        )}</For>
        <For each={props.x.ticks}>{(t) => (
          <g class="grid"><line x1={x()(t)} x2={x()(t)} y1={T} y2={H - B} /><text x={x()(t)} y={H - 6} text-anchor="middle">{(props.x.format ?? String)(t)}</text></g>
        )}</For>
        <For each={props.series}>{(s) => <path d={path(s.points, x(), y(), props.y)} stroke={s.color} fill="none" stroke-width="1.5" vector-effect="non-scaling-stroke" />}</For>
      </svg>
    </figure>
  );
}

export interface Bar { label: string; value: number | null }

/** Bars from the axis floor up to each value (values below the floor show as empty). */
export function BarPlot(props: { title: string; bars: Bar[]; y: Axis; unit: string; color: string; labelEvery?: number }) {
  const y = () => scaler(props.y, H - B, T);
  const width = () => (W - L - R) / Math.max(1, props.bars.length);
  return (
    <figure class="plot">
      <figcaption>{props.title}</figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`${props.title} (${props.unit})`}>
        <For each={props.y.ticks}>{(t) => (
          <g class="grid"><line x1={L} x2={W - R} y1={y()(t)} y2={y()(t)} /><text x={L - 4} y={y()(t) + 4} text-anchor="end">{(props.y.format ?? String)(t)}</text></g>
        )}</For>
        <For each={props.bars}>{(bar, i) => {
          const v = () => (bar.value === null ? props.y.min : Math.max(props.y.min, Math.min(props.y.max, bar.value)));
          return (
            <g>
              <rect x={L + i() * width() + 1} width={Math.max(1, width() - 2)} y={y()(v())} height={Math.max(0, H - B - y()(v()))} fill={props.color}>
                <title>{`${bar.label}: ${bar.value === null ? 'n/a' : bar.value.toFixed(1)} ${props.unit}`}</title>
              </rect>
              <Show when={i() % (props.labelEvery ?? 1) === 0}>
                <text class="bar-label" x={L + (i() + 0.5) * width()} y={H - 6} text-anchor="middle">{bar.label}</text>
              </Show>
            </g>
          );
        }}</For>
      </svg>
    </figure>
  );
}

export const formatHz = (f: number) => (f >= 1000 ? `${f / 1000}k` : String(f));
export const formatSeconds = (s: number) => (s >= 60 ? `${Math.floor(s / 60)}:${String(Math.round(s % 60)).padStart(2, '0')}` : `${s}s`);

/** About `count` round tick positions between 0 and `max`. */
export function timeTicks(max: number, count = 6): number[] {
  const steps = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 1200, 1800, 3600];
  const step = steps.find((s) => max / s <= count) ?? 3600;
  const out: number[] = [];
  for (let t = 0; t <= max + 1e-9; t += step) out.push(t);
  return out;
}

/**
 * Small hand-written SVG plots for the result: lines over time or over log frequency, and
 * bars. They scale to their container's width (viewBox) and label their axes in text, so
 * they read in a screenshot, in print and for a screen reader (role="img" + aria-label).
 */
import { createMemo, createSignal, For, onCleanup, onMount, Show } from 'solid-js';

/** Width in SVG units of the tick drawn for a value with no neighbour (see path). */
const LONE_POINT_TICK = 6;
const W = 640,
  H = 180,
  L = 44,
  R = 8,
  T = 10,
  B = 24;
/** Below this drawn width the plot keeps a scaled viewBox rather than cramming its labels. */
const MIN_WIDTH = 280;

export interface Series {
  label: string;
  color: string;
  points: [number, number | null][];
}

interface Axis {
  min: number;
  max: number;
  log?: boolean;
  ticks: number[];
  format?: (v: number) => string;
}

function scaler(axis: Axis, from: number, to: number): (v: number) => number {
  const f = axis.log ? Math.log10 : (v: number) => v;
  const a = f(axis.min),
    b = f(axis.max);
  return (v) => from + ((f(v) - a) / (b - a)) * (to - from);
}

/**
 * Polyline path with gaps where a value is null; y is clamped to the axis. A value with a gap on
 * both sides (one 1/3-octave band where both tracks have energy) would be a lone moveto, which
 * draws nothing: it gets a short horizontal tick through it instead.
 */
function path(
  points: [number, number | null][],
  x: (v: number) => number,
  y: (v: number) => number,
  yAxis: Axis,
): string {
  let d = '',
    run = 0;
  const endRun = () => {
    if (run === 1) d += `m-${LONE_POINT_TICK / 2},0h${LONE_POINT_TICK}`;
    run = 0;
  };
  for (const [px, py] of points) {
    if (py === null || !Number.isFinite(py)) {
      endRun();
      continue;
    }
    const cy = Math.max(yAxis.min, Math.min(yAxis.max, py));
    d += `${run === 0 ? 'M' : 'L'}${x(px).toFixed(1)},${y(cy).toFixed(1)}`;
    run++;
  }
  endRun();
  return d;
}

/** A horizontal reference line (the integrated loudness, the target). */
export interface Guide {
  value: number;
  label: string;
  color: string;
}

/** The tick label's anchor: labels at the plot's edges align inward so none is cut off. */
function anchorFor(px: number, width: number): 'start' | 'middle' | 'end' {
  return px > width - R - 20 ? 'end' : px < L + 20 ? 'start' : 'middle';
}

/** A span of time (seconds): the loop region. */
export interface TimeRegion {
  start: number;
  end: number;
}

/** A filled band between a lower and an upper line (the waveform's peak envelope). */
export interface Band {
  label: string;
  color: string;
  lower: [number, number][];
  upper: [number, number][];
  /** The readout for the band's values under the pointer. */
  describe: (lower: number, upper: number) => string;
}

/** Instants marked along the plot's top (or bottom) edge: clipping runs, overs. */
export interface EventMarks {
  kind: string;
  label: string;
  times: number[];
  edge: 'top' | 'bottom';
}

/** The band as one closed path: along the upper line, back along the lower one. */
function bandPath(band: Band, x: (v: number) => number, y: (v: number) => number, yAxis: Axis): string {
  const clamp = (v: number) => Math.max(yAxis.min, Math.min(yAxis.max, v));
  let d = '';
  band.upper.forEach(([px, py], i) => (d += `${i ? 'L' : 'M'}${x(px).toFixed(1)},${y(clamp(py)).toFixed(1)}`));
  for (let i = band.lower.length - 1; i >= 0; i--) {
    const [px, py] = band.lower[i]!;
    d += `L${x(px).toFixed(1)},${y(clamp(py)).toFixed(1)}`;
  }
  return d ? `${d}Z` : '';
}

/** The point of `points` nearest to x (points sorted by x). */
function nearest<T>(points: [number, T][], x: number): [number, T] | undefined {
  let lo = 0,
    hi = points.length - 1;
  if (hi < 0) return undefined;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (points[mid]![0] < x) lo = mid;
    else hi = mid;
  }
  return Math.abs(points[lo]![0] - x) <= Math.abs(points[hi]![0] - x) ? points[lo] : points[hi];
}

/** Pointer travel (CSS px) below which a press and release is a click, not a drag. */
const DRAG_THRESHOLD_PX = 5;

/**
 * A line plot. Optional: horizontal guides, a filled band, event marks, a vertical marker (the
 * playhead or the last time picked), `onPick` with the x value under a click (seeking),
 * `onRegion` with the span dragged over (looping) and `region` drawn shaded, and a readout of
 * the values under the pointer in the caption.
 */
export function LinePlot(props: {
  title: string;
  series: Series[];
  x: Axis;
  y: Axis;
  unit: string;
  guides?: Guide[];
  band?: Band;
  events?: EventMarks[];
  marker?: number | null;
  onPick?: (x: number) => void;
  region?: TimeRegion | null;
  onRegion?: (region: TimeRegion) => void;
  height?: number;
}) {
  const h = () => props.height ?? H;
  // The parents pass computed props (axes from the data, series mapped from the result): a
  // getter runs its expression on every read, and the plot reads each many times per render
  // (an axis over 2,400 loudness values was computed ~10 times). Read each once.
  const xAxis = createMemo(() => props.x);
  const yAxis = createMemo(() => props.y);
  const series = createMemo(() => props.series);
  const guides = createMemo(() => props.guides ?? []);
  const band = createMemo(() => props.band);
  const events = createMemo(() => props.events);
  // The viewBox follows the drawn width, so text stays at its CSS size and the height stays h()
  // pixels at any width (a fixed viewBox would scale labels with the plot).
  const [w, setW] = createSignal(W);
  let svg: SVGSVGElement | undefined;
  onMount(() => {
    if (typeof ResizeObserver !== 'function' || !svg) return;
    const observer = new ResizeObserver((entries) => {
      const width = Math.round(entries[0]?.contentRect.width ?? 0);
      if (width >= MIN_WIDTH && width !== w()) setW(width);
    });
    observer.observe(svg);
    onCleanup(() => observer.disconnect());
  });
  const x = () => scaler(xAxis(), L, w() - R);
  const y = () => scaler(yAxis(), h() - B, T);
  const [hover, setHover] = createSignal<number | null>(null);
  const [drag, setDrag] = createSignal<TimeRegion | null>(null);
  let press: { x: number; clientX: number } | null = null;
  /** The x value under a pointer event (inverse of the scaler; the SVG scales with its box); null outside the plot area unless clamped. */
  const xAt = (e: MouseEvent, clamp = false): number | null => {
    const box = (e.currentTarget as SVGSVGElement).getBoundingClientRect();
    let px = ((e.clientX - box.left) / box.width) * w();
    if (px < L || px > w() - R) {
      if (!clamp) return null;
      px = Math.max(L, Math.min(w() - R, px));
    }
    const f = (px - L) / (w() - R - L);
    return xAxis().log
      ? Math.pow(10, Math.log10(xAxis().min) + f * (Math.log10(xAxis().max) - Math.log10(xAxis().min)))
      : xAxis().min + f * (xAxis().max - xAxis().min);
  };
  const onDown = (e: PointerEvent) => {
    if (e.button !== 0 || (!props.onPick && !props.onRegion)) return;
    const v = xAt(e);
    if (v === null) return;
    press = { x: v, clientX: e.clientX };
    (e.currentTarget as SVGSVGElement).setPointerCapture?.(e.pointerId);
  };
  const onMove = (e: PointerEvent) => {
    setHover(xAt(e));
    if (press && props.onRegion && Math.abs(e.clientX - press.clientX) > DRAG_THRESHOLD_PX) {
      const v = xAt(e, true)!;
      setDrag({ start: Math.min(press.x, v), end: Math.max(press.x, v) });
    }
  };
  const onUp = () => {
    if (!press) return;
    const dragged = drag();
    const at = press.x;
    press = null;
    setDrag(null);
    if (dragged && dragged.end > dragged.start) props.onRegion?.(dragged);
    else props.onPick?.(at);
  };
  const shown = () => drag() ?? props.region ?? null;
  const readout = () => {
    const at = hover();
    if (at === null) return '';
    const values = series().map((s) => {
      const best = nearest(s.points, at);
      return `${s.label} ${best?.[1] === null || best === undefined ? 'n/a' : best[1].toFixed(props.unit === 'ratio' ? 2 : 1)}`;
    });
    const bandNow = band();
    if (bandNow) {
      const lo = nearest(bandNow.lower, at),
        hi = nearest(bandNow.upper, at);
      if (lo && hi) values.push(bandNow.describe(lo[1], hi[1]));
    }
    const unit = props.unit === 'ratio' || bandNow ? '' : ` ${props.unit}`;
    return `${(xAxis().format ?? String)(xAxis().log ? Math.round(at) : Math.round(at * 10) / 10)}: ${values.join(', ')}${unit}`;
  };
  /** Event marks thinned to one per SVG unit of width (thousands of clipping runs draw as a few hundred lines). */
  const marks = () =>
    (events() ?? []).flatMap((ev) => {
      const seen = new Set<number>();
      const out: { kind: string; px: number; t: number; edge: 'top' | 'bottom' }[] = [];
      for (const t of ev.times) {
        if (t < xAxis().min || t > xAxis().max) continue;
        const px = Math.round(x()(t));
        if (seen.has(px)) continue;
        seen.add(px);
        out.push({ kind: ev.kind, px, t, edge: ev.edge });
      }
      return out;
    });
  return (
    <figure class="plot" classList={{ pickable: !!props.onPick, draggable: !!props.onRegion }}>
      <figcaption>
        {props.title} <span class="unit">({props.unit})</span>
        <For each={series()}>
          {(s) => (
            <span class="legend" style={{ '--c': s.color }}>
              {s.label}
            </span>
          )}
        </For>
        <Show when={band()}>
          {(band) => (
            <span class="legend" style={{ '--c': band().color }}>
              {band().label}
            </span>
          )}
        </Show>
        <For each={guides()}>
          {(g) => (
            <span class="legend guide" style={{ '--c': g.color }}>
              {g.label}
            </span>
          )}
        </For>
        <For each={events() ?? []}>{(ev) => <span class={`legend mark-legend ${ev.kind}`}>{ev.label}</span>}</For>
        <span class="readout" aria-live="off">
          {readout()}
        </span>
      </figcaption>
      <svg
        ref={svg}
        viewBox={`0 0 ${w()} ${h()}`}
        role="img"
        aria-label={`${props.title} (${props.unit})`}
        onPointerDown={onDown}
        onPointerMove={onMove}
        onPointerUp={onUp}
        onPointerCancel={() => {
          press = null;
          setDrag(null);
        }}
        onPointerLeave={() => setHover(null)}
      >
        <For each={yAxis().ticks}>
          {(t) => (
            <g class="grid">
              <line x1={L} x2={w() - R} y1={y()(t)} y2={y()(t)} />
              <text x={L - 4} y={y()(t) + 4} text-anchor="end">
                {(yAxis().format ?? String)(t)}
              </text>
            </g>
          )}
        </For>
        <For each={xAxis().ticks}>
          {(t) => (
            <g class="grid">
              <line x1={x()(t)} x2={x()(t)} y1={T} y2={h() - B} />
              <text class="x-tick" x={x()(t)} y={h() - 6} text-anchor={anchorFor(x()(t), w())}>
                {(xAxis().format ?? String)(t)}
              </text>
            </g>
          )}
        </For>
        <Show when={shown()}>
          {(reg) => (
            <rect
              class="loop-region"
              classList={{ dragging: drag() !== null }}
              data-start={reg().start.toFixed(2)}
              data-end={reg().end.toFixed(2)}
              x={x()(Math.max(xAxis().min, reg().start))}
              width={Math.max(1, x()(Math.min(xAxis().max, reg().end)) - x()(Math.max(xAxis().min, reg().start)))}
              y={T}
              height={h() - B - T}
            />
          )}
        </Show>
        <Show when={band()}>
          {(band) => (
            <path class="band" d={bandPath(band(), x(), y(), yAxis())} fill={band().color} stroke={band().color} />
          )}
        </Show>
        <For each={guides().filter((g) => g.value >= yAxis().min && g.value <= yAxis().max)}>
          {(g) => (
            <line
              class="guide"
              x1={L}
              x2={w() - R}
              y1={y()(g.value)}
              y2={y()(g.value)}
              stroke={g.color}
              stroke-dasharray="6 4"
              vector-effect="non-scaling-stroke"
            />
          )}
        </For>
        <For each={series()}>
          {(s) => (
            <path
              d={path(s.points, x(), y(), yAxis())}
              stroke={s.color}
              fill="none"
              stroke-width="1.5"
              vector-effect="non-scaling-stroke"
            />
          )}
        </For>
        <For each={marks()}>
          {(m) => (
            <line
              class={`event-mark ${m.kind}`}
              data-at={m.t.toFixed(3)}
              x1={m.px}
              x2={m.px}
              y1={m.edge === 'top' ? T : h() - B - 8}
              y2={m.edge === 'top' ? T + 8 : h() - B}
              vector-effect="non-scaling-stroke"
            />
          )}
        </For>
        <Show
          when={
            props.marker !== undefined &&
            props.marker !== null &&
            props.marker >= xAxis().min &&
            props.marker <= xAxis().max
          }
        >
          <line
            class="playhead"
            data-playhead={props.marker!.toFixed(2)}
            x1={x()(props.marker!)}
            x2={x()(props.marker!)}
            y1={T}
            y2={h() - B}
            vector-effect="non-scaling-stroke"
          />
        </Show>
        <Show when={hover() !== null}>
          <line
            class="hover-line"
            x1={x()(hover()!)}
            x2={x()(hover()!)}
            y1={T}
            y2={h() - B}
            vector-effect="non-scaling-stroke"
          />
        </Show>
      </svg>
    </figure>
  );
}

/** Round ticks every 3, 6, 10 or 20 units covering [min, max], with the range widened to them. */
export function autoAxis(
  values: (number | null)[],
  pad: number,
  floor: number,
  ceiling: number,
): { min: number; max: number; ticks: number[] } {
  let lo = Infinity,
    hi = -Infinity;
  for (const v of values)
    if (v !== null && Number.isFinite(v)) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
  if (lo === Infinity) return { min: floor, max: ceiling, ticks: [floor, ceiling] };
  lo = Math.max(floor, lo - pad);
  hi = Math.min(ceiling, hi + pad);
  const span = Math.max(1, hi - lo);
  const step = [3, 6, 10, 20].find((s) => span / s <= 6) ?? 20;
  const min = Math.floor(lo / step) * step,
    max = Math.ceil(hi / step) * step;
  const ticks: number[] = [];
  for (let t = min; t <= max + 1e-9; t += step) ticks.push(t);
  return { min, max: max > min ? max : min + step, ticks };
}

export interface Bar {
  label: string;
  value: number | null;
}

/** Bars from the axis floor up to each value (values below the floor show as empty). */
export function BarPlot(props: {
  title: string;
  bars: Bar[];
  y: Axis;
  unit: string;
  color: string;
  labelEvery?: number;
}) {
  const yAxis = createMemo(() => props.y);
  const y = () => scaler(yAxis(), H - B, T);
  const width = () => (W - L - R) / Math.max(1, props.bars.length);
  return (
    <figure class="plot">
      <figcaption>{props.title}</figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`${props.title} (${props.unit})`}>
        <For each={yAxis().ticks}>
          {(t) => (
            <g class="grid">
              <line x1={L} x2={W - R} y1={y()(t)} y2={y()(t)} />
              <text x={L - 4} y={y()(t) + 4} text-anchor="end">
                {(yAxis().format ?? String)(t)}
              </text>
            </g>
          )}
        </For>
        <For each={props.bars}>
          {(bar, i) => {
            const v = () =>
              bar.value === null ? yAxis().min : Math.max(yAxis().min, Math.min(yAxis().max, bar.value));
            return (
              <g>
                <rect
                  x={L + i() * width() + 1}
                  width={Math.max(1, width() - 2)}
                  y={y()(v())}
                  height={Math.max(0, H - B - y()(v()))}
                  fill={props.color}
                >
                  <title>{`${bar.label}: ${bar.value === null ? 'n/a' : bar.value.toFixed(1)} ${props.unit}`}</title>
                </rect>
                <Show when={i() % (props.labelEvery ?? 1) === 0}>
                  <text class="bar-label" x={L + (i() + 0.5) * width()} y={H - 6} text-anchor="middle">
                    {bar.label}
                  </text>
                </Show>
              </g>
            );
          }}
        </For>
      </svg>
    </figure>
  );
}

export const formatHz = (f: number) => (f >= 1000 ? `${f / 1000}k` : String(f));
/** 0 s, 30 s, 1:00, 1:30 …: minutes and seconds from a minute up (seconds never round to 60). */
export const formatSeconds = (s: number) =>
  s >= 60 ? `${Math.floor(s / 60)}:${String(Math.floor(s % 60)).padStart(2, '0')}` : `${Math.round(s * 10) / 10} s`;

/** About `count` round tick positions between 0 and `max`. */
export function timeTicks(max: number, count = 6): number[] {
  const steps = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 1200, 1800, 3600];
  const step = steps.find((s) => max / s <= count) ?? 3600;
  const out: number[] = [];
  for (let t = 0; t <= max + 1e-9; t += step) out.push(t);
  return out;
}

/**
 * The waveform overview's data for LinePlot: the peak envelope as a band (time in seconds,
 * sample value on a linear scale labelled in dBFS) and the clipping runs and inter-sample overs
 * as marks along its edges.
 */
import { FULL_SCALE } from '../../core/dsp/channel-levels.ts';
import type { OverviewData } from '../../core/dsp/overview.ts';
import type { AnalysisResult } from '../../core/dsp/result-schema.ts';
import type { Band, EventMarks } from './plots.tsx';

const dbfs = (v: number) => (v > 0 ? 20 * Math.log10(v) : -Infinity);
/** A tick's label: the level in dBFS of that sample value (the centre line is silence). */
const tickLabel = (v: number) => (v === 0 ? '−∞' : Math.round(dbfs(Math.abs(v))).toString());

export const WAVEFORM_AXIS = { min: -1, max: 1, ticks: [-1, -0.5, 0, 0.5, 1], format: tickLabel };

export function waveformBand(overview: OverviewData, sampleRate: number): Band {
  const seconds = overview.framesPerColumn / sampleRate;
  // Each column drawn at its middle.
  const at = (i: number) => (i + 0.5) * seconds;
  return {
    label: 'peaks',
    color: 'var(--accent-2)',
    upper: overview.max.map((v, i): [number, number] => [at(i), v]),
    lower: overview.min.map((v, i): [number, number] => [at(i), v]),
    describe: (lo, hi) => {
      const peak = Math.max(Math.abs(lo), Math.abs(hi));
      return `peak ${peak > 0 ? dbfs(peak).toFixed(1) : '−∞'} dBFS`;
    },
  };
}

/**
 * Clipping along the top, overs above 0 dBTP along the bottom. The result lists only the first
 * 1000 clipping runs per channel, so the envelope's columns that reach full scale mark the rest
 * of the file too; overs have no such second source, so only their listed times are marked
 * (the legend says so).
 */
export function waveformEvents(r: AnalysisResult): EventMarks[] {
  const marks: EventMarks[] = [];
  const clips = r.channels.flatMap((c) => c.clipPositions.value.map((p) => p.startSeconds));
  const overview = r.overview;
  if (overview && clips.length > 0) {
    const seconds = overview.framesPerColumn / r.file.sampleRate.value;
    overview.max.forEach((hi, i) => {
      if (hi >= FULL_SCALE || overview.min[i]! <= -FULL_SCALE) clips.push(i * seconds);
    });
  }
  if (clips.length > 0)
    marks.push({
      kind: 'clip-mark',
      label: `clipping, ${r.clipping.runs.value.toLocaleString('en')} runs`,
      times: clips.sort((a, b) => a - b),
      edge: 'top',
    });
  const overs = r.peaks.oversAbove0;
  if (overs.positions.value.length > 0)
    marks.push({
      kind: 'over-mark',
      label:
        overs.count.value > overs.positions.value.length
          ? `overs > 0 dBTP, ${overs.count.value.toLocaleString('en')} (first ${overs.positions.value.length} marked)`
          : `overs > 0 dBTP, ${overs.count.value.toLocaleString('en')}`,
      times: overs.positions.value,
      edge: 'bottom',
    });
  return marks;
}

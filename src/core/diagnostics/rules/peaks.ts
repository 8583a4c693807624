/** Clipping, inter-sample overs and the target's true-peak ceiling. */
import type { Rule } from '../diagnostic.ts';
import { firstTimes, REF } from './common.ts';
import { fixedDigits } from '../../text/fixed-digits.ts';

export const clipping: Rule = {
  id: 'clipping',
  checks: 'runs of 3 or more consecutive full-scale samples',
  reference: REF.clipping,
  run({ result: r }) {
    const runs = r.clipping.runs.value;
    if (runs === 0) return null;
    const starts = firstTimes(r.channels.flatMap((c) => c.clipPositions.value.map((p) => p.startSeconds)));
    return {
      id: 'clipping',
      severity: runs >= 3 ? 'error' : 'warning',
      title: 'Clipped samples',
      message: `${runs.toLocaleString('en')} clipping run${runs === 1 ? '' : 's'} (${r.clipping.samples.value.toLocaleString('en')} samples at full scale), first at ${starts[0]?.toFixed(2) ?? '?'} s: the waveform was flattened, which is audible distortion on transients and cannot be undone downstream.`,
      evidence: [
        { label: 'Clipping runs', value: runs, unit: 'count' },
        { label: 'Clipped samples', value: r.clipping.samples.value, unit: 'samples' },
        { label: 'Sample peak', value: r.peaks.samplePeak.value, unit: 'dBFS' },
      ],
      at: starts,
      fix: 'Re-render from the mix with the master fader or limiter output below full scale (a true-peak limiter at -1 dBTP), rather than clipping the converter or the bounce.',
      reference: REF.clipping,
    };
  },
};

export const interSampleOvers: Rule = {
  id: 'inter-sample-overs',
  checks: 'reconstructed waveform above 0 dBTP between samples',
  reference: REF.bs1770,
  run({ result: r }) {
    const above0 = r.peaks.oversAbove0.count.value;
    if (above0 === 0) return null;
    return {
      id: 'inter-sample-overs',
      severity: 'warning',
      title: 'Inter-sample overs',
      message: `${above0.toLocaleString('en')} over${above0 === 1 ? '' : 's'} above 0 dBTP (${r.peaks.oversAboveMinus1.count.value.toLocaleString('en')} above -1 dBTP); true peak ${r.peaks.truePeak.value?.toFixed(1)} dBTP. A DAC or a lossy encoder will clip these.`,
      evidence: [
        { label: 'Overs above 0 dBTP', value: above0, unit: 'count' },
        { label: 'Overs above -1 dBTP', value: r.peaks.oversAboveMinus1.count.value, unit: 'count' },
        { label: 'True peak', value: r.peaks.truePeak.value, unit: 'dBTP' },
      ],
      at: firstTimes(r.peaks.oversAbove0.positions.value),
      fix: 'Use a true-peak (oversampling) limiter with its ceiling at -1 dBTP, or lower the output by the amount over.',
      reference: REF.bs1770,
    };
  },
};

export const truePeakCeiling: Rule = {
  id: 'true-peak-ceiling',
  checks: "true peak above the target's ceiling",
  reference: REF.target,
  run({ result: r, target: t }) {
    const tp = r.peaks.truePeak.value;
    const lufs = r.loudness.integrated.value;
    if (tp === null) return null;
    // A platform that advises a tighter ceiling for loud masters (the lossy encode overshoots more).
    const ceiling =
      t.kind === 'streaming' && t.loudCeilingDbtp !== null && lufs !== null && lufs > t.referenceLufs
        ? t.loudCeilingDbtp
        : t.truePeakDbtp;
    if (tp <= ceiling) return null;
    const over = tp - ceiling;
    return {
      id: 'true-peak-ceiling',
      severity: t.kind === 'broadcast' ? 'error' : 'warning',
      title: `True peak above ${ceiling} dBTP`,
      message:
        t.kind === 'broadcast'
          ? `True peak ${fixedDigits(tp)} dBTP is ${over.toFixed(1)} dB over the ${t.name} maximum of ${ceiling} dBTP: the delivery will be rejected.`
          : `True peak ${fixedDigits(tp)} dBTP is ${over.toFixed(1)} dB over the ${ceiling} dBTP ${t.name} advises${ceiling !== t.truePeakDbtp ? ' for masters louder than its reference' : ''}: the lossy encode will overshoot and may clip.`,
      evidence: [
        { label: 'True peak', value: tp, unit: 'dBTP' },
        { label: 'Ceiling', value: ceiling, unit: 'dBTP' },
      ],
      at: r.peaks.truePeakAt.value === null ? [] : [r.peaks.truePeakAt.value],
      fix: `Set a true-peak limiter's ceiling to ${ceiling} dBTP (or lower the output by ${over.toFixed(1)} dB).`,
      reference: `${t.name}: ${t.source.url}`,
    };
  },
};

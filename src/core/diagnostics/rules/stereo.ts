/** Stereo rules: polarity, mono compatibility, dual mono and channel balance. Silent for mono files. */
import type { Rule } from '../diagnostic.ts';
import { REF, seriesRuns } from './common.ts';

/** Correlation below this over the whole file: one side is (nearly) polarity-inverted. */
export const POLARITY_CORRELATION = -0.3;
/** Mono sum this many LU below the stereo loudness: parts cancel on a mono speaker. */
export const MONO_LOSS_LU = -3;
/** Side energy this far below mid energy: the two channels are the same signal. */
export const DUAL_MONO_WIDTH_DB = -50;
/** Left/right energy difference that reads as a lopsided mix. */
export const IMBALANCE_DB = 1.5;

export const polarity: Rule = {
  id: 'polarity',
  checks: `overall correlation below ${POLARITY_CORRELATION}, or below 0 under 150 Hz`,
  reference: REF.stereo,
  run({ result: r }) {
    const s = r.stereo;
    if (!s || s.correlation.value === null) return null;
    const c = s.correlation.value,
      low = s.lowBandCorrelation.value;
    const at = seriesRuns(s.correlationSeries.value, 0.1, (v) => v < POLARITY_CORRELATION);
    if (c < POLARITY_CORRELATION) {
      return {
        id: 'polarity',
        severity: 'error',
        title: 'Polarity inverted',
        message: `Left and right correlate at ${c.toFixed(2)}: one side is out of polarity with the other. In mono the mix largely cancels and in stereo it sounds hollow and unlocalised.`,
        evidence: [
          { label: 'Correlation', value: c, unit: 'ratio' },
          { label: 'Correlation below 150 Hz', value: low, unit: 'ratio' },
          { label: 'Mono compatibility', value: s.monoCompatibility.value, unit: 'LU' },
        ],
        at,
        fix: 'Flip the polarity of one channel (or of the offending track or bus) and re-render.',
        reference: REF.stereo,
      };
    }
    if (c < 0 || (low !== null && low < 0)) {
      return {
        id: 'polarity',
        severity: 'warning',
        title: 'Negative correlation',
        message:
          c < 0
            ? `Left and right correlate at ${c.toFixed(2)}: more out of phase than in; the mono sum loses level and low end.`
            : `Below 150 Hz left and right correlate at ${low!.toFixed(2)}: the bass partly cancels in mono and on club systems.`,
        evidence: [
          { label: 'Correlation', value: c, unit: 'ratio' },
          { label: 'Correlation below 150 Hz', value: low, unit: 'ratio' },
        ],
        at,
        fix: 'Look for wideners, phase-shifted doubles or a stereo bass; keep the low end in mono.',
        reference: REF.stereo,
      };
    }
    return null;
  },
};

export const monoCompatibility: Rule = {
  id: 'mono-compatibility',
  checks: `mono sum more than ${-MONO_LOSS_LU} LU quieter than the stereo mix`,
  reference: REF.heuristic,
  run({ result: r }) {
    const m = r.stereo?.monoCompatibility.value;
    if (m === undefined || m === null || m >= MONO_LOSS_LU) return null;
    return {
      id: 'mono-compatibility',
      severity: 'warning',
      title: 'Poor mono compatibility',
      message: `Summed to mono the mix is ${(-m).toFixed(1)} LU quieter (more than ${-MONO_LOSS_LU} LU): on a phone speaker or a mono PA elements will drop out.`,
      evidence: [
        { label: 'Mono compatibility', value: m, unit: 'LU' },
        { label: 'Correlation', value: r.stereo!.correlation.value, unit: 'ratio' },
      ],
      at: [],
      fix: 'Narrow wide-stereo effects and check the mix in mono.',
      reference: REF.heuristic,
    };
  },
};

export const dualMono: Rule = {
  id: 'dual-mono',
  checks: `a stereo file whose side signal is more than ${-DUAL_MONO_WIDTH_DB} dB below its mid`,
  reference: REF.stereo,
  run({ result: r }) {
    const s = r.stereo;
    if (!s || r.loudness.integrated.value === null) return null;
    const w = s.width.value;
    if (w !== null && w > DUAL_MONO_WIDTH_DB) return null;
    return {
      id: 'dual-mono',
      severity: 'info',
      title: 'Stereo file is dual mono',
      message: `The left and right channels are identical${w === null ? '' : ` (side ${(-w).toFixed(0)} dB below mid)`}: this is a mono recording in a stereo file.`,
      evidence: [
        { label: 'Width (side/mid)', value: w, unit: 'dB' },
        { label: 'Correlation', value: s.correlation.value, unit: 'ratio' },
      ],
      at: [],
      fix: 'Fine if intended; otherwise check that the stereo bus, not one channel, was exported.',
      reference: REF.stereo,
    };
  },
};

export const channelImbalance: Rule = {
  id: 'channel-imbalance',
  checks: `left and right energy differ by more than ${IMBALANCE_DB} dB`,
  reference: REF.heuristic,
  run({ result: r }) {
    const b = r.stereo?.balance.value;
    if (b === undefined || b === null || Math.abs(b) <= IMBALANCE_DB) return null;
    return {
      id: 'channel-imbalance',
      severity: 'warning',
      title: 'Channel imbalance',
      message: `The ${b > 0 ? 'left' : 'right'} channel carries ${Math.abs(b).toFixed(1)} dB more energy: the image leans ${b > 0 ? 'left' : 'right'}.`,
      evidence: [{ label: 'Balance (L/R)', value: b, unit: 'dB' }],
      at: [],
      fix: 'Check the master balance and any hard-panned element that dominates.',
      reference: REF.heuristic,
    };
  },
};

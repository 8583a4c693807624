/** Loudness against the target, the platform's normalisation, loudness range and peak-to-loudness ratio. */
import type { Rule } from '../diagnostic.ts';
import { normalisationPreview } from '../normalisation-preview.ts';
import { REF } from './common.ts';
import { fixedDigits } from '../../text/fixed-digits.ts';

export const loudnessOffTarget: Rule = {
  id: 'loudness-off-target',
  checks: "broadcast: integrated loudness outside the target's tolerance",
  reference: `${REF.r128}; ${REF.a85}`,
  run({ result: r, target: t }) {
    if (t.kind !== 'broadcast') return null;
    const lufs = r.loudness.integrated.value;
    if (lufs === null) {
      return {
        id: 'loudness-off-target',
        severity: 'error',
        title: 'No programme loudness',
        message: 'Integrated loudness is undefined (silence, or shorter than 400 ms): the programme cannot be checked.',
        evidence: [],
        at: [],
        fix: 'Check that the right file was exported.',
        reference: `${t.name}: ${t.source.url}`,
      };
    }
    const dev = lufs - t.integratedLufs;
    if (Math.abs(dev) <= t.toleranceLu) return null;
    return {
      id: 'loudness-off-target',
      severity: 'error',
      title: dev > 0 ? 'Too loud for the target' : 'Too quiet for the target',
      message: `Integrated ${lufs.toFixed(1)} LUFS is ${Math.abs(dev).toFixed(1)} LU ${dev > 0 ? 'above' : 'below'} ${t.name}'s ${t.integratedLufs} LUFS (tolerance +-${t.toleranceLu} LU).`,
      evidence: [
        { label: 'Integrated', value: lufs, unit: 'LUFS' },
        { label: 'Target', value: t.integratedLufs, unit: 'LUFS' },
        { label: 'Deviation', value: dev, unit: 'LU' },
      ],
      at: [],
      fix:
        dev > 0
          ? `Lower the programme by ${dev.toFixed(1)} dB (gain, not limiting).`
          : `Raise the programme by ${(-dev).toFixed(1)} dB; keep the true peak at or below ${t.truePeakDbtp} dBTP (a true-peak limiter may be needed).`,
      reference: `${t.name}: ${t.source.url}`,
    };
  },
};

export const normalisation: Rule = {
  id: 'normalisation',
  checks: "streaming: what the platform's loudness normalisation does to the master",
  reference: REF.target,
  run({ result: r, target: t }) {
    if (t.kind !== 'streaming') return null;
    const p = normalisationPreview(r, t);
    const lufs = r.loudness.integrated.value;
    if (p.gainDb === null || lufs === null) return null;
    // Played well below the reference (never raised, or raised only part way): quieter than neighbours.
    const playsQuiet = p.playedLufs !== null && p.playedLufs < t.referenceLufs - 2;
    const peakOver = p.gainDb > 0 && p.peakAfterDbtp !== null && p.peakAfterDbtp > 0;
    return {
      id: 'normalisation',
      severity: playsQuiet || peakOver ? 'warning' : 'info',
      title: playsQuiet ? `Plays quieter than other tracks on ${t.name}` : `${t.name} normalisation`,
      message: p.sentence,
      evidence: [
        { label: 'Integrated', value: lufs, unit: 'LUFS' },
        { label: 'Reference', value: t.referenceLufs, unit: 'LUFS' },
        { label: 'Gain applied', value: p.gainDb, unit: 'dB' },
        { label: 'True peak as played', value: p.peakAfterDbtp, unit: 'dBTP' },
      ],
      at: [],
      fix:
        p.gainDb < 0
          ? `Nothing is required; for a master that keeps its punch after normalisation, limit less: about ${t.referenceLufs} LUFS integrated loses nothing on ${t.name}.`
          : playsQuiet
            ? `Raise the master towards ${t.referenceLufs} LUFS with a true-peak limiter at ${t.truePeakDbtp} dBTP if it should sit level with other releases.`
            : peakOver
              ? `Leave true-peak headroom: after ${t.name}'s gain the peaks should stay below 0 dBTP (true peak at most ${(-p.gainDb).toFixed(1)} dB below full scale now).`
              : 'Nothing to do.',
      reference: `${t.name}: ${t.source.url}${t.source.status === 'secondary' ? ' (secondary source)' : ''}`,
    };
  },
};

export const loudnessRange: Rule = {
  id: 'loudness-range',
  checks: "broadcast: loudness range above the target's guidance",
  reference: REF.r128,
  run({ result: r, target: t }) {
    const lra = r.loudness.range.value;
    if (t.kind !== 'broadcast' || t.maxLraLu === null || lra === null || lra <= t.maxLraLu) return null;
    return {
      id: 'loudness-range',
      severity: 'warning',
      title: 'Loudness range too wide',
      message: `Loudness range ${lra.toFixed(1)} LU is above the ${t.maxLraLu} LU that ${t.name} guidance accepts: quiet passages will be lost in a living room and loud ones will jump out.`,
      evidence: [
        { label: 'LRA', value: lra, unit: 'LU' },
        { label: 'Limit', value: t.maxLraLu, unit: 'LU' },
      ],
      at: [],
      fix: 'Ride the quiet passages up or use gentle broadband compression to bring the range in.',
      reference: REF.r128,
    };
  },
};

/** PLR below this: limited hard enough that normalisation makes it sound smaller than its neighbours. */
export const OVER_COMPRESSED_PLR = 8;
/** LRA above this for a streaming master: hard to listen to in a car or on earbuds. */
export const WIDE_STREAMING_LRA = 15;

export const dynamics: Rule = {
  id: 'dynamics',
  checks: `peak-to-loudness ratio below ${OVER_COMPRESSED_PLR} LU (over-compressed) or, for streaming, loudness range above ${WIDE_STREAMING_LRA} LU`,
  reference: REF.heuristic,
  run({ result: r, target: t }) {
    const plr = r.dynamics.plr.value,
      lra = r.loudness.range.value;
    if (plr !== null && plr < OVER_COMPRESSED_PLR) {
      return {
        id: 'dynamics',
        severity: 'warning',
        title: 'Over-compressed',
        message: `Peak-to-loudness ratio ${fixedDigits(plr)} LU (below ${OVER_COMPRESSED_PLR} LU): transients are flattened. After normalisation this master will sound smaller, not louder, than a more dynamic one at the same level.`,
        evidence: [
          { label: 'PLR', value: plr, unit: 'LU' },
          { label: 'PSR', value: r.dynamics.psr.value, unit: 'LU' },
          { label: 'Integrated', value: r.loudness.integrated.value, unit: 'LUFS' },
        ],
        at: [],
        fix: 'Back the limiter off until PLR is about 9-12 LU; the platform restores the level.',
        reference: `${REF.heuristic}; ${REF.aes}`,
      };
    }
    if (t.kind === 'streaming' && lra !== null && lra > WIDE_STREAMING_LRA) {
      return {
        id: 'dynamics',
        severity: 'info',
        title: 'Very wide dynamics',
        message: `Loudness range ${lra.toFixed(1)} LU (above ${WIDE_STREAMING_LRA} LU): fine for a concert hall, but quiet passages will be hard to hear on earbuds or in a car.`,
        evidence: [{ label: 'LRA', value: lra, unit: 'LU' }],
        at: [],
        fix: 'If this is for casual listening, ride the quiet passages up.',
        reference: REF.heuristic,
      };
    }
    return null;
  },
};

/**
 * What a streaming platform will do to a master: the gain its normalisation applies and where
 * the peaks land afterwards, in one sentence an engineer can act on. Platforms do not reject
 * loud or quiet files; this replaces a pass/fail that would mislead.
 */
import type { AnalysisResult } from '../dsp/result-schema.ts';
import type { StreamingTarget } from './delivery-targets.ts';
import { fixedDigits } from '../text/fixed-digits.ts';

export interface NormalisationPreview {
  /** Gain the platform applies in dB (negative: turned down), null when loudness is undefined. */
  gainDb: number | null;
  /** Integrated loudness as played. */
  playedLufs: number | null;
  /** True peak as played (before any playback limiter). */
  peakAfterDbtp: number | null;
  /** True when a quiet track is raised less than the full way because of its peaks. */
  limitedByPeak: boolean;
  sentence: string;
}

const db = (v: number) => `${Math.abs(v).toFixed(1)} dB`;

export function normalisationPreview(result: AnalysisResult, p: StreamingTarget): NormalisationPreview {
  const lufs = result.loudness.integrated.value;
  const tp = result.peaks.truePeak.value;
  if (lufs === null)
    return {
      gainDb: null,
      playedLufs: null,
      peakAfterDbtp: null,
      limitedByPeak: false,
      sentence: `${p.name}: integrated loudness is undefined (silence or too short), so no normalisation can be predicted.`,
    };
  const wanted = p.referenceLufs - lufs;
  let gain = 0,
    limited = false;
  if (wanted < 0) gain = p.turnsDown ? wanted : 0;
  else if (wanted > 0) {
    switch (p.turnsUp.kind) {
      case 'never':
      case 'not-normalised':
        gain = 0;
        break;
      case 'fully':
        gain = wanted;
        break;
      case 'to-peak-ceiling': {
        const room = tp === null ? wanted : Math.max(0, p.turnsUp.ceilingDbtp - tp);
        gain = Math.min(wanted, room);
        limited = gain < wanted - 0.05;
        break;
      }
    }
  }
  const peakAfter = tp === null ? null : tp + gain;
  const played = lufs + gain;
  let sentence: string;
  if (p.turnsUp.kind === 'not-normalised') {
    sentence = `${p.name} does not normalise by default: it plays this as delivered, at ${lufs.toFixed(1)} LUFS${wanted > 0.5 ? `, ${db(wanted)} quieter than a -14 LUFS master next to it` : ''}.`;
  } else if (Math.abs(gain) < 0.05 && Math.abs(wanted) < 0.5) {
    sentence = `${p.name} will play this at about the level you made it (${lufs.toFixed(1)} LUFS, reference ${p.referenceLufs} LUFS).`;
  } else if (gain < 0) {
    sentence = `${p.name} will play this ${db(gain)} quieter; your limiter's work above ${p.referenceLufs} LUFS is thrown away.`;
  } else if (gain > 0) {
    sentence = `${p.name} will raise this ${db(gain)}${limited ? ` (not the full ${db(wanted)}: its peaks leave no more room)` : ''}; it will then peak at ${peakAfter === null ? 'n/a' : `${peakAfter >= 0.05 ? '+' : ''}${fixedDigits(peakAfter)} dBTP`}${peakAfter !== null && peakAfter > 0 ? ', over full scale: the player must limit or clip it' : ''}.`;
  } else {
    sentence = `${p.name} will not raise this: it plays ${db(wanted)} quieter than its ${p.referenceLufs} LUFS reference.`;
  }
  return { gainDb: gain, playedLufs: played, peakAfterDbtp: peakAfter, limitedByPeak: limited, sentence };
}

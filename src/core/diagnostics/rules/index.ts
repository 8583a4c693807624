/** Every rule, in the order their diagnostics are listed within a severity. */
import type { Rule } from '../diagnostic.ts';
import { format, headSilence, tailSilence, truncatedEnding } from './file.ts';
import { dynamics, loudnessOffTarget, loudnessRange, normalisation } from './loudness.ts';
import { clipping, interSampleOvers, truePeakCeiling } from './peaks.ts';
import { dcOffset, lowEnd } from './spectrum.ts';
import { channelImbalance, dualMono, monoCompatibility, polarity } from './stereo.ts';

export const RULES: readonly Rule[] = [
  clipping,
  interSampleOvers,
  truePeakCeiling,
  loudnessOffTarget,
  normalisation,
  loudnessRange,
  dynamics,
  polarity,
  monoCompatibility,
  dualMono,
  channelImbalance,
  dcOffset,
  lowEnd,
  truncatedEnding,
  headSilence,
  tailSilence,
  format,
];

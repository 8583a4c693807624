/** Delivery targets as data: integrated loudness and true-peak ceiling per platform or standard. */
import type { AnalysisResult } from './result-schema.ts';

export interface LoudnessTarget {
  id: string;
  name: string;
  integratedLufs: number;
  truePeakDbtp: number;
}

export const TARGETS = {
  spotify: { id: 'spotify', name: 'Spotify', integratedLufs: -14, truePeakDbtp: -1 },
  apple: { id: 'apple', name: 'Apple Music', integratedLufs: -16, truePeakDbtp: -1 },
  youtube: { id: 'youtube', name: 'YouTube', integratedLufs: -14, truePeakDbtp: -1 },
  'ebu-r128': { id: 'ebu-r128', name: 'EBU R 128', integratedLufs: -23, truePeakDbtp: -1 },
  'atsc-a85': { id: 'atsc-a85', name: 'ATSC A/85', integratedLufs: -24, truePeakDbtp: -2 },
} as const satisfies Record<string, LoudnessTarget>;

export type TargetId = keyof typeof TARGETS;

export function isTargetId(id: string): id is TargetId {
  return Object.prototype.hasOwnProperty.call(TARGETS, id);
}

export interface TargetComparison {
  target: LoudnessTarget;
  /** Gain in dB that brings integrated loudness onto the target (null when loudness is undefined). */
  gainToTargetDb: number | null;
  /** True peak after that gain, in dBTP. */
  truePeakAfterGainDbtp: number | null;
  /** Whether the true peak is within the ceiling as delivered. */
  truePeakWithinCeiling: boolean | null;
  loudnessDeviationLu: number | null;
}

/** Compares a result with a target: how far off loudness is, and whether peaks fit the ceiling. */
export function compareToTarget(result: AnalysisResult, target: LoudnessTarget): TargetComparison {
  const i = result.loudness.integrated.value;
  const tp = result.peaks.truePeak.value;
  const gain = i === null ? null : target.integratedLufs - i;
  return {
    target,
    gainToTargetDb: gain,
    truePeakAfterGainDbtp: gain === null || tp === null ? null : tp + gain,
    truePeakWithinCeiling: tp === null ? null : tp <= target.truePeakDbtp,
    loudnessDeviationLu: i === null ? null : i - target.integratedLufs,
  };
}

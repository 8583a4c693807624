/**
 * The figures a render is judged by, before and after, and its verdict. This is what the report's
 * render history keeps (plain JSON, never audio) and what the CLI prints side by side.
 */
import type { AnalysisResult } from '../result-schema.ts';
import type { GainPlan, RenderTarget } from './gain-plan.ts';
import type { LimiterSettings, LimiterStats } from './limiter.ts';
import type { RenderFormat } from './wav-writer.ts';

/** Loudness within this of the target counts as reached (the ±0.5 LU the issue and the tests hold). */
export const LOUDNESS_TOLERANCE_LU = 0.5;
/** The output's true peak may exceed the ceiling by at most this (meter resolution and dither). */
export const CEILING_TOLERANCE_DB = 0.05;

export interface RenderFigures {
  integratedLufs: number | null;
  loudnessRangeLu: number | null;
  truePeakDbtp: number | null;
  samplePeakDbfs: number | null;
  shortTermMaxLufs: number | null;
  plrDb: number | null;
  oversAbove0: number;
}

export function figuresOf(r: AnalysisResult): RenderFigures {
  return {
    integratedLufs: r.loudness.integrated.value,
    loudnessRangeLu: r.loudness.range.value,
    truePeakDbtp: r.peaks.truePeak.value,
    samplePeakDbfs: r.peaks.samplePeak.value,
    shortTermMaxLufs: r.loudness.shortTermMax.value,
    plrDb: r.dynamics.plr.value,
    oversAbove0: r.peaks.oversAbove0.count.value,
  };
}

export type RenderVerdict = 'on-target' | 'under-target' | 'off-target' | 'over-ceiling';

export interface RenderSettings extends LimiterSettings {
  target: RenderTarget;
  format: RenderFormat;
  maxReductionDb: number;
  force: boolean;
}

/** One render as the report's history keeps it. */
export interface RenderRecord {
  renderedAt: number;
  inputName: string;
  outputName: string;
  settings: RenderSettings;
  plan: GainPlan;
  limiter: LimiterStats;
  before: RenderFigures;
  after: RenderFigures;
  verdict: RenderVerdict;
  verdictText: string;
  elapsedMs: number;
}

export function judge(
  after: RenderFigures,
  target: RenderTarget,
  plan: GainPlan,
): { verdict: RenderVerdict; verdictText: string } {
  const i = after.integratedLufs,
    tp = after.truePeakDbtp;
  if (tp !== null && tp > target.ceilingDbtp + CEILING_TOLERANCE_DB)
    return {
      verdict: 'over-ceiling',
      verdictText: `true peak ${tp.toFixed(2)} dBTP is over the ${target.ceilingDbtp} dBTP ceiling`,
    };
  const off = i === null ? null : i - target.integratedLufs;
  if (off !== null && Math.abs(off) <= LOUDNESS_TOLERANCE_LU)
    return {
      verdict: 'on-target',
      verdictText: `on target: ${i!.toFixed(1)} LUFS (${off >= 0 ? '+' : ''}${off.toFixed(1)} LU), true peak ${tp === null ? 'n/a' : tp.toFixed(2)} dBTP within ${target.ceilingDbtp} dBTP`,
    };
  if (plan.capped && off !== null)
    return {
      verdict: 'under-target',
      verdictText: `${(-off).toFixed(1)} LU under the target on purpose: reaching it needed ${plan.reductionToTargetDb.toFixed(1)} dB of limiting (more than ${plan.maxReductionDb} dB); true peak within the ceiling`,
    };
  return {
    verdict: 'off-target',
    verdictText:
      off === null
        ? 'the render has no integrated loudness'
        : `${off >= 0 ? '+' : ''}${off.toFixed(1)} LU from the target (the limiter took off up to ${plan.expectedReductionDb.toFixed(1)} dB, which lowers the loudness)`,
  };
}

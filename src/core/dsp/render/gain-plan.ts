/**
 * How much gain a corrective render applies, decided from the input's analysis (pass 1) before
 * any audio is rendered.
 *
 * The gain to the target is target − integrated loudness. After it, the input's true peak would
 * sit at truePeak + gain; anything above the ceiling is what the limiter must take off at the
 * loudest moment. When that exceeds `maxReductionDb` (6 dB by default) the mix would be crushed
 * to reach the number, so the plan says so plainly and, unless forced, caps the gain at the
 * level where the limiter takes off exactly `maxReductionDb`: the render then comes out quieter
 * than the target, and the verdict says by how much. `force` renders at the target anyway.
 */
import type { AnalysisResult } from '../result-schema.ts';

export const DEFAULT_MAX_REDUCTION_DB = 6;

export interface RenderTarget {
  /** A target id from targets.ts, or 'custom'. */
  id: string;
  name: string;
  integratedLufs: number;
  ceilingDbtp: number;
}

export interface GainPlan {
  inputLufs: number;
  inputTruePeakDbtp: number;
  /** The gain that would reach the target. */
  gainToTargetDb: number;
  /** The gain the render applies (lower than gainToTargetDb when capped). */
  gainDb: number;
  /** Peak gain reduction the limiter needs at `gainDb` (from the input's true peak). */
  expectedReductionDb: number;
  /** Peak gain reduction reaching the target would need. */
  reductionToTargetDb: number;
  maxReductionDb: number;
  capped: boolean;
  forced: boolean;
  /** Plain words for the user when the target needs more limiting than allowed; null otherwise. */
  warning: string | null;
}

export class RenderPlanError extends Error {
  override name = 'RenderPlanError';
}

const db = (x: number) => `${x >= 0 ? '+' : ''}${x.toFixed(1)} dB`;

export function planGain(
  input: AnalysisResult,
  target: RenderTarget,
  options: { maxReductionDb?: number; force?: boolean } = {},
): GainPlan {
  const maxReductionDb = options.maxReductionDb ?? DEFAULT_MAX_REDUCTION_DB;
  const inputLufs = input.loudness.integrated.value;
  const inputTruePeakDbtp = input.peaks.truePeak.value;
  if (inputLufs === null || inputTruePeakDbtp === null)
    throw new RenderPlanError(
      'the input has no integrated loudness (silent or shorter than 400 ms): there is nothing to bring to a target',
    );
  const gainToTargetDb = target.integratedLufs - inputLufs;
  const reductionToTargetDb = Math.max(0, inputTruePeakDbtp + gainToTargetDb - target.ceilingDbtp);
  const tooMuch = reductionToTargetDb > maxReductionDb;
  const capped = tooMuch && !options.force;
  const gainDb = capped ? target.ceilingDbtp + maxReductionDb - inputTruePeakDbtp : gainToTargetDb;
  const expectedReductionDb = Math.max(0, inputTruePeakDbtp + gainDb - target.ceilingDbtp);
  let warning: string | null = null;
  if (tooMuch) {
    const reach = `Reaching ${target.integratedLufs} LUFS with a ${target.ceilingDbtp} dBTP ceiling needs ${reductionToTargetDb.toFixed(1)} dB of limiting on the loudest peaks, more than the ${maxReductionDb} dB allowed`;
    warning = capped
      ? `${reach}: the gain is capped at ${db(gainDb)} instead of ${db(gainToTargetDb)}, so the render comes out at least ${(gainToTargetDb - gainDb).toFixed(1)} LU under the target rather than crushing the mix (force it to reach the target anyway).`
      : `${reach}; forced, so the mix is limited by up to ${reductionToTargetDb.toFixed(1)} dB.`;
  }
  return {
    inputLufs,
    inputTruePeakDbtp,
    gainToTargetDb,
    gainDb,
    expectedReductionDb,
    reductionToTargetDb,
    maxReductionDb,
    capped,
    forced: tooMuch && !!options.force,
    warning,
  };
}

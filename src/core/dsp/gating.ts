/**
 * The two statistics built on gated loudness values: integrated loudness (BS.1770 / R 128)
 * and loudness range (EBU Tech 3342). Pure functions over arrays of mean weighted squares.
 */
import { energyToLufs, lufsToEnergy } from './units.ts';

export const ABSOLUTE_GATE_LUFS = -70;
export const RELATIVE_GATE_LU = -10;
export const LRA_RELATIVE_GATE_LU = -20;

/**
 * Integrated loudness of 400 ms block energies: absolute gate -70 LUFS, then relative gate
 * 10 LU below the loudness of the blocks that passed. Undefined (null) when no block passes.
 */
export function integratedLoudness(blocks: Float64Array): {
  lufs: number | null;
  relativeGateLufs: number | null;
  blocksUsed: number;
} {
  const absEnergy = lufsToEnergy(ABSOLUTE_GATE_LUFS);
  let sum = 0,
    count = 0;
  for (const z of blocks)
    if (z > absEnergy) {
      sum += z;
      count++;
    }
  if (count === 0) return { lufs: null, relativeGateLufs: null, blocksUsed: 0 };
  const relativeGate = energyToLufs(sum / count) + RELATIVE_GATE_LU;
  const relEnergy = lufsToEnergy(relativeGate);
  let gatedSum = 0,
    gatedCount = 0;
  for (const z of blocks)
    if (z > absEnergy && z > relEnergy) {
      gatedSum += z;
      gatedCount++;
    }
  if (gatedCount === 0) return { lufs: null, relativeGateLufs: relativeGate, blocksUsed: 0 };
  return { lufs: energyToLufs(gatedSum / gatedCount), relativeGateLufs: relativeGate, blocksUsed: gatedCount };
}

export interface LoudnessRange {
  lu: number | null;
  lowLufs: number | null;
  highLufs: number | null;
  valuesUsed: number;
  note: string;
}

/**
 * Loudness range (EBU Tech 3342) of short-term (3 s) energies taken at 10 Hz: absolute gate
 * -70 LUFS, relative gate 20 LU below the power mean of the remaining values, then the spread
 * between the 10th and 95th percentiles (nearest rank, as libebur128). Fewer than 2 values
 * after gating give null with a note, never a number made from the gate width.
 */
export function loudnessRange(shortTerm: Float64Array): LoudnessRange {
  const absEnergy = lufsToEnergy(ABSOLUTE_GATE_LUFS);
  let sum = 0,
    count = 0;
  for (const z of shortTerm)
    if (z > absEnergy) {
      sum += z;
      count++;
    }
  if (count === 0)
    return {
      lu: null,
      lowLufs: null,
      highLufs: null,
      valuesUsed: 0,
      note: 'no short-term value above -70 LUFS (or the file is shorter than 3 s)',
    };
  const relEnergy = lufsToEnergy(energyToLufs(sum / count) + LRA_RELATIVE_GATE_LU);
  const kept: number[] = [];
  for (const z of shortTerm) if (z > absEnergy && z > relEnergy) kept.push(energyToLufs(z));
  if (kept.length < 2)
    return {
      lu: null,
      lowLufs: null,
      highLufs: null,
      valuesUsed: kept.length,
      note: 'fewer than 2 gated short-term values: the range is undefined',
    };
  kept.sort((a, b) => a - b);
  const low = kept[Math.round((kept.length - 1) * 0.1)]!;
  const high = kept[Math.round((kept.length - 1) * 0.95)]!;
  return {
    lu: high - low,
    lowLufs: low,
    highLufs: high,
    valuesUsed: kept.length,
    note: 'EBU Tech 3342: 10th to 95th percentile of gated short-term loudness',
  };
}

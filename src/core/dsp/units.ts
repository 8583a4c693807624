/** Level conversions shared by every meter. Silence maps to -Infinity, never to a made-up floor. */

/** Amplitude ratio to dB (20 log10). */
export function toDb(amplitude: number): number {
  return amplitude > 0 ? 20 * Math.log10(amplitude) : -Infinity;
}

/** Power or energy ratio to dB (10 log10). */
export function powerToDb(power: number): number {
  return power > 0 ? 10 * Math.log10(power) : -Infinity;
}

/** BS.1770 loudness of a mean weighted square: -0.691 + 10 log10(z). */
export function energyToLufs(meanSquare: number): number {
  return -0.691 + powerToDb(meanSquare);
}

/** Inverse of energyToLufs. */
export function lufsToEnergy(lufs: number): number {
  return Math.pow(10, (lufs + 0.691) / 10);
}

/** A finite number or null: JSON has no -Infinity, and "no value" must not read as a level. */
export function finiteOrNull(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}

/** dB to amplitude ratio (inverse of toDb). */
export function fromDb(db: number): number {
  return Math.pow(10, db / 20);
}

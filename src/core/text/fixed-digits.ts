/**
 * A number with a fixed count of decimals, as a level or a ratio is read: a value that rounds
 * to zero reads "0.0", never "-0.0" (toFixed keeps the sign of -0.02, which reads as a fault).
 */
export function fixedDigits(value: number, digits = 1): string {
  const text = value.toFixed(digits);
  return Number(text) === 0 ? (0).toFixed(digits) : text;
}

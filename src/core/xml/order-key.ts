/**
 * Fractional order keys: strings that sort between two neighbours, so that an insert or move
 * writes one key for the moved node and never renumbers its siblings. Two people inserting at
 * the same place get keys that may be equal; ties sort by node id, so every replica agrees.
 * Digits are base 36; a key never ends in '0', which guarantees a key exists between any two.
 */
const DIGITS = '0123456789abcdefghijklmnopqrstuvwxyz';

function midpoint(a: string, b: string | null): string {
  if (b !== null) {
    let n = 0;
    while ((a[n] ?? '0') === b[n]) n++;
    if (n > 0) return b.slice(0, n) + midpoint(a.slice(n), b.slice(n));
  }
  const digitA = a ? DIGITS.indexOf(a[0]!) : 0;
  const digitB = b !== null ? DIGITS.indexOf(b[0]!) : DIGITS.length;
  if (digitB - digitA > 1) return DIGITS[Math.round(0.5 * (digitA + digitB))]!;
  if (b !== null && b.length > 1) return b.slice(0, 1);
  return DIGITS[digitA]! + midpoint(a.slice(1), null);
}

/** A key strictly between `a` and `b` (null: open end). Requires a < b. */
export function keyBetween(a: string | null, b: string | null): string {
  if (a !== null && b !== null && a >= b) return a + 'i';
  return midpoint(a ?? '', b);
}

/** The key of the i-th of `count` nodes in source order: fixed width, then a non-zero digit. */
export function sourceKey(i: number, count: number): string {
  const width = Math.max(1, Math.ceil(Math.log(count + 1) / Math.log(36)));
  return i.toString(36).padStart(width, '0') + 'i';
}

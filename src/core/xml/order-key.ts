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

/**
 * A prefix `p` with `a < p + x < b` for every string `x`, so keys built by appending to it stay
 * inside the gap whatever is appended (ranked keys, edit.ts). Requires a < b.
 */
export function gapPrefix(a: string | null, b: string | null): string {
  const p = keyBetween(a, b);
  if (b === null || !b.startsWith(p)) return p;
  // p is a prefix of b: follow b past its zeros and step its first non-zero digit down
  // (b never ends in '0', so that digit exists).
  let j = p.length;
  while (b[j] === '0') j++;
  return b.slice(0, j) + DIGITS[DIGITS.indexOf(b[j]!) - 1]!;
}

/** A fixed-width key suffix (7 digits and 'i') derived from a stable node id: the same on every replica. */
export function idSuffix(id: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(36).padStart(7, '0') + 'i';
}

/** A key between `prev` and `next` ending in `suffix` (a fixed-width suffix unique to its writer). */
export function keyWithSuffix(suffix: string, prev: string | null, next: string | null): string {
  let m = keyBetween(prev, next);
  for (let i = 0; i < 40; i++) {
    const candidate = m + suffix;
    if (next === null || candidate < next) return candidate;
    m = keyBetween(m, next);
  }
  return keyBetween(prev, next);
}

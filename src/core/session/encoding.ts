import { decodeMacRoman } from '../text/single-byte.ts';

/** The two text encodings Pro Tools offers for "Session Info as Text". */
export type SessionTextEncoding = 'utf-8' | 'mac-os-roman';

/** Decoded text and what the bytes told us about how it was written. */
export interface DecodedSessionText {
  text: string;
  encoding: SessionTextEncoding;
  /** True when every byte is ASCII, so both encodings would give the same text. */
  asciiOnly: boolean;
  /** True when the file began with a UTF-8 byte order mark (dropped from `text`). */
  bom: boolean;
}

/**
 * Length of the valid UTF-8 sequence starting at `i`, or 0 when the bytes there are not
 * valid UTF-8 (overlong forms, surrogates and code points above U+10FFFF are rejected).
 */
function utf8SequenceLength(bytes: Uint8Array, i: number): number {
  const b0 = bytes[i] ?? 0;
  if (b0 < 0x80) return 1;
  const cont = (k: number, lo = 0x80, hi = 0xbf): boolean => {
    const b = bytes[i + k];
    return b !== undefined && b >= lo && b <= hi;
  };
  if (b0 >= 0xc2 && b0 <= 0xdf) return cont(1) ? 2 : 0;
  if (b0 === 0xe0) return cont(1, 0xa0) && cont(2) ? 3 : 0;
  if (b0 === 0xed) return cont(1, 0x80, 0x9f) && cont(2) ? 3 : 0;
  if (b0 >= 0xe1 && b0 <= 0xef) return cont(1) && cont(2) ? 3 : 0;
  if (b0 === 0xf0) return cont(1, 0x90) && cont(2) && cont(3) ? 4 : 0;
  if (b0 >= 0xf1 && b0 <= 0xf3) return cont(1) && cont(2) && cont(3) ? 4 : 0;
  if (b0 === 0xf4) return cont(1, 0x80, 0x8f) && cont(2) && cont(3) ? 4 : 0;
  return 0;
}

/** Decodes valid UTF-8 (already checked) without relying on TextDecoder being present. */
function decodeUtf8(bytes: Uint8Array, from: number): string {
  const parts: string[] = [];
  let codes: number[] = [];
  for (let i = from; i < bytes.length;) {
    const b0 = bytes[i] ?? 0;
    const n = b0 < 0x80 ? 1 : utf8SequenceLength(bytes, i);
    let cp: number;
    if (n === 1) cp = b0;
    else if (n === 2) cp = ((b0 & 0x1f) << 6) | ((bytes[i + 1] ?? 0) & 0x3f);
    else if (n === 3) cp = ((b0 & 0x0f) << 12) | (((bytes[i + 1] ?? 0) & 0x3f) << 6) | ((bytes[i + 2] ?? 0) & 0x3f);
    else
      cp =
        ((b0 & 0x07) << 18) |
        (((bytes[i + 1] ?? 0) & 0x3f) << 12) |
        (((bytes[i + 2] ?? 0) & 0x3f) << 6) |
        ((bytes[i + 3] ?? 0) & 0x3f);
    codes.push(cp);
    if (codes.length >= 8192) {
      parts.push(String.fromCodePoint(...codes));
      codes = [];
    }
    i += Math.max(1, n);
  }
  parts.push(String.fromCodePoint(...codes));
  return parts.join('');
}

/**
 * Detects the encoding from the bytes: valid UTF-8 containing at least one non-ASCII
 * character (or a UTF-8 BOM) is UTF-8; anything else is Mac OS Roman, which can decode
 * every byte. Pure ASCII is reported as Mac OS Roman with `asciiOnly` set.
 */
export function decodeSessionBytes(bytes: Uint8Array): DecodedSessionText {
  const bom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  const from = bom ? 3 : 0;
  let asciiOnly = true;
  let validUtf8 = true;
  for (let i = from; i < bytes.length;) {
    if ((bytes[i] ?? 0) < 0x80) {
      i++;
      continue;
    }
    const n = utf8SequenceLength(bytes, i);
    if (n === 0) {
      validUtf8 = false;
      asciiOnly = false;
      break;
    }
    if (n > 1) asciiOnly = false;
    i += n;
  }
  if (validUtf8 && (bom || !asciiOnly)) {
    return { text: decodeUtf8(bytes, from), encoding: 'utf-8', asciiOnly, bom };
  }
  return { text: decodeMacRoman(bytes.subarray(from)), encoding: 'mac-os-roman', asciiOnly, bom };
}

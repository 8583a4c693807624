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

/** Offset of the first byte that is not ASCII, or -1. */
function firstNonAscii(bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length; i++) if ((bytes[i] ?? 0) >= 0x80) return i;
  return -1;
}

/**
 * Detects the encoding from the bytes: valid UTF-8 containing at least one non-ASCII
 * character (or a UTF-8 BOM) is UTF-8; anything else is Mac OS Roman, which can decode
 * every byte. Pure ASCII is reported as Mac OS Roman with `asciiOnly` set. Decoding goes
 * through the runtime's TextDecoder (fatal, so invalid UTF-8 — overlong forms, surrogates,
 * code points above U+10FFFF — is detected, not replaced): it is many times faster than a
 * decoder written here, which matters for exports of tens of megabytes.
 */
export function decodeSessionBytes(bytes: Uint8Array): DecodedSessionText {
  const bom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  const body = bom ? bytes.subarray(3) : bytes;
  const asciiOnly = firstNonAscii(body) < 0;
  if (asciiOnly) {
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(body);
    return { text, encoding: bom ? 'utf-8' : 'mac-os-roman', asciiOnly, bom };
  }
  try {
    const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(body);
    return { text, encoding: 'utf-8', asciiOnly, bom };
  } catch {
    return { text: decodeMacRoman(body), encoding: 'mac-os-roman', asciiOnly, bom };
  }
}

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
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(body);
  } catch {
    return { text: decodeMacRoman(body), encoding: 'mac-os-roman', asciiOnly: false, bom };
  }
  // eslint-disable-next-line no-control-regex
  const asciiOnly = !/[^\x00-\x7f]/.test(text);
  return { text, encoding: bom || !asciiOnly ? 'utf-8' : 'mac-os-roman', asciiOnly, bom };
}

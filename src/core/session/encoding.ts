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

/** The decoded text as consecutive pieces, each ending with a line break (but the last). */
export interface DecodedSessionPieces extends Omit<DecodedSessionText, 'text'> {
  pieces: string[];
}

/**
 * Bytes per decoded piece. Chromium's TextDecoder takes ~20 times longer for one 15 MB
 * non-ASCII buffer than for the same bytes in 256 KB pieces (measured in a worker); in Node
 * the two cost the same. Pieces are never joined: joining copies the whole text again.
 */
const PIECE_BYTES = 1 << 18;
/** How far past a piece's nominal end a line break is looked for at a time. */
const BREAK_WINDOW = 1 << 12;

/**
 * Offsets where the bytes are cut into pieces: just after a line break (LF, CR, or the LF of
 * CRLF), so no line and no character (UTF-8 and Mac OS Roman never use these bytes inside a
 * character) spans two pieces. A line longer than a piece stays whole.
 */
function pieceCuts(bytes: Uint8Array): number[] {
  const cuts = [0];
  let at = PIECE_BYTES;
  while (at < bytes.length) {
    const window = bytes.subarray(at, at + BREAK_WINDOW);
    const lf = window.indexOf(10);
    const cr = window.indexOf(13);
    const hit = lf < 0 ? cr : cr < 0 ? lf : Math.min(lf, cr);
    if (hit < 0) {
      at += BREAK_WINDOW;
      continue;
    }
    const p = at + hit;
    const cut = bytes[p] === 13 && bytes[p + 1] === 10 ? p + 2 : p + 1;
    if (cut >= bytes.length) break;
    cuts.push(cut);
    at = cut + PIECE_BYTES;
  }
  cuts.push(bytes.length);
  return cuts;
}

// eslint-disable-next-line no-control-regex
const NON_ASCII = /[^\x00-\x7f]/;

/**
 * Decodes one piece of UTF-8 as is (a byte order mark is kept as U+FEFF), or returns null
 * when the bytes are not valid UTF-8 (overlong forms, surrogates, code points above U+10FFFF,
 * cut sequences): nothing is replaced. A runtime may have a faster codec than its TextDecoder
 * (Node: see src/cli/node-utf8.ts); it must give the same strings.
 */
export type Utf8Decoder = (bytes: Uint8Array) => string | null;

/** The runtime's TextDecoder, fatal: the decoder every browser, worker and Node has. */
export function textDecoderUtf8(): Utf8Decoder {
  const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  return (bytes) => {
    try {
      return utf8.decode(bytes);
    } catch {
      return null;
    }
  };
}

/**
 * Detects the encoding from the bytes: valid UTF-8 containing at least one non-ASCII
 * character (or a UTF-8 BOM) is UTF-8; anything else is Mac OS Roman, which can decode
 * every byte. Pure ASCII is reported as Mac OS Roman with `asciiOnly` set. Decoding goes
 * through the runtime's TextDecoder (fatal, so invalid UTF-8 — overlong forms, surrogates,
 * code points above U+10FFFF — is detected, not replaced): it is many times faster than a
 * decoder written here, which matters for exports of tens of megabytes. The text comes in
 * pieces cut at line breaks (see PIECE_BYTES); every byte is decoded once.
 */
export function decodeSessionPieces(
  bytes: Uint8Array,
  decodeUtf8: Utf8Decoder = textDecoderUtf8(),
): DecodedSessionPieces {
  const bom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  const body = bom ? bytes.subarray(3) : bytes;
  const cuts = pieceCuts(body);
  const pieces: string[] = [];
  for (let k = 0; k + 1 < cuts.length; k++) {
    const piece = decodeUtf8(body.subarray(cuts[k], cuts[k + 1]));
    if (piece === null) return { pieces: [decodeMacRoman(body)], encoding: 'mac-os-roman', asciiOnly: false, bom };
    pieces.push(piece);
  }
  const asciiOnly = !pieces.some((p) => NON_ASCII.test(p));
  return { pieces, encoding: bom || !asciiOnly ? 'utf-8' : 'mac-os-roman', asciiOnly, bom };
}

/** The same as `decodeSessionPieces`, with the text in one string. */
export function decodeSessionBytes(bytes: Uint8Array, decodeUtf8?: Utf8Decoder): DecodedSessionText {
  const { pieces, ...rest } = decodeSessionPieces(bytes, decodeUtf8);
  return { text: pieces.join(''), ...rest };
}

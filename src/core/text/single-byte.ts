/**
 * Single-byte code pages that console files declare in their XML declaration: ISO-8859-1,
 * windows-1252 and Mac OS Roman. Each is a 256-entry byte -> code point table plus its inverse,
 * written here because TextEncoder only writes UTF-8 and TextDecoder's labels differ by runtime
 * (WHATWG maps "iso-8859-1" to windows-1252). Every byte maps to a distinct code point, so
 * decode followed by encode gives back the same bytes for any input.
 */

/** windows-1252 0x80-0x9F; the five undefined bytes map to the C1 control of the same value (as WHATWG does). */
const CP1252_HIGH = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d, 0x17d, 0x8f,
  0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178,
];

/** Mac OS Roman 0x80-0xFF (Apple's final table, 0xDB = euro sign, 0xF0 = Apple logo in the private use area). */
const MAC_ROMAN_HIGH = [
  0xc4, 0xc5, 0xc7, 0xc9, 0xd1, 0xd6, 0xdc, 0xe1, 0xe0, 0xe2, 0xe4, 0xe3, 0xe5, 0xe7, 0xe9, 0xe8, 0xea, 0xeb, 0xed,
  0xec, 0xee, 0xef, 0xf1, 0xf3, 0xf2, 0xf4, 0xf6, 0xf5, 0xfa, 0xf9, 0xfb, 0xfc, 0x2020, 0xb0, 0xa2, 0xa3, 0xa7, 0x2022,
  0xb6, 0xdf, 0xae, 0xa9, 0x2122, 0xb4, 0xa8, 0x2260, 0xc6, 0xd8, 0x221e, 0xb1, 0x2264, 0x2265, 0xa5, 0xb5, 0x2202,
  0x2211, 0x220f, 0x3c0, 0x222b, 0xaa, 0xba, 0x3a9, 0xe6, 0xf8, 0xbf, 0xa1, 0xac, 0x221a, 0x192, 0x2248, 0x2206, 0xab,
  0xbb, 0x2026, 0xa0, 0xc0, 0xc3, 0xd5, 0x152, 0x153, 0x2013, 0x2014, 0x201c, 0x201d, 0x2018, 0x2019, 0xf7, 0x25ca,
  0xff, 0x178, 0x2044, 0x20ac, 0x2039, 0x203a, 0xfb01, 0xfb02, 0x2021, 0xb7, 0x201a, 0x201e, 0x2030, 0xc2, 0xca, 0xc1,
  0xcb, 0xc8, 0xcd, 0xce, 0xcf, 0xcc, 0xd3, 0xd4, 0xf8ff, 0xd2, 0xda, 0xdb, 0xd9, 0x131, 0x2c6, 0x2dc, 0xaf, 0x2d8,
  0x2d9, 0x2da, 0xb8, 0x2dd, 0x2db, 0x2c7,
];

/** A code page: decode table and its inverse. */
export interface SingleByteCodec {
  readonly decodeTable: Uint16Array;
  readonly encodeMap: Map<number, number>;
}

function codec(high: number[], from: number): SingleByteCodec {
  const decodeTable = new Uint16Array(256);
  for (let b = 0; b < 256; b++) decodeTable[b] = b < from ? b : (high[b - from] ?? b);
  const encodeMap = new Map<number, number>();
  for (let b = 0; b < 256; b++) encodeMap.set(decodeTable[b]!, b);
  return { decodeTable, encodeMap };
}

export const LATIN1 = codec([], 256);
export const WINDOWS_1252 = codec(CP1252_HIGH, 0x80);
export const MAC_ROMAN = codec(MAC_ROMAN_HIGH, 0x80);

export function decodeSingleByte(bytes: Uint8Array, codec: SingleByteCodec): string {
  const table = codec.decodeTable;
  const parts: string[] = [];
  const CHUNK = 8192;
  for (let i = 0; i < bytes.length; i += CHUNK) {
    const end = Math.min(bytes.length, i + CHUNK);
    const units = new Array<number>(end - i);
    for (let j = i; j < end; j++) units[j - i] = table[bytes[j]!]!;
    parts.push(String.fromCharCode.apply(null, units));
  }
  return parts.join('');
}

/**
 * Encodes text whose characters all exist in the code page. The serialiser writes character
 * references for anything else in text and attribute values; what remains unencodable
 * (inside comments or CDATA) becomes '?'.
 */
export function encodeSingleByte(text: string, codec: SingleByteCodec): Uint8Array {
  const out = new Uint8Array(text.length);
  const map = codec.encodeMap;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const fast = c < 0x80 ? c : map.get(c);
    out[i] = fast ?? 0x3f;
  }
  return out;
}

/** Mac OS Roman, the text encoding of Pro Tools exports on macOS, among others. */
export function decodeMacRoman(bytes: Uint8Array): string {
  return decodeSingleByte(bytes, MAC_ROMAN);
}

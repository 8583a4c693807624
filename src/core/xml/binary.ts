/**
 * Recognises a binary file dropped by mistake before any decoding: known magic numbers (PNG,
 * ZIP, PDF, gzip, JPEG, GIF, RIFF/WAV, Ogg, FLAC, ID3, Mach-O/ELF), or a text sample where NUL
 * bytes are common. UTF-16 text has NULs in every other byte and is checked by the caller first.
 * A few stray control bytes are normal in real console files and do not count as binary.
 */
const MAGIC: Array<[string, number[]]> = [
  ['PNG image', [0x89, 0x50, 0x4e, 0x47]],
  ['ZIP archive', [0x50, 0x4b, 0x03, 0x04]],
  ['ZIP archive', [0x50, 0x4b, 0x05, 0x06]],
  ['PDF document', [0x25, 0x50, 0x44, 0x46]],
  ['gzip archive', [0x1f, 0x8b]],
  ['JPEG image', [0xff, 0xd8, 0xff]],
  ['GIF image', [0x47, 0x49, 0x46, 0x38]],
  ['RIFF (WAV/AVI) file', [0x52, 0x49, 0x46, 0x46]],
  ['Ogg file', [0x4f, 0x67, 0x67, 0x53]],
  ['FLAC audio', [0x66, 0x4c, 0x61, 0x43]],
  ['MP3 audio', [0x49, 0x44, 0x33]],
  ['ELF executable', [0x7f, 0x45, 0x4c, 0x46]],
  ['binary property list', [0x62, 0x70, 0x6c, 0x69, 0x73, 0x74]],
];

/** Names the kind of binary file, or returns null when the bytes may be text. */
export function sniffBinary(bytes: Uint8Array): string | null {
  for (const [kind, magic] of MAGIC) {
    if (magic.every((b, i) => bytes[i] === b)) return kind;
  }
  const sample = Math.min(bytes.length, 65536);
  let nul = 0;
  let control = 0;
  for (let i = 0; i < sample; i++) {
    const b = bytes[i]!;
    if (b === 0) nul++;
    else if (b < 9 || (b > 13 && b < 32)) control++;
  }
  if (nul >= 8 && nul / sample > 0.02) return 'binary file (NUL bytes)';
  if (!startsLikeMarkup(bytes) && sample >= 16 && (nul + control) / sample > 0.1) return 'binary file (control bytes)';
  return null;
}

function startsLikeMarkup(bytes: Uint8Array): boolean {
  let i = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  while (i < bytes.length && (bytes[i] === 0x20 || bytes[i] === 0x09 || bytes[i] === 0x0a || bytes[i] === 0x0d)) i++;
  return bytes[i] === 0x3c;
}

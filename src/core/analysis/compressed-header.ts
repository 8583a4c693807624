/**
 * Recognises the compressed formats only the browser can decode (MP3, AAC in ADTS or MP4,
 * Ogg Opus/Vorbis, WebM) from a file's first bytes, and reads the sample rate their headers
 * declare. The browser's decoder is then run in a context at exactly that rate, because
 * decodeAudioData resamples to the context's rate, which would change peaks and true peak.
 */
export interface CompressedHeader {
  /** Shown to the user, e.g. "MP3", "AAC (ADTS)", "Ogg Opus". */
  format: string;
  /** The rate the decoder will output at; null when the header does not say. */
  sampleRate: number | null;
  channels: number | null;
  /** MIME type (with codecs) for asking the browser whether it can decode the format at all. */
  mime: string;
}

/** MPEG audio sample rates by version bits (3: MPEG-1, 2: MPEG-2, 0: MPEG-2.5) and rate index. */
export const MPEG_RATES: Record<number, number[]> = {
  3: [44100, 48000, 32000],
  2: [22050, 24000, 16000],
  0: [11025, 12000, 8000],
};
const ADTS_RATES = [96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350];

function ascii(b: Uint8Array, from: number, length: number): string {
  return String.fromCharCode(...b.subarray(from, from + length));
}

/** An MPEG audio (MP3) or ADTS (AAC) frame header at `at`, if the bytes there are one. */
function frameHeader(b: Uint8Array, at: number): CompressedHeader | null {
  if (at + 4 > b.length || b[at] !== 0xff || (b[at + 1]! & 0xe0) !== 0xe0) return null;
  const b1 = b[at + 1]!,
    b2 = b[at + 2]!,
    b3 = b[at + 3]!;
  const layer = (b1 >> 1) & 3;
  if (layer === 0 && (b1 & 0xf0) === 0xf0) {
    const rate = ADTS_RATES[(b2 >> 2) & 0xf];
    const channels = ((b2 & 1) << 2) | (b3 >> 6);
    return rate ? { format: 'AAC (ADTS)', sampleRate: rate, channels: channels || null, mime: 'audio/aac' } : null;
  }
  const rates = MPEG_RATES[(b1 >> 3) & 3];
  const rate = rates?.[(b2 >> 2) & 3];
  if (layer === 0 || !rate) return null;
  return {
    format: layer === 1 ? 'MP3' : `MPEG layer ${4 - layer}`,
    sampleRate: rate,
    channels: b3 >> 6 === 3 ? 1 : 2,
    mime: 'audio/mpeg',
  };
}

function oggHeader(b: Uint8Array): CompressedHeader {
  const segments = b[26] ?? 0;
  const p = 27 + segments;
  if (ascii(b, p, 8) === 'OpusHead')
    return { format: 'Ogg Opus', sampleRate: 48000, channels: b[p + 9] ?? null, mime: 'audio/ogg; codecs="opus"' };
  if (ascii(b, p + 1, 6) === 'vorbis' && p + 16 <= b.length) {
    const view = new DataView(b.buffer, b.byteOffset + p, 16);
    return {
      format: 'Ogg Vorbis',
      sampleRate: view.getUint32(12, true) || null,
      channels: b[p + 11] ?? null,
      mime: 'audio/ogg; codecs="vorbis"',
    };
  }
  if (ascii(b, p + 1, 4) === 'FLAC')
    return { format: 'Ogg FLAC', sampleRate: null, channels: null, mime: 'audio/ogg; codecs="flac"' };
  return { format: 'Ogg', sampleRate: null, channels: null, mime: 'audio/ogg' };
}

/** The sample rate of the first 'mp4a' sample entry (16.16 fixed point, integer part). */
function mp4Header(...parts: Uint8Array[]): CompressedHeader {
  for (const b of parts) {
    for (let i = 0; i + 32 < b.length; i++) {
      if (b[i] === 0x6d && ascii(b, i, 4) === 'mp4a') {
        const view = new DataView(b.buffer, b.byteOffset + i + 4, 28);
        return {
          format: 'AAC (MP4)',
          sampleRate: view.getUint16(24) || null,
          channels: view.getUint16(16) || null,
          mime: 'audio/mp4; codecs="mp4a.40.2"',
        };
      }
    }
  }
  return { format: 'MP4 audio', sampleRate: null, channels: null, mime: 'audio/mp4' };
}

/** Bytes taken by an ID3v2 tag at the start of `head` (syncsafe size, optional footer); 0 without one. */
export function id3Length(head: Uint8Array): number {
  if (head.length < 10 || ascii(head, 0, 3) !== 'ID3') return 0;
  return (
    10 +
    (((head[6]! & 0x7f) << 21) | ((head[7]! & 0x7f) << 14) | ((head[8]! & 0x7f) << 7) | (head[9]! & 0x7f)) +
    (head[5]! & 0x10 ? 10 : 0)
  );
}

/**
 * The compressed format of a file from its head (and tail, where an MP4 keeps its index);
 * null when it is not one of them (WAV, AIFF, FLAC and unknown files go to the core decoders).
 */
export function sniffCompressed(head: Uint8Array, tail: Uint8Array = new Uint8Array(0)): CompressedHeader | null {
  const id = ascii(head, 0, 4);
  if (id === 'OggS') return oggHeader(head);
  if (ascii(head, 4, 4) === 'ftyp') return mp4Header(head, tail);
  if (head[0] === 0x1a && head[1] === 0x45 && head[2] === 0xdf && head[3] === 0xa3)
    return { format: 'WebM', sampleRate: 48000, channels: null, mime: 'audio/webm; codecs="opus"' };
  if (id === 'RIFF' || id === 'RF64' || id === 'BW64' || id === 'FORM' || id === 'fLaC') return null;
  if (!id.startsWith('ID3')) return frameHeader(head, 0);
  // ID3v2 tag, then the first frame, allowing some padding.
  const at = id3Length(head);
  // An ID3 tag can also precede FLAC; that is for the core's decoder.
  if (ascii(head, at, 4) === 'fLaC') return null;
  for (let i = at; i < Math.min(head.length - 4, at + 4096); i++) {
    const h = frameHeader(head, i);
    if (h) return h;
  }
  return id.startsWith('ID3') ? { format: 'MP3', sampleRate: null, channels: null, mime: 'audio/mpeg' } : null;
}

/** The formats the worker decodes frame by frame with WebCodecs: self-framing streams. */
export function framedKind(header: CompressedHeader): 'mpeg' | 'adts' | null {
  if (header.format === 'MP3' || header.format.startsWith('MPEG layer')) return 'mpeg';
  return header.format === 'AAC (ADTS)' ? 'adts' : null;
}

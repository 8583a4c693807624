/**
 * Self-framing compressed streams, split into frames for WebCodecs: MPEG audio (MP3, layers
 * I-III; after an ID3v2 tag) and AAC in ADTS. Each frame header states its length, so frames
 * are read one at a time from a ByteSource (bounded memory). The Xing/Info frame some MP3
 * encoders put first carries no audio and is skipped. Bytes that are not a frame are skipped
 * up to a limit, with a warning; beyond it the stream is taken as ended.
 */
import type { ByteSource } from '../audio/byte-source.ts';
import { id3Length, MPEG_RATES } from './compressed-header.ts';

export interface Frame {
  bytes: Uint8Array;
  samples: number;
  offset: number;
}

const KBPS = {
  v1l1: [0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448],
  v1l2: [0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384],
  v1l3: [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],
  v2l1: [0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256],
  v2l23: [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
};
/** How far past a broken frame the reader looks for the next one. */
const RESYNC_LIMIT = 64 * 1024;

/** Length and samples of the MPEG audio frame whose 4 header bytes are h, or null. */
export function mpegFrame(h: Uint8Array): { length: number; samples: number } | null {
  if (h.length < 4 || h[0] !== 0xff || (h[1]! & 0xe0) !== 0xe0) return null;
  const version = (h[1]! >> 3) & 3,
    layer = (h[1]! >> 1) & 3;
  const rate = MPEG_RATES[version]?.[(h[2]! >> 2) & 3];
  const index = h[2]! >> 4,
    pad = (h[2]! >> 1) & 1;
  if (!rate || layer === 0 || index === 0 || index === 15) return null;
  const v1 = version === 3;
  if (layer === 3)
    return { length: (Math.floor((12 * (v1 ? KBPS.v1l1 : KBPS.v2l1)[index]! * 1000) / rate) + pad) * 4, samples: 384 };
  const kbps = (layer === 2 ? (v1 ? KBPS.v1l2 : KBPS.v2l23) : v1 ? KBPS.v1l3 : KBPS.v2l23)[index]!;
  const perFrame = layer === 1 && !v1 ? 576 : 1152;
  return { length: Math.floor(((perFrame / 8) * kbps * 1000) / rate) + pad, samples: perFrame };
}

/** Length and samples of the ADTS frame whose 7 header bytes are h, or null. */
export function adtsFrame(h: Uint8Array): { length: number; samples: number } | null {
  if (h.length < 7 || h[0] !== 0xff || (h[1]! & 0xf6) !== 0xf0) return null;
  const length = ((h[3]! & 3) << 11) | (h[4]! << 3) | (h[5]! >> 5);
  return length >= 7 ? { length, samples: 1024 * ((h[6]! & 3) + 1) } : null;
}

/** Where the audio starts: after an ID3v2 tag, if there is one. */
async function audioStart(source: ByteSource): Promise<number> {
  return id3Length(await source.read(0, 10));
}

function isXingFrame(bytes: Uint8Array): boolean {
  for (let i = 4; i + 4 <= Math.min(bytes.length, 48); i++) {
    const tag = String.fromCharCode(bytes[i]!, bytes[i + 1]!, bytes[i + 2]!, bytes[i + 3]!);
    if (tag === 'Xing' || tag === 'Info') return true;
  }
  return false;
}

/** The frames of an MP3 or ADTS stream in order; problems go into `warnings`. */
export async function* readFrames(source: ByteSource, kind: 'mpeg' | 'adts', warnings: string[]): AsyncIterable<Frame> {
  const parse = kind === 'mpeg' ? mpegFrame : adtsFrame;
  let offset = await audioStart(source);
  let first = true;
  while (offset < source.size) {
    let skipped = 0;
    let frame = parse(await source.read(offset, 7));
    while (!frame && skipped < RESYNC_LIMIT && offset + skipped < source.size) {
      skipped++;
      frame = parse(await source.read(offset + skipped, 7));
    }
    if (!frame) {
      if (offset < source.size - 128)
        warnings.push(`${source.name}: no valid frame after byte ${offset}; analysed up to there`);
      return;
    }
    if (skipped > 0 && !(first && skipped < 4096))
      warnings.push(`${source.name}: skipped ${skipped} bytes that are not audio frames at byte ${offset}`);
    offset += skipped;
    const bytes = await source.read(offset, frame.length);
    if (bytes.length < frame.length) {
      warnings.push(`${source.name}: truncated: the last frame is incomplete`);
      return;
    }
    const xing = first && kind === 'mpeg' && isXingFrame(bytes);
    first = false;
    offset += frame.length;
    if (!xing) yield { bytes: bytes.slice(), samples: frame.samples, offset };
  }
}

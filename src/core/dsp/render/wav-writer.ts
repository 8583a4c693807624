/**
 * Writes the render's WAV: a header for a known frame count, then interleaved data blocks.
 * 24-bit PCM (TPDF-dithered) or 32-bit IEEE float, at the source rate and channel layout:
 * stereo and mono with a default layout get the plain header every tool reads; any other
 * layout gets WAVE_FORMAT_EXTENSIBLE with its channel mask. Data over 4 GB gets an RF64 header
 * (ds64 chunk), as EBU Tech 3306 asks.
 */
import { defaultLayout, MASK_ORDER, type ChannelLabel } from '../channels.ts';
import { PCM24_MAX, PCM24_MIN, type TpdfDither } from './dither.ts';

export type RenderFormat = 'pcm24' | 'float32';

export const FORMAT_BYTES: Record<RenderFormat, number> = { pcm24: 3, float32: 4 };

/** The channel mask of a layout, or null when a label has no mask bit (mono, unknown). */
function maskOf(layout: readonly ChannelLabel[]): number | null {
  let mask = 0;
  for (const label of layout) {
    const bit = MASK_ORDER.indexOf(label);
    if (bit < 0) return null;
    mask |= 1 << bit;
  }
  return mask >>> 0;
}

export interface WavHeaderOptions {
  sampleRate: number;
  layout: readonly ChannelLabel[];
  format: RenderFormat;
  frames: number;
}

/** The header bytes; the data chunk's body follows them directly. */
export function wavHeader(o: WavHeaderOptions): Uint8Array {
  const channels = o.layout.length;
  const bytes = FORMAT_BYTES[o.format];
  const tag = o.format === 'float32' ? 3 : 1;
  const isDefault = defaultLayout(channels).every((l, i) => l === o.layout[i]);
  const mask = maskOf(o.layout);
  const extensible = !(isDefault && channels <= 2) && mask !== null;
  const fmtSize = extensible ? 40 : 16;
  const dataSize = o.frames * channels * bytes;
  const rf64 = dataSize + 200 > 0xffffffff;
  const ds64Size = rf64 ? 36 : 0;
  const headerSize = 12 + ds64Size + 8 + fmtSize + 8;
  const total = headerSize + dataSize + (dataSize & 1);
  const out = new Uint8Array(headerSize);
  const v = new DataView(out.buffer);
  const str = (at: number, s: string) => {
    for (let i = 0; i < 4; i++) out[at + i] = s.charCodeAt(i);
  };
  const u64 = (at: number, n: number) => {
    v.setUint32(at, n >>> 0, true);
    v.setUint32(at + 4, Math.floor(n / 2 ** 32), true);
  };
  str(0, rf64 ? 'RF64' : 'RIFF');
  v.setUint32(4, rf64 ? 0xffffffff : total - 8, true);
  str(8, 'WAVE');
  let p = 12;
  if (rf64) {
    str(p, 'ds64');
    v.setUint32(p + 4, 28, true);
    u64(p + 8, total - 8);
    u64(p + 16, dataSize);
    u64(p + 24, o.frames);
    v.setUint32(p + 32, 0, true);
    p += 36;
  }
  str(p, 'fmt ');
  v.setUint32(p + 4, fmtSize, true);
  v.setUint16(p + 8, extensible ? 0xfffe : tag, true);
  v.setUint16(p + 10, channels, true);
  v.setUint32(p + 12, o.sampleRate, true);
  v.setUint32(p + 16, o.sampleRate * channels * bytes, true);
  v.setUint16(p + 20, channels * bytes, true);
  v.setUint16(p + 22, bytes * 8, true);
  if (extensible) {
    v.setUint16(p + 24, 22, true);
    v.setUint16(p + 26, bytes * 8, true);
    v.setUint32(p + 28, mask!, true);
    // KSDATAFORMAT_SUBTYPE_PCM / _IEEE_FLOAT: {0000000X-0000-0010-8000-00aa00389b71}
    out.set([tag, 0, 0, 0, 0, 0, 0x10, 0, 0x80, 0, 0, 0xaa, 0, 0x38, 0x9b, 0x71], p + 32);
  }
  p += 8 + fmtSize;
  str(p, 'data');
  v.setUint32(p + 4, rf64 ? 0xffffffff : dataSize, true);
  return out;
}

/** The pad byte RIFF wants after an odd-sized data chunk (empty when none is due). */
export function wavTrailer(o: WavHeaderOptions): Uint8Array {
  return new Uint8Array((o.frames * o.layout.length * FORMAT_BYTES[o.format]) & 1);
}

/**
 * Interleaves `length` frames of `planar` into `into` (which must hold length * channels *
 * bytes), 24-bit codes dithered by `dither`. Returns the bytes written.
 */
export function encodeFrames(
  planar: readonly Float32Array[],
  length: number,
  format: RenderFormat,
  dither: TpdfDither,
  into: Uint8Array,
): number {
  const channels = planar.length;
  if (format === 'float32') {
    const view = new DataView(into.buffer, into.byteOffset, into.byteLength);
    for (let c = 0; c < channels; c++) {
      const x = planar[c]!;
      for (let i = 0, p = 4 * c; i < length; i++, p += 4 * channels) view.setFloat32(p, x[i]!, true);
    }
    return length * channels * 4;
  }
  // The hot loop of a render: the dither generator inlined with its state in a local, and the
  // triangular value taken as the difference of the two 16-bit halves of one 32-bit draw (the
  // same TPDF of ±1 LSB at 2^-16 LSB resolution, half the generator calls).
  let state = dither.state;
  const stride = 3 * channels;
  for (let c = 0; c < channels; c++) {
    const x = planar[c]!;
    for (let i = 0, p = 3 * c; i < length; i++, p += stride) {
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      state >>>= 0;
      const noise = ((state & 0xffff) - (state >>> 16)) / 65536;
      let q = Math.floor(x[i]! * 8388608 + noise + 0.5);
      q = q > PCM24_MAX ? PCM24_MAX : q < PCM24_MIN ? PCM24_MIN : q;
      into[p] = q;
      into[p + 1] = q >> 8;
      into[p + 2] = q >> 16;
    }
  }
  dither.state = state;
  return length * stride;
}

/**
 * Writes planar float audio as WAV bytes for decoder tests: PCM 8/16/24/32, float 32/64,
 * optional WAVE_FORMAT_EXTENSIBLE with a channel mask, optional RF64 (ds64) header.
 * Integer formats round and clamp (full scale +1.0 becomes the largest positive code).
 */
export type WavSampleFormat = 'pcm8' | 'pcm16' | 'pcm24' | 'pcm32' | 'float32' | 'float64';

export interface WavOptions {
  sampleRate: number;
  format: WavSampleFormat;
  /** Write WAVE_FORMAT_EXTENSIBLE with this dwChannelMask. */
  channelMask?: number;
  /** Write an RF64 header (sizes 0xFFFFFFFF, real sizes in ds64). */
  rf64?: boolean;
}

const BYTES: Record<WavSampleFormat, number> = { pcm8: 1, pcm16: 2, pcm24: 3, pcm32: 4, float32: 4, float64: 8 };

/** Quantises one sample to a signed integer of `bits` (8-bit WAV is stored offset by 128). */
export function quantise(v: number, bits: number): number {
  const max = 2 ** (bits - 1);
  return Math.max(-max, Math.min(max - 1, Math.round(v * max)));
}

export function writeWav(planar: Float32Array[], o: WavOptions): Uint8Array {
  const channels = planar.length,
    frames = planar[0]?.length ?? 0;
  const bytes = BYTES[o.format];
  const isFloat = o.format.startsWith('float');
  const dataSize = frames * channels * bytes;
  const extensible = o.channelMask !== undefined;
  const fmtSize = extensible ? 40 : 16;
  const ds64Size = o.rf64 ? 8 + 28 : 0;
  const total = 12 + ds64Size + 8 + fmtSize + 8 + dataSize + (dataSize & 1);
  const out = new Uint8Array(total);
  const v = new DataView(out.buffer);
  const str = (at: number, s: string) => {
    for (let i = 0; i < 4; i++) out[at + i] = s.charCodeAt(i);
  };
  str(0, o.rf64 ? 'RF64' : 'RIFF');
  v.setUint32(4, o.rf64 ? 0xffffffff : total - 8, true);
  str(8, 'WAVE');
  let p = 12;
  if (o.rf64) {
    str(p, 'ds64');
    v.setUint32(p + 4, 28, true);
    v.setUint32(p + 8, (total - 8) >>> 0, true);
    v.setUint32(p + 12, Math.floor((total - 8) / 2 ** 32), true);
    v.setUint32(p + 16, dataSize >>> 0, true);
    v.setUint32(p + 20, Math.floor(dataSize / 2 ** 32), true);
    v.setUint32(p + 24, frames >>> 0, true);
    v.setUint32(p + 28, 0, true);
    v.setUint32(p + 32, 0, true);
    p += 36;
  }
  str(p, 'fmt ');
  v.setUint32(p + 4, fmtSize, true);
  const tag = isFloat ? 3 : 1;
  v.setUint16(p + 8, extensible ? 0xfffe : tag, true);
  v.setUint16(p + 10, channels, true);
  v.setUint32(p + 12, o.sampleRate, true);
  v.setUint32(p + 16, o.sampleRate * channels * bytes, true);
  v.setUint16(p + 20, channels * bytes, true);
  v.setUint16(p + 22, bytes * 8, true);
  if (extensible) {
    v.setUint16(p + 24, 22, true);
    v.setUint16(p + 26, bytes * 8, true);
    v.setUint32(p + 28, o.channelMask!, true);
    // KSDATAFORMAT_SUBTYPE_PCM / _IEEE_FLOAT: {0000000X-0000-0010-8000-00aa00389b71}
    const guid = [tag, 0, 0, 0, 0, 0, 0x10, 0, 0x80, 0, 0, 0xaa, 0, 0x38, 0x9b, 0x71];
    out.set(guid, p + 32);
  }
  p += 8 + fmtSize;
  str(p, 'data');
  v.setUint32(p + 4, o.rf64 ? 0xffffffff : dataSize, true);
  p += 8;
  for (let i = 0; i < frames; i++) {
    for (let c = 0; c < channels; c++) {
      const s = planar[c]![i]!;
      switch (o.format) {
        case 'pcm8':
          out[p] = quantise(s, 8) + 128;
          break;
        case 'pcm16':
          v.setInt16(p, quantise(s, 16), true);
          break;
        case 'pcm24': {
          const q = quantise(s, 24);
          out[p] = q & 0xff;
          out[p + 1] = (q >> 8) & 0xff;
          out[p + 2] = (q >> 16) & 0xff;
          break;
        }
        case 'pcm32':
          v.setInt32(p, quantise(s, 32), true);
          break;
        case 'float32':
          v.setFloat32(p, s, true);
          break;
        case 'float64':
          v.setFloat64(p, s, true);
          break;
      }
      p += bytes;
    }
  }
  return out;
}

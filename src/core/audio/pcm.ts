/** Interleaved PCM/float bytes to planar Float32, for WAV and AIFF. */
export interface PcmFormat {
  kind: 'int' | 'float';
  /** Bytes per sample in the container (1, 2, 3, 4 or 8). */
  bytes: number;
  bigEndian: boolean;
  /** 8-bit WAV is unsigned (offset 128); 8-bit AIFF is signed. */
  unsigned8: boolean;
}

/**
 * Decodes `frames` frames of `channels` interleaved samples from `src` into `out[c]`.
 * Integers scale by 2^-(container bits - 1), so left-justified samples (24-in-32) read right.
 */
export function decodePcm(src: Uint8Array, frames: number, channels: number, f: PcmFormat, out: Float32Array[]): void {
  const view = new DataView(src.buffer, src.byteOffset, src.byteLength);
  const le = !f.bigEndian;
  for (let c = 0; c < channels; c++) {
    const dst = out[c]!;
    const stride = channels * f.bytes;
    let p = c * f.bytes;
    if (f.kind === 'float') {
      if (f.bytes === 4) for (let i = 0; i < frames; i++, p += stride) dst[i] = view.getFloat32(p, le);
      else for (let i = 0; i < frames; i++, p += stride) dst[i] = view.getFloat64(p, le);
      continue;
    }
    switch (f.bytes) {
      case 1:
        if (f.unsigned8) for (let i = 0; i < frames; i++, p += stride) dst[i] = (src[p]! - 128) / 128;
        else for (let i = 0; i < frames; i++, p += stride) dst[i] = ((src[p]! << 24) >> 24) / 128;
        break;
      case 2:
        if (le)
          for (let i = 0; i < frames; i++, p += stride) dst[i] = (((src[p]! | (src[p + 1]! << 8)) << 16) >> 16) / 32768;
        else
          for (let i = 0; i < frames; i++, p += stride) dst[i] = (((src[p + 1]! | (src[p]! << 8)) << 16) >> 16) / 32768;
        break;
      case 3:
        if (le)
          for (let i = 0; i < frames; i++, p += stride)
            dst[i] = (((src[p]! | (src[p + 1]! << 8) | (src[p + 2]! << 16)) << 8) >> 8) / 8388608;
        else
          for (let i = 0; i < frames; i++, p += stride)
            dst[i] = (((src[p + 2]! | (src[p + 1]! << 8) | (src[p]! << 16)) << 8) >> 8) / 8388608;
        break;
      case 4:
        for (let i = 0; i < frames; i++, p += stride) dst[i] = view.getInt32(p, le) / 2147483648;
        break;
      default:
        throw new RangeError(`unsupported integer sample size of ${f.bytes} bytes`);
    }
  }
}

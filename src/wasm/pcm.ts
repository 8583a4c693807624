/** Interleaved PCM decoded straight into the channels' inputs (mirrors src/core/audio/pcm.ts). */
import { MAX, INS, rawOffset } from './memory-layout';

/**
 * Decodes `frames` interleaved frames at rawOffset(channels) into the channels' inputs, with
 * the arithmetic of pcm.ts decodePcm (integers scale by 2^-(container bits - 1); every result
 * is exact in float32 except 32-bit integers and float64, rounded as a Float32Array store does).
 */
export function decodePcm(
  channels: i32,
  frames: i32,
  isFloat: bool,
  bytes: i32,
  bigEndian: bool,
  unsigned8: bool,
): void {
  const stride = <usize>(channels * bytes);
  for (let c: i32 = 0; c < channels; c++) {
    let p = rawOffset(channels) + <usize>(c * bytes);
    const dst = INS + <usize>(c * MAX * 4);
    const end = dst + ((<usize>frames) << 2);
    if (isFloat) {
      if (bytes == 4) {
        if (bigEndian)
          for (let d = dst; d < end; d += 4, p += stride) store<f32>(d, reinterpret<f32>(bswap<u32>(load<u32>(p))));
        else for (let d = dst; d < end; d += 4, p += stride) store<f32>(d, load<f32>(p));
      } else {
        if (bigEndian)
          for (let d = dst; d < end; d += 4, p += stride)
            store<f32>(d, <f32>reinterpret<f64>(bswap<u64>(load<u64>(p))));
        else for (let d = dst; d < end; d += 4, p += stride) store<f32>(d, <f32>load<f64>(p));
      }
      continue;
    }
    if (bytes == 1) {
      if (unsigned8)
        for (let d = dst; d < end; d += 4, p += stride) store<f32>(d, <f32>((<f64>load<u8>(p) - 128) / 128));
      else for (let d = dst; d < end; d += 4, p += stride) store<f32>(d, <f32>(<f64>load<i8>(p) / 128));
    } else if (bytes == 2) {
      if (bigEndian)
        for (let d = dst; d < end; d += 4, p += stride)
          store<f32>(d, <f32>(<f64>(<i16>bswap<u16>(load<u16>(p))) / 32768));
      else for (let d = dst; d < end; d += 4, p += stride) store<f32>(d, <f32>(<f64>load<i16>(p) / 32768));
    } else if (bytes == 3) {
      // Four bytes read (the raw buffer has slack) and the sample put in the top 24 bits of an
      // i32: v * 2^8 / 2^31 is exactly v / 2^23. (A sign-extending `<< 8 >> 8` was compiled to
      // i64 shifts that keep the fourth byte.)
      if (bigEndian)
        for (let d = dst; d < end; d += 4, p += stride)
          store<f32>(d, <f32>(<f64>(<i32>(bswap<u32>(load<u32>(p)) & 0xffffff00)) / 2147483648));
      else
        for (let d = dst; d < end; d += 4, p += stride)
          store<f32>(d, <f32>(<f64>(<i32>(load<u32>(p) << 8)) / 2147483648));
    } else {
      if (bigEndian)
        for (let d = dst; d < end; d += 4, p += stride)
          store<f32>(d, <f32>(<f64>(<i32>bswap<u32>(load<u32>(p))) / 2147483648));
      else for (let d = dst; d < end; d += 4, p += stride) store<f32>(d, <f32>(<f64>load<i32>(p) / 2147483648));
    }
  }
}

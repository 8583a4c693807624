/**
 * A WebCodecs AudioData as the round trip's DecodedBlock: its channels copied out as 32-bit
 * float planes, and the frame closed (a decoder stalls when its outputs are not closed). Both
 * round trips decode with WebCodecs' AudioDecoder, whatever encoded the audio.
 */
import type { DecodedBlock } from '../../src/core/codec/round-trip.ts';

export function decodedBlock(data: AudioData): DecodedBlock {
  try {
    const planes = Array.from({ length: data.numberOfChannels }, (_, c) => {
      const p = new Float32Array(data.numberOfFrames);
      data.copyTo(p, { planeIndex: c, format: 'f32-planar' });
      return p;
    });
    return { planes, sampleRate: data.sampleRate };
  } finally {
    data.close();
  }
}

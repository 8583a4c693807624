/**
 * The peak envelope of a decoded AudioBuffer, in the shape of the analysis overview
 * (core/dsp/overview.ts), so the A/B panel's loop strip draws with the waveform plot's band
 * (waveform.ts). The report keeps only the mix's overview, and a reference's file is decoded in
 * the panel anyway: one pass over the decoded samples (every other frame, as the analysis does)
 * costs a few tens of milliseconds for a 4-minute stereo track, once per decode.
 */
import type { OverviewData } from '../../core/dsp/overview.ts';

interface DecodedAudio {
  readonly length: number;
  readonly numberOfChannels: number;
  getChannelData(channel: number): Float32Array;
}

/** `columns` equal stretches (fewer for a very short buffer), min and max over all channels. */
export function bufferOverview(buffer: DecodedAudio, columns = 600): OverviewData {
  const framesPerColumn = Math.max(1, Math.ceil(buffer.length / columns));
  const count = Math.ceil(buffer.length / framesPerColumn);
  const min = new Array<number>(count).fill(0);
  const max = new Array<number>(count).fill(0);
  for (let c = 0; c < buffer.numberOfChannels; c++) {
    const data = buffer.getChannelData(c);
    for (let col = 0; col < count; col++) {
      const end = Math.min(data.length, (col + 1) * framesPerColumn);
      let lo = min[col]!,
        hi = max[col]!;
      for (let i = col * framesPerColumn; i < end; i += 2) {
        const v = data[i]!;
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
      min[col] = lo;
      max[col] = hi;
    }
  }
  return { framesPerColumn, min, max, goniometer: null };
}

/**
 * Decodes a compressed file (MP3, AAC, Ogg, WebM) with the browser's own decoder on the main
 * thread: an OfflineAudioContext exists only there. The context is created at the sample
 * rate the file's header declares, so decodeAudioData does not resample. The encoded file and
 * the decoded audio are both held in memory for this path (compressed files are small; the
 * WAV/AIFF/FLAC path streams instead).
 */
import type { StreamSummary } from '../../core/analysis/worker-contract.ts';
import type { CompressedHeader } from '../../core/analysis/compressed-header.ts';

export interface DecodedAudio {
  stream: StreamSummary;
  planar: Float32Array[];
}

/** Thrown with a message that names the file and says the device cannot decode the format. */
export class CannotDecodeHereError extends Error {}

/** Whether this browser says it can decode `mime` at all (a damaged file is then told apart). */
function canDecode(mime: string): boolean {
  try {
    return typeof Audio === 'function' && new Audio().canPlayType(mime) !== '';
  } catch {
    return false;
  }
}

export async function decodeInBrowser(file: Blob, name: string, header: CompressedHeader): Promise<DecodedAudio> {
  const Offline = globalThis.OfflineAudioContext;
  if (typeof Offline !== 'function')
    throw new CannotDecodeHereError(
      `${name}: ${header.format} cannot be decoded on this device (this browser has no OfflineAudioContext); WAV, AIFF and FLAC can always be analysed`,
    );
  if (!header.sampleRate)
    throw new CannotDecodeHereError(
      `${name}: the ${header.format} header does not state a sample rate this page can read, so it cannot be decoded without resampling; convert it to WAV or FLAC to analyse it`,
    );
  let context: OfflineAudioContext;
  try {
    context = new Offline({
      numberOfChannels: Math.max(1, header.channels ?? 2),
      length: 1,
      sampleRate: header.sampleRate,
    });
  } catch {
    throw new CannotDecodeHereError(
      `${name}: this browser cannot decode audio at ${header.sampleRate} Hz without resampling, so ${header.format} at that rate cannot be measured on this device`,
    );
  }
  let buffer: AudioBuffer;
  try {
    buffer = await context.decodeAudioData(await file.arrayBuffer());
  } catch (error) {
    const why = error instanceof Error && error.message ? ` (${error.message})` : '';
    if (!canDecode(header.mime))
      throw new CannotDecodeHereError(
        `${name}: ${header.format} cannot be decoded on this device: this browser has no decoder for it${why}`,
      );
    throw new CannotDecodeHereError(
      `${name}: the browser's ${header.format} decoder could not read this file; it may be damaged or not really ${header.format}${why}`,
    );
  }
  const planar: Float32Array[] = [];
  for (let c = 0; c < buffer.numberOfChannels; c++) planar.push(buffer.getChannelData(c).slice());
  return {
    planar,
    stream: {
      format: header.format,
      encoding: header.format,
      sampleRate: buffer.sampleRate,
      channels: buffer.numberOfChannels,
      decodedBy: 'browser decoder',
    },
  };
}

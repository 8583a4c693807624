/**
 * The codec check, streamed: the source is decoded chunk by chunk; each chunk goes to the
 * "before" analyser and through the codec round trip, whose decoded output goes to the "after"
 * analyser. Memory is the decoder's chunk, the codec's frames in flight and the two analysers'
 * fixed buffers, whatever the file's length. The encoder delay still in the decoded stream is
 * skipped and the codec's tail padding beyond the source's length is dropped, so over times are
 * source times and padding cannot add overs past the end.
 */
import type { StreamingTarget } from '../diagnostics/delivery-targets.ts';
import { makeAnalyser, type Analyser } from '../dsp/analyser.ts';
import type { KernelFactory } from '../dsp/kernels.ts';
import type { ByteSource } from '../audio/byte-source.ts';
import { AudioDecodeError } from '../audio/decoder.ts';
import { openAudio } from '../audio/open-audio.ts';
import { buildCodecCheck, type CodecCheckRecord } from './codec-check.ts';
import type { DecodedBlock, RoundTripFactory } from './round-trip.ts';

export const CODEC_CHECK_CANCELLED = 'codec check cancelled';

/** Lossy delivery codecs are stereo at most (multichannel Opus/AAC needs channel mappings no platform streams music with). */
export const MAX_CODEC_CHANNELS = 2;

export interface CodecCheckOptions {
  platform: StreamingTarget;
  roundTrip: RoundTripFactory;
  kernels?: KernelFactory;
  signal?: AbortSignal;
  onProgress?: (percent: number) => void;
  /** Milliseconds clock (the core has none of its own). */
  now?: () => number;
  /** Wall-clock time of the check (Date.now() from the caller). */
  checkedAt?: number;
}

export class CodecUnavailableError extends Error {
  override readonly name = 'CodecUnavailableError';
}

/** Counts samples beyond full scale while feeding an analyser. */
function countClipped(planes: readonly Float32Array[], length: number): number {
  let n = 0;
  for (const p of planes) for (let i = 0; i < length; i++) if (Math.abs(p[i]!) > 1) n++;
  return n;
}

export async function codecCheckAudio(source: ByteSource, o: CodecCheckOptions): Promise<CodecCheckRecord> {
  const now = o.now ?? (() => 0);
  const started = now();
  const decoder = await openAudio(source);
  const { info } = decoder;
  if (info.channels > MAX_CODEC_CHANNELS)
    throw new AudioDecodeError(
      source.name,
      `the codec check takes mono or stereo files (this one has ${info.channels} channels)`,
    );
  const kernels = o.kernels ? { kernels: o.kernels } : {};
  const before = makeAnalyser({
    sampleRate: info.sampleRate,
    channels: info.channels,
    channelLayout: info.channelLayout,
    ...kernels,
  });
  const codec = o.platform.codec;
  const made = await o.roundTrip({
    codec: codec.codec,
    bitrateKbps: codec.bitrateKbps,
    sampleRate: info.sampleRate,
    channels: info.channels,
  });
  if ('unavailable' in made) throw new CodecUnavailableError(made.unavailable);
  const rt = made;
  let after: Analyser | null = null;
  let afterRate = info.sampleRate;
  let skip = rt.delayFrames;
  let afterFrames = 0;
  let beforeClipped = 0,
    afterClipped = 0;
  const feed = (blocks: DecodedBlock[]) => {
    for (const b of blocks) {
      if (!after) {
        afterRate = b.sampleRate;
        after = makeAnalyser({
          sampleRate: b.sampleRate,
          channels: b.planes.length,
          channelLayout: info.channelLayout.slice(0, b.planes.length),
          ...kernels,
        });
      }
      const len = b.planes[0]?.length ?? 0;
      const from = Math.min(len, skip);
      skip -= from;
      // The source's length at the decoded rate: the codec's tail padding beyond it is dropped.
      const limit = Math.round((before.frames * afterRate) / info.sampleRate);
      const take = Math.min(len - from, Math.max(0, limit - afterFrames));
      if (take <= 0) continue;
      const planes = from === 0 && take === len ? b.planes : b.planes.map((p) => p.subarray(from, from + take));
      afterClipped += countClipped(planes, take);
      after.push(planes);
      afterFrames += take;
    }
  };
  try {
    let last = -1;
    for await (const chunk of decoder.chunks()) {
      if (o.signal?.aborted) throw new AudioDecodeError(source.name, CODEC_CHECK_CANCELLED);
      before.push(chunk);
      beforeClipped += countClipped(chunk, chunk[0]?.length ?? 0);
      feed(await rt.push(chunk));
      if (o.onProgress && info.declaredFrames) {
        const p = Math.min(99, Math.floor((100 * before.frames) / info.declaredFrames));
        if (p !== last) o.onProgress((last = p));
      }
    }
    if (o.signal?.aborted) throw new AudioDecodeError(source.name, CODEC_CHECK_CANCELLED);
    feed(await rt.flush());
  } finally {
    rt.close();
  }
  if (before.frames === 0) throw new AudioDecodeError(source.name, 'no audio frames could be decoded');
  const afterAnalyser = after as Analyser | null;
  if (!afterAnalyser || afterAnalyser.frames === 0)
    throw new AudioDecodeError(source.name, `the ${rt.encoder} round trip returned no audio`);
  const record = buildCodecCheck({
    platform: o.platform,
    inputName: source.name,
    encoder: rt.encoder,
    before: before.finish(),
    beforeClipped,
    after: afterAnalyser.finish(),
    afterClipped,
    // The delay was skipped above: positions are already source times.
    delaySeconds: 0,
    checkedAt: o.checkedAt ?? 0,
    elapsedMs: now() - started,
  });
  o.onProgress?.(100);
  return record;
}

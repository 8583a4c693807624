/**
 * Codec-check worker entry: the platform's delivery codec applied and decoded back
 * (src/core/codec/codec-check-audio.ts) off the main thread, behind comlink, with the browser's
 * WebCodecs encoder (./codec/webcodecs-round-trip.ts) or, for MP3, LAME in WASM
 * (./codec/wasm-mp3-round-trip.ts). The contract is
 * src/core/analysis/codec-contract.ts. `cancel(job)` aborts the job's signal: it stops at its
 * next chunk and the codec is closed.
 */
import { expose } from 'comlink';
import type { CodecJobOutcome, CodecWorkerApi } from '../src/core/analysis/codec-contract.ts';
import { ReadAheadBlobSource } from '../src/core/analysis/read-ahead-source.ts';
import { CODEC_CHECK_CANCELLED, codecCheckAudio, CodecUnavailableError } from '../src/core/codec/codec-check-audio.ts';
import { findTarget, type StreamingTarget } from '../src/core/diagnostics/delivery-targets.ts';
import { compileBundledMeterKernels } from '../src/core/dsp/wasm-kernels.ts';
import { firstAvailable } from '../src/core/codec/round-trip.ts';
import { wasmMp3RoundTrip } from './codec/wasm-mp3-round-trip.ts';
import { webCodecsRoundTrip } from './codec/webcodecs-round-trip.ts';
import { releaseCallback } from './release-callback.ts';

/** The browser's WebCodecs encoder where it has one for the codec, else LAME in WASM for MP3. */
const roundTrip = firstAvailable([webCodecsRoundTrip, wasmMp3RoundTrip]);

const running = new Map<number, AbortController>();

function platform(id: string): StreamingTarget | null {
  const t = findTarget(id);
  return t && t.kind === 'streaming' ? t : null;
}

const api: CodecWorkerApi = {
  async unavailable(platformId, sampleRate, channels) {
    const p = platform(platformId);
    if (!p) return `${platformId} is not a streaming platform`;
    const rt = await roundTrip({
      codec: p.codec.codec,
      bitrateKbps: p.codec.bitrateKbps,
      sampleRate,
      channels,
    });
    if ('unavailable' in rt) return rt.unavailable;
    rt.close();
    return null;
  },
  async check(job, file, name, platformId, onProgress): Promise<CodecJobOutcome> {
    const controller = new AbortController();
    running.set(job, controller);
    try {
      const p = platform(platformId);
      if (!p) return { ok: false, reason: 'failed', message: `${platformId} is not a streaming platform` };
      const kernels = await compileBundledMeterKernels().catch(() => undefined);
      const record = await codecCheckAudio(new ReadAheadBlobSource(name, file), {
        platform: p,
        roundTrip,
        signal: controller.signal,
        onProgress,
        now: () => performance.now(),
        checkedAt: Date.now(),
        ...(kernels ? { kernels } : {}),
      });
      return { ok: true, record };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (error instanceof CodecUnavailableError) return { ok: false, reason: 'unavailable', message };
      const cancelled = controller.signal.aborted || message.endsWith(CODEC_CHECK_CANCELLED);
      return { ok: false, reason: cancelled ? 'cancelled' : 'failed', message };
    } finally {
      running.delete(job);
      releaseCallback(onProgress);
    }
  },
  cancel(job) {
    running.get(job)?.abort();
  },
};

expose(api);

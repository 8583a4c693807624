/**
 * The contract between the codec-check worker (workers/codec.worker.ts) and the main thread
 * (src/platform/analysis/codec-client.ts). A check reads the source File slice by slice, runs
 * it through the platform's delivery codec with the browser's own encoder (WebCodecs) and
 * measures before and after; only figures come back, the audio never leaves the device.
 * Failures come back as values: cancelled, "no encoder for this codec here" (said plainly, not
 * an error) and failed are told apart.
 */
import type { BlobLike } from '../audio/byte-source.ts';
import type { CodecCheckRecord } from '../codec/codec-check.ts';

export type CodecJobOutcome =
  | { ok: true; record: CodecCheckRecord }
  | { ok: false; reason: 'cancelled' | 'unavailable' | 'failed'; message: string };

export type CodecProgress = (percent: number) => void;

export interface CodecWorkerApi {
  /** Null when this browser can run the platform's codec, else the plain reason it cannot. */
  unavailable(platformId: string, sampleRate: number, channels: number): Promise<string | null>;
  check(
    job: number,
    file: BlobLike,
    name: string,
    platformId: string,
    onProgress: CodecProgress,
  ): Promise<CodecJobOutcome>;
  /** Stops job `job` at its next chunk; its promise resolves as cancelled. */
  cancel(job: number): void;
}

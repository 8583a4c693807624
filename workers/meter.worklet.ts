/**
 * Live meter AudioWorkletProcessor: momentary (400 ms) and short-term (3 s) loudness, true peak
 * and left/right correlation of what is playing. Audio passes through unchanged.
 *
 * The hot loops are the core's metering kernels (src/core/dsp/kernels.ts): the WASM build
 * (compiled from the copy embedded in the bundle, no fetch) or, where WASM cannot compile, the
 * TypeScript reference. Compilation is asynchronous, so metering starts when it is done (a few
 * milliseconds; audio passes through meanwhile), which never mixes two filter states.
 *
 * Everything is allocated in the constructor (or once when the kernels are ready); process()
 * only reads and writes preallocated typed arrays. Windows are the allocation-free sliding sums
 * in workers/meter-windows.ts. Values are posted about 30 times a second (at most 60): a
 * Float64Array [momentary LUFS, short-term LUFS, true peak dBTP since the last post,
 * correlation, seconds metered, 1 if WASM else 0]; NaN where a value does not exist yet.
 * True peak leaves out the first 100 ms of sound after each join the page posts
 * (METER_JOIN_MESSAGE: play, seek, loop), where the player splices the audio (peak-settle.ts).
 * The structured clone made by postMessage is the only allocation; avoiding it would need a
 * SharedArrayBuffer, which needs a cross-origin-isolated page.
 */
import { channelWeight, defaultLayout } from '../src/core/dsp/channels.ts';
import { kWeightingFilters } from '../src/core/dsp/k-weighting.ts';
import { makeTsKernels, type MeterKernels } from '../src/core/dsp/kernels.ts';
import { METER_JOIN_MESSAGE, PeakSettle } from '../src/core/dsp/peak-settle.ts';
import { compileBundledMeterKernels } from '../src/core/dsp/wasm-kernels.ts';
import { MeterWindows } from './meter-windows.ts';

/** Largest block metered at once (the render quantum is 128 frames today). */
const MAX_BLOCK = 4096;
const POSTS_PER_SECOND = 30;

export interface MeterOptions {
  channels: number;
}

class LiveMeterProcessor extends AudioWorkletProcessor {
  private readonly channels: number;
  private readonly weights: Float64Array;
  private kernels: MeterKernels | null = null;
  private wasm = false;
  private readonly lr = new Float64Array(MAX_BLOCK);
  private readonly ll = new Float64Array(MAX_BLOCK);
  private readonly rr = new Float64Array(MAX_BLOCK);
  private readonly loudness: MeterWindows;
  private readonly corr: MeterWindows[];
  private readonly peaks: Float64Array;
  private readonly settle: PeakSettle;
  private readonly out = new Float64Array(6);
  private readonly postEvery: number;
  private sinceLast = 0;
  private frames = 0;
  private readonly momentarySubs = 40;
  private readonly shortSubs = 300;

  constructor(options?: { processorOptions?: unknown }) {
    super();
    const requested = (options?.processorOptions as MeterOptions | undefined)?.channels ?? 2;
    this.channels = Math.max(1, Math.min(8, requested));
    const channels = this.channels;
    this.weights = Float64Array.from(defaultLayout(channels), channelWeight);
    const filters = kWeightingFilters(sampleRate);
    const sub = Math.max(1, Math.round(sampleRate / 100));
    this.loudness = new MeterWindows(sub, this.shortSubs);
    this.corr = [0, 1, 2].map(() => new MeterWindows(sub, this.momentarySubs));
    this.peaks = new Float64Array(channels);
    this.postEvery = Math.ceil(sampleRate / POSTS_PER_SECOND);
    this.settle = new PeakSettle(sampleRate);
    this.port.onmessage = (event) => {
      if (event.data === METER_JOIN_MESSAGE) this.settle.join();
    };
    compileBundledMeterKernels()
      .then((factory) => {
        this.kernels = factory(channels, filters);
        this.wasm = true;
      })
      .catch(() => {
        this.kernels = makeTsKernels(channels, filters);
      });
  }

  process(inputs: Float32Array[][], outputs: Float32Array[][]): boolean {
    const input = inputs[0];
    const output = outputs[0];
    if (input && output) for (let c = 0; c < output.length && c < input.length; c++) output[c]!.set(input[c]!);
    const k = this.kernels;
    if (!k || !input || input.length === 0) return true;
    const length = Math.min(MAX_BLOCK, k.maxFrames, input[0]!.length);
    k.begin(length);
    // The interpolator runs on every block (its history must stay whole); only the reading waits.
    const peaksCount = this.settle.counts(input, length);
    for (let c = 0; c < this.channels; c++) {
      k.load(c, input[Math.min(c, input.length - 1)]!, length);
      k.kWeight(c, this.weights[c]!);
      const peak = k.truePeak(c, 0);
      if (peaksCount && peak > this.peaks[c]!) this.peaks[c] = peak;
    }
    this.loudness.push(k.energy, length);
    if (this.channels >= 2 && input.length >= 2) {
      const l = input[0]!,
        r = input[1]!;
      for (let n = 0; n < length; n++) {
        const a = l[n]!,
          b = r[n]!;
        this.lr[n] = a * b;
        this.ll[n] = a * a;
        this.rr[n] = b * b;
      }
      this.corr[0]!.push(this.lr, length);
      this.corr[1]!.push(this.ll, length);
      this.corr[2]!.push(this.rr, length);
    }
    this.frames += length;
    this.sinceLast += length;
    if (this.sinceLast >= this.postEvery) {
      this.sinceLast = 0;
      this.post();
    }
    return true;
  }

  private post(): void {
    const out = this.out;
    const m = this.loudness.mean(this.momentarySubs),
      s = this.loudness.mean(this.shortSubs);
    out[0] = m > 0 ? -0.691 + 10 * Math.log10(m) : m === 0 ? -Infinity : NaN;
    out[1] = s > 0 ? -0.691 + 10 * Math.log10(s) : s === 0 ? -Infinity : NaN;
    let peak = 0;
    for (let c = 0; c < this.channels; c++) {
      peak = Math.max(peak, this.peaks[c]!);
      this.peaks[c] = 0;
    }
    out[2] = 20 * Math.log10(peak);
    const lr = this.corr[0]!.mean(this.momentarySubs),
      ll = this.corr[1]!.mean(this.momentarySubs),
      rr = this.corr[2]!.mean(this.momentarySubs);
    out[3] = ll > 0 && rr > 0 ? lr / Math.sqrt(ll * rr) : NaN;
    out[4] = this.frames / sampleRate;
    out[5] = this.wasm ? 1 : 0;
    this.port.postMessage(out);
  }
}

registerProcessor('mixdesk-live-meter', LiveMeterProcessor);

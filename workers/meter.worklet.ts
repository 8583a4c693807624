/**
 * Live meter AudioWorkletProcessor: momentary (400 ms) and short-term (3 s) loudness, true peak
 * and left/right correlation of what is playing. Audio passes through unchanged.
 *
 * Everything is allocated in the constructor; process() only reads and writes preallocated
 * typed arrays. K-weighting is the core's fused filter (src/core/dsp/k-weighting.ts
 * `kWeightInto`, which does not allocate); windows and true peak are the allocation-free
 * streaming variants in workers/meter-*.ts. Values are posted about 30 times a second (at most
 * 60): a Float64Array [momentary LUFS, short-term LUFS, true peak dBTP since the last post,
 * correlation, seconds played]; NaN where a value does not exist yet. The structured clone
 * made by postMessage is the only allocation, and it happens outside process()'s arithmetic;
 * avoiding it would need a SharedArrayBuffer, which needs a cross-origin-isolated page.
 */
import { channelWeight, defaultLayout } from '../src/core/dsp/channels.ts';
import { kWeightingFilters, kWeightInto } from '../src/core/dsp/k-weighting.ts';
import type { Biquad } from '../src/core/dsp/biquad.ts';
import { MeterTruePeak } from './meter-true-peak.ts';
import { MeterWindows } from './meter-windows.ts';

/** Largest block process() is given (the render quantum is 128 frames today). */
const MAX_BLOCK = 4096;
const POSTS_PER_SECOND = 30;

export interface MeterOptions { channels: number }

class LiveMeterProcessor extends AudioWorkletProcessor {
  private readonly channels: number;
  private readonly weights: Float64Array;
  private readonly filters: readonly [Biquad, Biquad];
  private readonly states: Float64Array[];
  private readonly kOut: Float64Array;
  private readonly energy = new Float64Array(MAX_BLOCK);
  private readonly squares = new Float64Array(MAX_BLOCK);
  private readonly lr = new Float64Array(MAX_BLOCK);
  private readonly ll = new Float64Array(MAX_BLOCK);
  private readonly rr = new Float64Array(MAX_BLOCK);
  private readonly loudness: MeterWindows;
  private readonly corr: MeterWindows[];
  private readonly peaks: MeterTruePeak[];
  private readonly out = new Float64Array(5);
  private readonly postEvery: number;
  private sinceLast = 0;
  private frames = 0;
  private readonly momentarySubs: number;
  private readonly shortSubs: number;

  constructor(options?: { processorOptions?: unknown }) {
    super();
    const requested = (options?.processorOptions as MeterOptions | undefined)?.channels ?? 2;
    this.channels = Math.max(1, Math.min(8, requested));
    this.weights = Float64Array.from(defaultLayout(this.channels), channelWeight);
    this.filters = kWeightingFilters(sampleRate);
    this.states = Array.from({ length: this.channels }, () => new Float64Array(8));
    this.kOut = new Float64Array(MAX_BLOCK);
    const sub = Math.max(1, Math.round(sampleRate / 100));
    this.momentarySubs = 40;
    this.shortSubs = 300;
    this.loudness = new MeterWindows(sub, this.shortSubs);
    this.corr = [0, 1, 2].map(() => new MeterWindows(sub, this.momentarySubs));
    this.peaks = Array.from({ length: this.channels }, () => new MeterTruePeak(MAX_BLOCK));
    this.postEvery = Math.ceil(sampleRate / POSTS_PER_SECOND);
  }

  process(inputs: Float32Array[][], outputs: Float32Array[][]): boolean {
    const input = inputs[0];
    const output = outputs[0];
    const length = Math.min(MAX_BLOCK, input?.[0]?.length ?? output?.[0]?.length ?? 128);
    if (!input || input.length === 0) {
      // Nothing connected or the source is silent: meter digital silence.
      this.energy.fill(0, 0, length);
      this.loudness.push(this.energy, length);
    } else {
      this.energy.fill(0, 0, length);
      this.squares.fill(0, 0, length);
      for (let c = 0; c < this.channels; c++) {
        const x = input[Math.min(c, input.length - 1)]!;
        kWeightInto(this.filters, this.states[c]!, x, this.kOut, this.weights[c]!, this.energy, this.squares, length);
        this.peaks[c]!.push(x, length);
        const o = output?.[c];
        if (o) o.set(x.length === o.length ? x : x.subarray(0, o.length));
      }
      this.loudness.push(this.energy, length);
      if (this.channels >= 2 && input.length >= 2) {
        const l = input[0]!, r = input[1]!;
        for (let n = 0; n < length; n++) { const a = l[n]!, b = r[n]!; this.lr[n] = a * b; this.ll[n] = a * a; this.rr[n] = b * b; }
        this.corr[0]!.push(this.lr, length); this.corr[1]!.push(this.ll, length); this.corr[2]!.push(this.rr, length);
      }
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
    const m = this.loudness.mean(this.momentarySubs), s = this.loudness.mean(this.shortSubs);
    out[0] = m > 0 ? -0.691 + 10 * Math.log10(m) : m === 0 ? -Infinity : NaN;
    out[1] = s > 0 ? -0.691 + 10 * Math.log10(s) : s === 0 ? -Infinity : NaN;
    let peak = 0;
    for (let c = 0; c < this.channels; c++) peak = Math.max(peak, this.peaks[c]!.take());
    out[2] = 20 * Math.log10(peak);
    const lr = this.corr[0]!.mean(this.momentarySubs), ll = this.corr[1]!.mean(this.momentarySubs), rr = this.corr[2]!.mean(this.momentarySubs);
    out[3] = ll > 0 && rr > 0 ? lr / Math.sqrt(ll * rr) : NaN;
    out[4] = this.frames / sampleRate;
    this.port.postMessage(out);
  }
}

registerProcessor('mixdesk-live-meter', LiveMeterProcessor);

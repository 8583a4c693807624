/**
 * The WASM build of the metering kernels (src/wasm/meter.ts, built by scripts/build-wasm.ts).
 * Compile once, then create one kernel set per analyser: each instance owns its memory.
 * Nothing here fetches: the caller passes the module bytes (a worker can fetch
 * `new URL('./wasm/meter.wasm', import.meta.url)`, Node can read the file), or uses the copy
 * embedded in meter-wasm.ts via `compileBundledMeterKernels()`.
 */
import type { Biquad } from './biquad.ts';
import type { KernelFactory, PcmMeterKernels } from './kernels.ts';
import type { StereoMeter } from './stereo.ts';
import { CLIP_RUN, FULL_SCALE, SILENCE_AMPLITUDE } from './channel-levels.ts';
import { interpolatorPhases, MAX_ABS_GAIN, overThresholds } from './true-peak.ts';
import { METER_WASM_BASE64 } from './wasm/meter-wasm.ts';

interface MeterExports {
  memory: WebAssembly.Memory;
  inputOffset(c: number): number;
  energyOffset(): number;
  levelsOutOffset(): number;
  clipOutOffset(): number;
  stereoOutOffset(): number;
  hopOutOffset(): number;
  monoOffset(): number;
  lowPassOffset(): number;
  levels(
    c: number,
    length: number,
    offset: number,
    peakSoFar: number,
    fullScale: number,
    silence: number,
    minRun: number,
  ): number;
  openClipRun(c: number): void;
  stereo(l: number, r: number, length: number, hop: number): number;
  monoEnergy(l: number, r: number, length: number): void;
  pair(l: number, r: number, length: number, wl: number, wr: number, hop: number): number;
  squaresOffset(): number;
  kOutOffset(c: number): number;
  kCoefficientsOffset(): number;
  tapsOffset(): number;
  truePeakOutOffset(): number;
  maxFrames(): number;
  begin(length: number): void;
  resetChannel(c: number): void;
  restartTruePeak(c: number): void;
  kWeight(c: number, length: number, weight: number): void;
  truePeak(c: number, length: number, floor: number, maxGain: number): number;
  truePeakSummaryOffset(): number;
  truePeakEventsOffset(): number;
  setOverThresholds(low: number, high: number): void;
  framesOffset(): number;
  windowOffset(): number;
  powerOffset(): number;
  pairOffset(): number;
  fftMax(): number;
  fftSetup(size: number): void;
  spectrumFrame(slotA: number, slotB: number, pair: number): void;
  rawOffset(channels: number): number;
  decodePcm(
    channels: number,
    frames: number,
    isFloat: number,
    bytes: number,
    bigEndian: number,
    unsigned8: number,
  ): void;
  spectrumGather(slot: number, channel: number, from: number, at: number, take: number): void;
  spectrumClear(slot: number, at: number): void;
}

const MAX_CHANNELS = 32;

function instantiate(
  module: WebAssembly.Module,
  channels: number,
  filters: readonly [Biquad, Biquad],
): PcmMeterKernels {
  if (channels > MAX_CHANNELS) throw new RangeError(`the WASM kernels handle at most ${MAX_CHANNELS} channels`);
  const w = new WebAssembly.Instance(module, {}).exports as unknown as MeterExports;
  // Room for one spectrum frame per channel and a slice of raw PCM (8-byte samples, 16 bytes of
  // slack), grown before any view is made (growing detaches the buffer).
  const needed = w.rawOffset(channels) + channels * w.maxFrames() * 8 + 16;
  if (needed > w.memory.buffer.byteLength) w.memory.grow(Math.ceil((needed - w.memory.buffer.byteLength) / 65536));
  const buf = w.memory.buffer;
  const maxFrames = w.maxFrames();
  const raw = new Uint8Array(buf, w.rawOffset(channels), channels * maxFrames * 8);
  const inputs = Array.from({ length: channels }, (_, c) => new Float32Array(buf, w.inputOffset(c), maxFrames));
  const levelsOut = new Float64Array(buf, w.levelsOutOffset(), 8);
  const clipOut = new Float64Array(buf, w.clipOutOffset(), 2 * maxFrames);
  const stereoOut = new Float64Array(buf, w.stereoOutOffset(), 8);
  const hopOut = new Float64Array(buf, w.hopOutOffset(), 3 * (maxFrames + 1));
  const mono = new Float64Array(buf, w.monoOffset(), maxFrames);
  let lowPassSet = false;
  /** The stereo low-pass depends on the sample rate: copied in from the first StereoMeter seen. */
  const setLowPass = (into: StereoMeter): void => {
    if (lowPassSet) return;
    const lp = into.lowPassCoefficients;
    new Float64Array(buf, w.lowPassOffset(), 5).set([lp.b0, lp.b1, lp.b2, lp.a1, lp.a2]);
    lowPassSet = true;
  };
  const coef = new Float64Array(buf, w.kCoefficientsOffset(), 10);
  const [p, r] = filters;
  coef.set([p.b0, p.b1, p.b2, p.a1, p.a2, r.b0, r.b1, r.b2, r.a1, r.a2]);
  const taps = new Float64Array(buf, w.tapsOffset(), 48);
  interpolatorPhases().forEach((phase, i) => taps.set(phase, i * 16));
  const kOut = Array.from({ length: channels }, (_, c) => new Float64Array(buf, w.kOutOffset(c), maxFrames));
  for (let c = 0; c < channels; c++) w.resetChannel(c);
  w.setOverThresholds(...overThresholds());
  let length = 0;
  let pairSums = new Float64Array(0);
  return {
    maxFrames,
    energy: new Float64Array(buf, w.energyOffset(), maxFrames),
    squares: new Float64Array(buf, w.squaresOffset(), maxFrames),
    truePeakOut: new Float32Array(buf, w.truePeakOutOffset(), 4 * maxFrames),
    truePeakSummary: {
      header: new Float64Array(buf, w.truePeakSummaryOffset(), 5),
      events: new Int32Array(buf, w.truePeakEventsOffset(), 8 * maxFrames),
    },
    begin(n) {
      length = n;
      w.begin(n);
    },
    load(c, x, n) {
      inputs[c]!.set(n === x.length ? x : x.subarray(0, n));
    },
    input: (c) => inputs[c]!,
    loadPcm(bytes, frames, f) {
      raw.set(bytes);
      w.decodePcm(channels, frames, f.kind === 'float' ? 1 : 0, f.bytes, f.bigEndian ? 1 : 0, f.unsigned8 ? 1 : 0);
    },
    kWeight(c, weight) {
      w.kWeight(c, length, weight);
    },
    kOut: (c) => kOut[c]!,
    truePeak: (c, floor) => w.truePeak(c, length, floor, MAX_ABS_GAIN),
    restartTruePeak: (c) => w.restartTruePeak(c),
    levels(c, offset, into) {
      const bad = w.levels(c, length, offset, into.peak, FULL_SCALE, SILENCE_AMPLITUDE, CLIP_RUN);
      if (bad >= 0) throw into.invalid(offset + bad, inputs[c]![bad]!);
      into.absorb(offset, levelsOut[0]!, levelsOut[1]!, levelsOut[2]!, levelsOut[3]!, levelsOut[4]!, levelsOut[5]!);
      for (let i = 0; i < levelsOut[6]!; i++) into.recordRun(clipOut[2 * i]!, clipOut[2 * i + 1]!);
    },
    flushLevels(c, into) {
      w.openClipRun(c);
      if (levelsOut[0]! >= CLIP_RUN) into.recordRun(levelsOut[1]!, levelsOut[0]!);
    },
    stereo(l, r, into, hop) {
      setLowPass(into);
      into.absorb(stereoOut, hopOut, w.stereo(l, r, length, hop));
    },
    monoEnergy(l, r) {
      w.monoEnergy(l, r, length);
      return mono;
    },
    pair(l, r, wl, wr, into, hop) {
      setLowPass(into);
      into.absorb(stereoOut, hopOut, w.pair(l, r, length, wl, wr, hop));
      return mono;
    },
    spectrum: {
      setup(size, window, slots) {
        if (size > w.fftMax()) throw new RangeError(`the WASM spectrum handles frames up to ${w.fftMax()} points`);
        if (slots > channels) throw new RangeError(`${slots} spectrum frames for ${channels} channels`);
        new Float64Array(buf, w.windowOffset(), size).set(window);
        w.fftSetup(size);
        pairSums = new Float64Array(buf, w.pairOffset(), 3 * (size / 2 + 1));
        return new Float64Array(buf, w.powerOffset(), size / 2 + 1);
      },
      gather(slot, channel, from, at, take) {
        w.spectrumGather(slot, channel, from, at, take);
      },
      clear(slot, at) {
        w.spectrumClear(slot, at);
      },
      frame(slotA, slotB, pair) {
        w.spectrumFrame(slotA, slotB, pair ? 1 : 0);
      },
      pairSums: () => pairSums,
    },
  };
}

/** Compiles WASM bytes into a kernel factory for makeAnalyser({ kernels }). */
export async function compileMeterKernels(bytes: BufferSource): Promise<KernelFactory> {
  const module = await WebAssembly.compile(bytes);
  return (channels, filters) => instantiate(module, channels, filters);
}

function decodeBase64(text: string): Uint8Array<ArrayBuffer> {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  const clean = text.replace(/=+$/, '');
  const out = new Uint8Array(Math.floor((clean.length * 3) / 4));
  let bits = 0,
    value = 0,
    o = 0;
  for (const ch of clean) {
    value = (value << 6) | alphabet.indexOf(ch);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (value >> bits) & 0xff;
    }
  }
  return out;
}

/** The kernels from the copy of meter.wasm embedded at build time (no fetch, works in any runtime). */
export function compileBundledMeterKernels(): Promise<KernelFactory> {
  return compileMeterKernels(decodeBase64(METER_WASM_BASE64));
}

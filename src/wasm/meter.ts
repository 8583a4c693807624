/**
 * Metering hot loops in AssemblyScript, mirroring the TypeScript reference in src/core/dsp:
 *  - kWeight: both K-weighting biquads fused, adding weight*y^2 to the energy accumulator and
 *    x^2 to the squares accumulator (same arithmetic order as k-weighting.ts kWeightInto);
 *  - truePeak: the 4x polyphase interpolator of true-peak.ts (phase 0 identity, 3 phases of
 *    16 taps, in f32, four outputs per f32x4), writing the 4 magnitudes per input sample and
 *    skipping blocks whose bound cannot reach `floor`.
 * All buffers are static regions of linear memory (memory-layout.ts); JS writes inputs and reads
 * outputs through views at the exported offsets. No allocation happens after instantiation.
 *
 * This entry only lists the module's exports; each concern has its own file. Built by
 * `npm run build:wasm` (scripts/build-wasm.ts); tests/unit/dsp/wasm-build.test.ts fails when the
 * committed meter.wasm is not what this source builds to.
 */

export {
  inputOffset,
  levelsOutOffset,
  clipOutOffset,
  stereoOutOffset,
  hopOutOffset,
  monoOffset,
  lowPassOffset,
  framesOffset,
  rawOffset,
  energyOffset,
  squaresOffset,
  kOutOffset,
  kCoefficientsOffset,
  tapsOffset,
  truePeakOutOffset,
  truePeakSummaryOffset,
  truePeakEventsOffset,
  maxFrames,
  begin,
  resetChannel,
  restartTruePeak,
} from './memory-layout';
export { decodePcm } from './pcm';
export { spectrumGather, spectrumClear, windowOffset, powerOffset, pairOffset, fftMax, fftSetup, spectrumFrame } from './spectrum';
export { kWeight } from './k-weighting';
export { setOverThresholds, truePeak } from './true-peak';
export { levels, openClipRun } from './levels';
export { stereo, monoEnergy } from './stereo';
export { pair } from './pair';

/**
 * The kernels' linear memory: every buffer is a static region laid out here, in this order
 * (the order is the layout), so no allocation happens after instantiation. JS writes inputs
 * and reads outputs through views at the exported offsets (src/core/dsp/wasm-kernels.ts).
 * Also the slice lifecycle shared by every pass: begin() and resetChannel().
 */

export const MAX: i32 = 8192;
export const MAXCH: i32 = 32;
export const TAPS: i32 = 16;
export const HALF: i32 = 8;
export const SKIP: i32 = 64;

/** One input slice per channel (levels and stereo need two channels at once). */
export const INS: usize = memory.data(MAXCH * MAX * 4, 16);
export const LEVELS_OUT: usize = memory.data(8 * 8, 16);
export const CLIP_STATE: usize = memory.data(MAXCH * 16, 16);
export const CLIP_OUT: usize = memory.data(MAX * 16, 16);
export const STEREO_STATE: usize = memory.data(16 * 8, 16);
export const STEREO_OUT: usize = memory.data(8 * 8, 16);
export const HOP_OUT: usize = memory.data((MAX + 1) * 24, 16);
export const MONO: usize = memory.data(MAX * 8, 16);
export const LP_COEF: usize = memory.data(5 * 8, 16);
export const ENERGY: usize = memory.data(MAX * 8, 16);
export const SQUARES: usize = memory.data(MAX * 8, 16);
export const KOUT: usize = memory.data(MAXCH * MAX * 8, 16);
export const KSTATE: usize = memory.data(MAXCH * 8 * 8, 16);
export const KCOEF: usize = memory.data(10 * 8, 16);
export const TAPS_BUF: usize = memory.data(3 * TAPS * 8, 16);
/** The interpolator's last TAPS-1 inputs per channel (f32, as the input is). */
export const TP_HIST: usize = memory.data(MAXCH * (TAPS - 1) * 4, 16);
/** History then the slice (f32), with room for a last vector of four outputs reading past the end. */
export const WORK: usize = memory.data((MAX + TAPS + 8) * 4, 16);
/** Four f32 magnitudes per output of the last truePeak call. */
export const TP_OUT: usize = memory.data(MAX * 4 * 4, 16);
/** True-peak bookkeeping per channel: peak so far, samples consumed, open over runs (2 thresholds). */
export const TP_STATE: usize = memory.data(MAXCH * 4 * 8, 16);
/** Summary of the last truePeak call: index of the new peak (-1: none), peak, events, open runs. */
export const TP_SUMMARY: usize = memory.data(8 * 8, 16);
/** Over starts of the last truePeak call: (threshold index, 4x index from output 0) i32 pairs. */
export const TP_EVENTS: usize = memory.data(MAX * 4 * 8, 16);
/** True peak's symmetric/antisymmetric tap halves as f32, splatted: a_i, b_i, t2[i] for i < HALF. */
export const SYM: usize = memory.data(3 * HALF * 16, 16);

// Spectrum: two real frames packed into one complex FFT of up to FFT_MAX points.
export const FFT_MAX: i32 = 32768;
export const WINDOW: usize = memory.data(FFT_MAX * 8, 16);
export const RE: usize = memory.data(FFT_MAX * 8, 16);
export const IM: usize = memory.data(FFT_MAX * 8, 16);
export const TW_RE: usize = memory.data(FFT_MAX * 8, 16);
export const TW_IM: usize = memory.data(FFT_MAX * 8, 16);
/** exp(-i pi 3k / 2h) at h + k for the radix-4 passes (stage pair h, 2h). */
export const TW3_RE: usize = memory.data(FFT_MAX * 8, 16);
export const TW3_IM: usize = memory.data(FFT_MAX * 8, 16);
export const REV: usize = memory.data(FFT_MAX * 4, 16);
export const POWER: usize = memory.data((FFT_MAX / 2 + 1) * 8, 16);
/** The front pair's sums per bin: |L|^2, |R|^2, Re(L conj R), three runs of size/2 + 1 (spectrum.ts). */
export const PAIR: usize = memory.data(3 * (FFT_MAX / 2 + 1) * 8, 16);

export function inputOffset(channel: i32): usize { return INS + <usize>(channel * MAX * 4); }
export function levelsOutOffset(): usize { return LEVELS_OUT; }
export function clipOutOffset(): usize { return CLIP_OUT; }
export function stereoOutOffset(): usize { return STEREO_OUT; }
export function hopOutOffset(): usize { return HOP_OUT; }
export function monoOffset(): usize { return MONO; }
export function lowPassOffset(): usize { return LP_COEF; }
/**
 * Spectrum frames being filled, one per measured channel ("slot"), FFT_MAX float32 samples each
 * (the input is float32, so nothing is lost), from the end of the static data on: JS grows the
 * memory to fit its slots once, before it makes any view (growing detaches the old buffer).
 */
export function framesOffset(): usize { return (__heap_base + 15) & ~15; }
@inline export function frame(slot: i32): usize { return framesOffset() + <usize>slot * <usize>FFT_MAX * 4; }

/**
 * Interleaved PCM bytes of one slice (JS copies them in; room for 8-byte samples plus slack),
 * after the spectrum frames of `channels` channels.
 */
export function rawOffset(channels: i32): usize { return frame(channels); }

export function energyOffset(): usize { return ENERGY; }
export function squaresOffset(): usize { return SQUARES; }
export function kOutOffset(channel: i32): usize { return KOUT + <usize>(channel * MAX * 8); }
export function kCoefficientsOffset(): usize { return KCOEF; }
export function tapsOffset(): usize { return TAPS_BUF; }
export function truePeakOutOffset(): usize { return TP_OUT; }
export function truePeakSummaryOffset(): usize { return TP_SUMMARY; }
export function truePeakEventsOffset(): usize { return TP_EVENTS; }
export function maxFrames(): i32 { return MAX; }

/** Zeroes the energy and squares accumulators for the next `length` frames. */
export function begin(length: i32): void {
  memory.fill(ENERGY, 0, <usize>length * 8);
  memory.fill(SQUARES, 0, <usize>length * 8);
}

/** Clears a channel's filter and interpolator memory. */
export function resetChannel(channel: i32): void {
  memory.fill(CLIP_STATE + <usize>(channel * 16), 0, 16);
  memory.fill(KSTATE + <usize>(channel * 64), 0, 64);
  memory.fill(TP_HIST + <usize>(channel * (TAPS - 1) * 4), 0, <usize>(TAPS - 1) * 4);
  memory.fill(TP_STATE + <usize>(channel * 32), 0, 32);
}

/**
 * Forgets a channel's true peak so far, keeping the interpolator's history and its over runs:
 * an analysis of a slice of a file starts recording here after its pre-roll (analysis-split.ts).
 */
export function restartTruePeak(channel: i32): void {
  store<f64>(TP_STATE + <usize>(channel * 32), 0);
}

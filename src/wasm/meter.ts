/**
 * Metering hot loops in AssemblyScript, mirroring the TypeScript reference in src/core/dsp:
 *  - kWeight: both K-weighting biquads fused, adding weight*y^2 to the energy accumulator and
 *    x^2 to the squares accumulator (same arithmetic order as k-weighting.ts kWeightInto);
 *  - truePeak: the 4x polyphase interpolator of true-peak.ts (phase 0 identity, 3 phases of
 *    16 taps, SIMD f64x2), writing the 4 magnitudes per input sample and skipping blocks whose
 *    bound cannot reach `floor`.
 * All buffers are static regions of linear memory; JS writes inputs and reads outputs through
 * views at the exported offsets. No allocation happens after instantiation.
 */

const MAX: i32 = 8192;
const MAXCH: i32 = 32;
const TAPS: i32 = 16;
const HALF: i32 = 8;
const SKIP: i32 = 64;

/** One input slice per channel (levels and stereo need two channels at once). */
const INS: usize = memory.data(MAXCH * MAX * 4, 16);
const LEVELS_OUT: usize = memory.data(8 * 8, 16);
const CLIP_STATE: usize = memory.data(MAXCH * 16, 16);
const CLIP_OUT: usize = memory.data(MAX * 16, 16);
const STEREO_STATE: usize = memory.data(16 * 8, 16);
const STEREO_OUT: usize = memory.data(8 * 8, 16);
const HOP_OUT: usize = memory.data((MAX + 1) * 24, 16);
const MONO: usize = memory.data(MAX * 8, 16);
const LP_COEF: usize = memory.data(5 * 8, 16);
const ENERGY: usize = memory.data(MAX * 8, 16);
const SQUARES: usize = memory.data(MAX * 8, 16);
const KOUT: usize = memory.data(MAXCH * MAX * 8, 16);
const KSTATE: usize = memory.data(MAXCH * 8 * 8, 16);
const KCOEF: usize = memory.data(10 * 8, 16);
const TAPS_BUF: usize = memory.data(3 * TAPS * 8, 16);
const TP_HIST: usize = memory.data(MAXCH * (TAPS - 1) * 8, 16);
const WORK: usize = memory.data((MAX + TAPS) * 8, 16);
const TP_OUT: usize = memory.data(MAX * 4 * 8, 16);
/** True-peak bookkeeping per channel: peak so far, samples consumed, open over runs (2 thresholds). */
const TP_STATE: usize = memory.data(MAXCH * 4 * 8, 16);
/** Summary of the last truePeak call: index of the new peak (-1: none), peak, events, open runs. */
const TP_SUMMARY: usize = memory.data(8 * 8, 16);
/** Over starts of the last truePeak call: (threshold index, 4x index from output 0) i32 pairs. */
const TP_EVENTS: usize = memory.data(MAX * 4 * 8, 16);
let overLow: f64 = Infinity, overHigh: f64 = Infinity;
/** True peak's symmetric/antisymmetric tap halves, splatted: a_i, b_i, t2[i] for i < HALF. */
const SYM: usize = memory.data(3 * HALF * 16, 16);

// Spectrum: two real frames packed into one complex FFT of up to FFT_MAX points.
const FFT_MAX: i32 = 32768;
const WINDOW: usize = memory.data(FFT_MAX * 8, 16);
const RE: usize = memory.data(FFT_MAX * 8, 16);
const IM: usize = memory.data(FFT_MAX * 8, 16);
const TW_RE: usize = memory.data(FFT_MAX * 8, 16);
const TW_IM: usize = memory.data(FFT_MAX * 8, 16);
/** exp(-i pi 3k / 2h) at h + k for the radix-4 passes (stage pair h, 2h). */
const TW3_RE: usize = memory.data(FFT_MAX * 8, 16);
const TW3_IM: usize = memory.data(FFT_MAX * 8, 16);
const REV: usize = memory.data(FFT_MAX * 4, 16);
const POWER: usize = memory.data((FFT_MAX / 2 + 1) * 8, 16);
let fftSize: i32 = 0;

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
@inline function frame(slot: i32): usize { return framesOffset() + <usize>slot * <usize>FFT_MAX * 4; }

/**
 * Interleaved PCM bytes of one slice (JS copies them in; room for 8-byte samples plus slack),
 * after the spectrum frames of `channels` channels.
 */
export function rawOffset(channels: i32): usize { return frame(channels); }

/**
 * Decodes `frames` interleaved frames at rawOffset(channels) into the channels' inputs, with
 * the arithmetic of pcm.ts decodePcm (integers scale by 2^-(container bits - 1); every result
 * is exact in float32 except 32-bit integers and float64, rounded as a Float32Array store does).
 */
export function decodePcm(channels: i32, frames: i32, isFloat: bool, bytes: i32, bigEndian: bool, unsigned8: bool): void {
  const stride = <usize>(channels * bytes);
  for (let c: i32 = 0; c < channels; c++) {
    let p = rawOffset(channels) + <usize>(c * bytes);
    const dst = INS + <usize>(c * MAX * 4);
    const end = dst + (<usize>frames << 2);
    if (isFloat) {
      if (bytes == 4) {
        if (bigEndian) for (let d = dst; d < end; d += 4, p += stride) store<f32>(d, reinterpret<f32>(bswap<u32>(load<u32>(p))));
        else for (let d = dst; d < end; d += 4, p += stride) store<f32>(d, load<f32>(p));
      } else {
        if (bigEndian) for (let d = dst; d < end; d += 4, p += stride) store<f32>(d, <f32>reinterpret<f64>(bswap<u64>(load<u64>(p))));
        else for (let d = dst; d < end; d += 4, p += stride) store<f32>(d, <f32>load<f64>(p));
      }
      continue;
    }
    if (bytes == 1) {
      if (unsigned8) for (let d = dst; d < end; d += 4, p += stride) store<f32>(d, <f32>((<f64>load<u8>(p) - 128) / 128));
      else for (let d = dst; d < end; d += 4, p += stride) store<f32>(d, <f32>(<f64>load<i8>(p) / 128));
    } else if (bytes == 2) {
      if (bigEndian) for (let d = dst; d < end; d += 4, p += stride) store<f32>(d, <f32>(<f64><i16>bswap<u16>(load<u16>(p)) / 32768));
      else for (let d = dst; d < end; d += 4, p += stride) store<f32>(d, <f32>(<f64>load<i16>(p) / 32768));
    } else if (bytes == 3) {
      // Four bytes read (the raw buffer has slack) and the sample put in the top 24 bits of an
      // i32: v * 2^8 / 2^31 is exactly v / 2^23. (A sign-extending `<< 8 >> 8` was compiled to
      // i64 shifts that keep the fourth byte.)
      if (bigEndian) for (let d = dst; d < end; d += 4, p += stride) store<f32>(d, <f32>(<f64><i32>(bswap<u32>(load<u32>(p)) & 0xffffff00) / 2147483648));
      else for (let d = dst; d < end; d += 4, p += stride) store<f32>(d, <f32>(<f64><i32>(load<u32>(p) << 8) / 2147483648));
    } else {
      if (bigEndian) for (let d = dst; d < end; d += 4, p += stride) store<f32>(d, <f32>(<f64><i32>bswap<u32>(load<u32>(p)) / 2147483648));
      else for (let d = dst; d < end; d += 4, p += stride) store<f32>(d, <f32>(<f64>load<i32>(p) / 2147483648));
    }
  }
}

/** Copies `take` loaded samples of `channel` from index `from` into frame `slot` at `at`. */
export function spectrumGather(slot: i32, channel: i32, from: i32, at: i32, take: i32): void {
  memory.copy(frame(slot) + (<usize>at << 2), INS + <usize>(channel * MAX * 4) + (<usize>from << 2), <usize>take << 2);
}

/** Zeroes frame `slot` from `at` to the frame size (a zero-padded last frame). */
export function spectrumClear(slot: i32, at: i32): void {
  memory.fill(frame(slot) + (<usize>at << 2), 0, <usize>(fftSize - at) << 2);
}
export function windowOffset(): usize { return WINDOW; }
export function powerOffset(): usize { return POWER; }
export function fftMax(): i32 { return FFT_MAX; }

/** Prepares twiddles (per stage, as fft.ts) and the bit-reversal table; JS writes the window. */
export function fftSetup(size: i32): void {
  fftSize = size;
  for (let h: i32 = 1; h < size; h <<= 1) {
    for (let k: i32 = 0; k < h; k++) {
      store<f64>(TW_RE + (<usize>(h + k) << 3), Math.cos((Math.PI * <f64>k) / <f64>h));
      store<f64>(TW_IM + (<usize>(h + k) << 3), -Math.sin((Math.PI * <f64>k) / <f64>h));
    }
  }
  for (let h: i32 = 4; h * 2 < size; h <<= 2) {
    for (let k: i32 = 0; k < h; k++) {
      store<f64>(TW3_RE + (<usize>(h + k) << 3), Math.cos((Math.PI * 3 * <f64>k) / <f64>(2 * h)));
      store<f64>(TW3_IM + (<usize>(h + k) << 3), -Math.sin((Math.PI * 3 * <f64>k) / <f64>(2 * h)));
    }
  }
  const bits = ctz(size);
  for (let i: i32 = 0; i < size; i++) {
    let r: i32 = 0;
    for (let b: i32 = 0; b < bits; b++) r |= ((i >> b) & 1) << (bits - 1 - b);
    store<i32>(REV + (<usize>i << 2), r);
  }
  memory.fill(POWER, 0, <usize>(size / 2 + 1) * 8);
}

/** One complex multiply-and-butterfly of split (re, im) vectors: (a, b) -> (a + w b, a - w b), as fft.ts. */
@inline function butterfly(pa: usize, pb: usize, wr: v128, wi: v128): void {
  const rb = v128.load(RE + pb), ib = v128.load(IM + pb);
  const xr = f64x2.sub(f64x2.mul(rb, wr), f64x2.mul(ib, wi));
  const xi = f64x2.add(f64x2.mul(rb, wi), f64x2.mul(ib, wr));
  const ra = v128.load(RE + pa), ia = v128.load(IM + pa);
  v128.store(RE + pb, f64x2.sub(ra, xr)); v128.store(IM + pb, f64x2.sub(ia, xi));
  v128.store(RE + pa, f64x2.add(ra, xr)); v128.store(IM + pa, f64x2.add(ia, xi));
}

/**
 * Windows frame slotA (+ frame slotB when slotB >= 0), transforms them as one complex FFT and adds
 * |A_k|^2 (+ |B_k|^2) to POWER for k = 0..N/2. Same arithmetic as spectrum.ts / fft.ts, so the
 * same bits; only the memory passes differ: windowing, bit reversal and the first two stages
 * are one pass, and the radix-2 stages after them run two at a time (radix-4 passes).
 */
export function spectrumFrame(slotA: i32, slotB: i32): void {
  const n = fftSize;
  const hasB = slotB >= 0;
  const fa = frame(slotA), fb = frame(hasB ? slotB : slotA);
  const n2 = <usize>(n >> 1) << 3, n4 = <usize>(n >> 2) << 3;
  for (let s: i32 = 0; s < n; s += 4) {
    // Positions s..s+3 hold inputs rev[s] + {0, n/2, n/4, 3n/4}.
    const r = <usize>load<i32>(REV + (<usize>s << 2));
    const j = r << 3, f = r << 2, f2 = n2 >> 1, f4 = n4 >> 1;
    const w0 = load<f64>(WINDOW + j), w1 = load<f64>(WINDOW + j + n2), w2 = load<f64>(WINDOW + j + n4), w3 = load<f64>(WINDOW + j + n2 + n4);
    const r0 = <f64>load<f32>(fa + f) * w0, r1 = <f64>load<f32>(fa + f + f2) * w1, r2 = <f64>load<f32>(fa + f + f4) * w2, r3 = <f64>load<f32>(fa + f + f2 + f4) * w3;
    let i0: f64 = 0, i1: f64 = 0, i2: f64 = 0, i3: f64 = 0;
    if (hasB) { i0 = <f64>load<f32>(fb + f) * w0; i1 = <f64>load<f32>(fb + f + f2) * w1; i2 = <f64>load<f32>(fb + f + f4) * w2; i3 = <f64>load<f32>(fb + f + f2 + f4) * w3; }
    const p = <usize>s << 3;
    const ar = r0 + r1, ai = i0 + i1, br = r0 - r1, bi = i0 - i1;
    const cr = r2 + r3, ci = i2 + i3, dr = r2 - r3, di = i2 - i3;
    store<f64>(RE + p, ar + cr); store<f64>(IM + p, ai + ci);
    store<f64>(RE + p, ar - cr, 16); store<f64>(IM + p, ai - ci, 16);
    store<f64>(RE + p, br + di, 8); store<f64>(IM + p, bi - dr, 8);
    store<f64>(RE + p, br - di, 24); store<f64>(IM + p, bi + dr, 24);
  }
  let half: i32 = 4;
  // Stages `half` and `2 half` together: each quadruple (A, B, C, D) = k + {0, h, 2h, 3h} of a
  // block of 4h gets stage half's butterflies (A,B), (C,D), then stage 2h's (A,C), (B,D).
  for (; half * 2 < n; half <<= 2) {
    const h = <usize>half << 3;
    for (let start: i32 = 0; start < n; start += half << 2) {
      const a0 = <usize>start << 3;
      for (let k: i32 = 0; k < half; k += 2) {
        const o = <usize>k << 3;
        const pa = a0 + o, pb = pa + h, pc = pa + 2 * h, pd = pa + 3 * h;
        // P = W^2k B, Q = W^k C, R = W^3k D (W = exp(-i pi / 2h)): three complex multiplies.
        let wr = v128.load(TW_RE + h + o), wi = v128.load(TW_IM + h + o);
        let xr = v128.load(RE + pb), xi = v128.load(IM + pb);
        const pr = f64x2.sub(f64x2.mul(xr, wr), f64x2.mul(xi, wi)), pi = f64x2.add(f64x2.mul(xr, wi), f64x2.mul(xi, wr));
        wr = v128.load(TW_RE + 2 * h + o); wi = v128.load(TW_IM + 2 * h + o);
        xr = v128.load(RE + pc); xi = v128.load(IM + pc);
        const qr = f64x2.sub(f64x2.mul(xr, wr), f64x2.mul(xi, wi)), qi = f64x2.add(f64x2.mul(xr, wi), f64x2.mul(xi, wr));
        wr = v128.load(TW3_RE + h + o); wi = v128.load(TW3_IM + h + o);
        xr = v128.load(RE + pd); xi = v128.load(IM + pd);
        const rr = f64x2.sub(f64x2.mul(xr, wr), f64x2.mul(xi, wi)), ri = f64x2.add(f64x2.mul(xr, wi), f64x2.mul(xi, wr));
        const ar = v128.load(RE + pa), ai = v128.load(IM + pa);
        const t0r = f64x2.add(ar, pr), t0i = f64x2.add(ai, pi), t1r = f64x2.sub(ar, pr), t1i = f64x2.sub(ai, pi);
        const t2r = f64x2.add(qr, rr), t2i = f64x2.add(qi, ri), t3r = f64x2.sub(qr, rr), t3i = f64x2.sub(qi, ri);
        v128.store(RE + pa, f64x2.add(t0r, t2r)); v128.store(IM + pa, f64x2.add(t0i, t2i));
        v128.store(RE + pc, f64x2.sub(t0r, t2r)); v128.store(IM + pc, f64x2.sub(t0i, t2i));
        // -i (Q - R) added to and taken from A - P.
        v128.store(RE + pb, f64x2.add(t1r, t3i)); v128.store(IM + pb, f64x2.sub(t1i, t3r));
        v128.store(RE + pd, f64x2.sub(t1r, t3i)); v128.store(IM + pd, f64x2.add(t1i, t3r));
      }
    }
  }
  if (half < n) {
    const h = <usize>half << 3;
    for (let k: i32 = 0; k < half; k += 2) {
      const o = <usize>k << 3;
      butterfly(o, o + h, v128.load(TW_RE + h + o), v128.load(TW_IM + h + o));
    }
  }
  // Split the packed transform, bins k and k+1 per step (their mirrors n-k, n-k-1 are loaded
  // as one vector and swapped); the same operations per lane as the scalar split below.
  const halfV = f64x2.splat(0.5);
  let k: i32 = 1;
  for (; k + 1 < n / 2; k += 2) {
    const o = <usize>k << 3, m = <usize>(n - k - 1) << 3;
    const rk = v128.load(RE + o), ik = v128.load(IM + o);
    const rj = v128.shuffle<f64>(v128.load(RE + m), v128.load(RE + m), 1, 0), ij = v128.shuffle<f64>(v128.load(IM + m), v128.load(IM + m), 1, 0);
    const ar = f64x2.mul(f64x2.add(rk, rj), halfV), ai = f64x2.mul(f64x2.sub(ik, ij), halfV);
    let pw = f64x2.add(f64x2.mul(ar, ar), f64x2.mul(ai, ai));
    if (hasB) {
      const br = f64x2.mul(f64x2.add(ik, ij), halfV), bi = f64x2.mul(f64x2.sub(rj, rk), halfV);
      pw = f64x2.add(pw, f64x2.add(f64x2.mul(br, br), f64x2.mul(bi, bi)));
    }
    v128.store(POWER + o, f64x2.add(v128.load(POWER + o), pw));
  }
  splitBin(0, 0, hasB);
  for (; k <= n / 2; k++) splitBin(k, n - k, hasB);
}

/** Adds |A_k|^2 (+ |B_k|^2) of the packed transform to POWER; j is the mirror bin (n - k, or 0 for k = 0). */
@inline function splitBin(k: i32, j: i32, hasB: bool): void {
  const rk = load<f64>(RE + (<usize>k << 3)), ik = load<f64>(IM + (<usize>k << 3));
  const rj = load<f64>(RE + (<usize>j << 3)), ij = load<f64>(IM + (<usize>j << 3));
  const ar = (rk + rj) * 0.5, ai = (ik - ij) * 0.5;
  let pw = ar * ar + ai * ai;
  if (hasB) { const br = (ik + ij) * 0.5, bi = (rj - rk) * 0.5; pw += br * br + bi * bi; }
  const q = POWER + (<usize>k << 3);
  store<f64>(q, load<f64>(q) + pw);
}
export function energyOffset(): usize { return ENERGY; }
export function squaresOffset(): usize { return SQUARES; }
export function kOutOffset(channel: i32): usize { return KOUT + <usize>(channel * MAX * 8); }
export function kCoefficientsOffset(): usize { return KCOEF; }
export function tapsOffset(): usize { return TAPS_BUF; }
export function truePeakOutOffset(): usize { return TP_OUT; }
export function truePeakSummaryOffset(): usize { return TP_SUMMARY; }
export function truePeakEventsOffset(): usize { return TP_EVENTS; }
/** The two over thresholds (linear, ascending) that truePeak tracks runs above. */
export function setOverThresholds(low: f64, high: f64): void { overLow = low; overHigh = high; }
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
  memory.fill(TP_HIST + <usize>(channel * (TAPS - 1) * 8), 0, <usize>(TAPS - 1) * 8);
  memory.fill(TP_STATE + <usize>(channel * 32), 0, 32);
}

export function kWeight(channel: i32, length: i32, weight: f64): void {
  const pb0 = load<f64>(KCOEF), pb1 = load<f64>(KCOEF, 8), pb2 = load<f64>(KCOEF, 16), pa1 = load<f64>(KCOEF, 24), pa2 = load<f64>(KCOEF, 32);
  const rb0 = load<f64>(KCOEF, 40), rb1 = load<f64>(KCOEF, 48), rb2 = load<f64>(KCOEF, 56), ra1 = load<f64>(KCOEF, 64), ra2 = load<f64>(KCOEF, 72);
  const st = KSTATE + <usize>(channel * 64);
  let px1 = load<f64>(st), px2 = load<f64>(st, 8), py1 = load<f64>(st, 16), py2 = load<f64>(st, 24);
  let ry1 = load<f64>(st, 48), ry2 = load<f64>(st, 56);
  const out = KOUT + <usize>(channel * MAX * 8);
  const inp = INS + <usize>(channel * MAX * 4);
  for (let n: i32 = 0; n < length; n++) {
    const xn = <f64>load<f32>(inp + (<usize>n << 2));
    const u = pb0 * xn + pb1 * px1 + pb2 * px2 - pa1 * py1 - pa2 * py2;
    px2 = px1; px1 = xn;
    const v = rb0 * u + rb1 * py1 + rb2 * py2 - ra1 * ry1 - ra2 * ry2;
    py2 = py1; py1 = u;
    ry2 = ry1; ry1 = v;
    const o = <usize>n << 3;
    store<f64>(out + o, v);
    store<f64>(ENERGY + o, load<f64>(ENERGY + o) + weight * v * v);
    store<f64>(SQUARES + o, load<f64>(SQUARES + o) + xn * xn);
  }
  storeKState(st, px1, px2, py1, py2, ry1, ry2);
}

/**
 * Interpolates the `length` samples loaded for `channel`. Output i (4 magnitudes at TP_OUT +
 * 32 i) belongs to the centre sample HALF samples before input i: |x|, |y(+1/4)|, |y(+2/4)|,
 * |y(+3/4)|. Blocks whose magnitude bound (block max * maxGain) is <= floor are skipped and
 * written as zeros. Returns the largest magnitude written.
 *
 * The phases' symmetry halves the multiplies: phase 2 is symmetric (t2[i] = t2[15-i]) and
 * phase 3 mirrors phase 1 (t3[i] = t1[15-i]), so with s_i = w[i] + w[15-i], d_i = w[i] - w[15-i]
 * (i < 8): y2 = sum t2[i] s_i, y1 = A + B, y3 = A - B where A = sum a_i s_i, B = sum b_i d_i,
 * a_i = (t1[i] + t1[15-i]) / 2, b_i = (t1[i] - t1[15-i]) / 2: 24 multiplies per sample instead
 * of 48, and two outputs per f64x2 (lanes i, i+1). The sums are grouped differently from
 * true-peak.ts, so the values agree to rounding (~1e-16), not bit for bit.
 */
export function truePeak(channel: i32, length: i32, floor: f64, maxGain: f64): f64 {
  const hist = TP_HIST + <usize>(channel * (TAPS - 1) * 8);
  memory.copy(WORK, hist, <usize>(TAPS - 1) * 8);
  const inp = INS + <usize>(channel * MAX * 4);
  // Two samples at a time; an odd length converts one stale sample past the end, which no window reads.
  for (let n: i32 = 0; n < length; n += 2) v128.store(WORK + <usize>(TAPS - 1 + n) * 8, f64x2.promote_low_f32x4(v128.load64_zero(inp + (<usize>n << 2))));
  // Splatted a_i, b_i, t2[i] (i < 8) from the phases JS wrote to TAPS_BUF.
  for (let i: i32 = 0; i < HALF; i++) {
    const lo = TAPS_BUF + (<usize>i << 3), hi = TAPS_BUF + (<usize>(TAPS - 1 - i) << 3);
    const o = SYM + (<usize>i << 4);
    v128.store(o, f64x2.splat((load<f64>(lo) + load<f64>(hi)) * 0.5));
    v128.store(o, f64x2.splat((load<f64>(lo) - load<f64>(hi)) * 0.5), HALF * 16);
    v128.store(o, f64x2.splat(load<f64>(lo, TAPS * 8)), HALF * 32);
  }
  const st = TP_STATE + <usize>(channel * 32);
  let peak = load<f64>(st), peakIdx: i32 = -1, events: i32 = 0;
  const pushed = load<f64>(st, 8);
  let r0 = load<f64>(st, 16) != 0, r1 = load<f64>(st, 24) != 0;
  // Outputs before this index belong to centres before the stream's first sample.
  const validFrom = <i32>max(0, <f64>HALF - pushed);
  let most: f64 = 0;
  for (let start: i32 = 0; start < length; start += SKIP) {
    const end = min(length, start + SKIP);
    // Centre for output i is WORK index i + HALF - 1; its window spans i .. i + TAPS - 1.
    // Two lanes over i .. last, so one sample past `last` when the count is odd: a bound that
    // is too high (or NaN from stale memory) only means the block is computed, never skipped wrongly.
    let bound = f64x2.splat(0);
    for (let i = start, last = end + TAPS - 2; i <= last; i += 2) bound = f64x2.pmax(bound, f64x2.abs(v128.load(WORK + (<usize>i << 3))));
    const blockMax = max(f64x2.extract_lane(bound, 0), f64x2.extract_lane(bound, 1));
    if (blockMax * maxGain <= floor) {
      memory.fill(TP_OUT + (<usize>start << 5), 0, <usize>(end - start) << 5);
      // Its zeros end any run opened earlier in this call, as they do in consume().
      r0 = false; r1 = false;
      continue;
    }
    let blockPeak = f64x2.splat(0);
    for (let i = start; i < end; i += 2) {
      const w = WORK + (<usize>i << 3);
      let sa = f64x2.splat(0), sb = f64x2.splat(0), s2 = f64x2.splat(0);
      for (let k: i32 = 0; k < HALF; k++) {
        const lo = v128.load(w + (<usize>k << 3)), hi = v128.load(w + (<usize>(TAPS - 1 - k) << 3));
        const sum = f64x2.add(lo, hi), diff = f64x2.sub(lo, hi);
        const t = SYM + (<usize>k << 4);
        sa = f64x2.add(sa, f64x2.mul(v128.load(t), sum));
        sb = f64x2.add(sb, f64x2.mul(v128.load(t, HALF * 16), diff));
        s2 = f64x2.add(s2, f64x2.mul(v128.load(t, HALF * 32), sum));
      }
      const x = f64x2.abs(v128.load(w + <usize>(HALF - 1) * 8));
      const y1 = f64x2.abs(f64x2.add(sa, sb)), y2 = f64x2.abs(s2), y3 = f64x2.abs(f64x2.sub(sa, sb));
      const o = TP_OUT + (<usize>i << 5);
      v128.store(o, v128.shuffle<f64>(x, y1, 0, 2)); v128.store(o, v128.shuffle<f64>(y2, y3, 0, 2), 16);
      let m = f64x2.pmax(f64x2.pmax(x, y1), f64x2.pmax(y2, y3));
      if (i + 1 < end) {
        v128.store(o, v128.shuffle<f64>(x, y1, 1, 3), 32); v128.store(o, v128.shuffle<f64>(y2, y3, 1, 3), 48);
      } else m = v128.shuffle<f64>(m, m, 0, 0);
      blockPeak = f64x2.pmax(blockPeak, m);
    }
    const blockMost = max(f64x2.extract_lane(blockPeak, 0), f64x2.extract_lane(blockPeak, 1));
    most = max(most, blockMost);
    // The bookkeeping of true-peak.ts TruePeakChannel.consume, in the same order, only for
    // blocks where something can happen (a rise of the peak, a value above the low threshold,
    // or an open run); thresholds ascend, so a value below the low one ends both runs.
    if (blockMost > peak || blockMost > overLow || r0 || r1) {
      for (let j = max(start, validFrom) << 2, last = end << 2; j < last; j++) {
        const a = load<f64>(TP_OUT + (<usize>j << 3));
        if (a > peak) { peak = a; peakIdx = j; }
        if (a > overLow) {
          if (!r0) { r0 = true; store<i32>(TP_EVENTS + (<usize>events << 3), 0); store<i32>(TP_EVENTS + (<usize>events << 3), j, 4); events++; }
          if (a > overHigh) {
            if (!r1) { r1 = true; store<i32>(TP_EVENTS + (<usize>events << 3), 1); store<i32>(TP_EVENTS + (<usize>events << 3), j, 4); events++; }
          } else r1 = false;
        } else { r0 = false; r1 = false; }
      }
    }
  }
  store<f64>(st, peak); store<f64>(st, pushed + <f64>length, 8); store<f64>(st, r0 ? 1 : 0, 16); store<f64>(st, r1 ? 1 : 0, 24);
  store<f64>(TP_SUMMARY, <f64>peakIdx); store<f64>(TP_SUMMARY, peak, 8); store<f64>(TP_SUMMARY, <f64>events, 16);
  store<f64>(TP_SUMMARY, r0 ? 1 : 0, 24); store<f64>(TP_SUMMARY, r1 ? 1 : 0, 32);
  memory.copy(hist, WORK + <usize>length * 8, <usize>(TAPS - 1) * 8);
  return most;
}

/**
 * Plain level statistics of a channel's loaded slice (mirrors channel-levels.ts): writes peak,
 * index of the first peak (-1: no new peak above `peakSoFar`), sum, sum of squares, first and
 * last index above `silence`, and the number of clipping runs closed in this slice (their start
 * and length are at CLIP_OUT). `offset` is the stream index of the slice's first sample.
 * Returns the index of the first NaN or infinite sample, or -1.
 *
 * Two samples per step: sums in two lanes (even and odd samples, so they agree with the
 * reference to rounding), and the peak and clipping logic only when a lane reaches the peak
 * or full scale or a run is open, which after the first moments of a file is rare.
 */
export function levels(channel: i32, length: i32, offset: f64, peakSoFar: f64, fullScale: f64, silence: f64, minRun: f64): i32 {
  const inp = INS + <usize>(channel * MAX * 4);
  const cs = CLIP_STATE + <usize>(channel * 16);
  let run = load<f64>(cs), runStart = load<f64>(cs, 8);
  let peak = peakSoFar, peakIdx: i32 = -1, first: i32 = -1, last: i32 = -1, closed: i32 = 0;
  let sums = f64x2.splat(0), squares = f64x2.splat(0);
  let peaks = f64x2.splat(peak);
  const zero = f64x2.splat(0), full = f64x2.splat(fullScale), quiet = f64x2.splat(silence);
  let n: i32 = 0;
  for (; n + 1 < length; n += 2) {
    const v = f64x2.promote_low_f32x4(v128.load64_zero(inp + (<usize>n << 2)));
    if (!i64x2.all_true(f64x2.eq(f64x2.sub(v, v), zero))) return isFinite(f64x2.extract_lane(v, 0)) ? n + 1 : n;
    const a = f64x2.abs(v);
    sums = f64x2.add(sums, v); squares = f64x2.add(squares, f64x2.mul(v, v));
    const audible = i64x2.bitmask(f64x2.gt(a, quiet));
    if (audible) { if (first < 0) first = n + ctz(audible); last = n + (audible >> 1); }
    if (run > 0 || v128.any_true(v128.or(f64x2.gt(a, peaks), f64x2.ge(a, full)))) {
      for (let k: i32 = 0; k < 2; k++) {
        const x = k == 0 ? f64x2.extract_lane(a, 0) : f64x2.extract_lane(a, 1);
        if (x > peak) { peak = x; peakIdx = n + k; }
        if (x >= fullScale) {
          if (run == 0) runStart = offset + <f64>(n + k);
          run += 1;
        } else if (run > 0) {
          if (run >= minRun) { store<f64>(CLIP_OUT + (<usize>closed << 4), runStart); store<f64>(CLIP_OUT + (<usize>closed << 4), run, 8); closed++; }
          run = 0;
        }
      }
      peaks = f64x2.splat(peak);
    }
  }
  let sum = f64x2.extract_lane(sums, 0) + f64x2.extract_lane(sums, 1), sq = f64x2.extract_lane(squares, 0) + f64x2.extract_lane(squares, 1);
  for (; n < length; n++) {
    const v = <f64>load<f32>(inp + (<usize>n << 2));
    if (!isFinite(v)) return n;
    const a = Math.abs(v);
    sum += v; sq += v * v;
    if (a > peak) { peak = a; peakIdx = n; }
    if (a > silence) { if (first < 0) first = n; last = n; }
    if (a >= fullScale) {
      if (run == 0) runStart = offset + <f64>n;
      run += 1;
    } else if (run > 0) {
      if (run >= minRun) { store<f64>(CLIP_OUT + (<usize>closed << 4), runStart); store<f64>(CLIP_OUT + (<usize>closed << 4), run, 8); closed++; }
      run = 0;
    }
  }
  store<f64>(cs, run); store<f64>(cs, runStart, 8);
  store<f64>(LEVELS_OUT, peak); store<f64>(LEVELS_OUT, <f64>peakIdx, 8); store<f64>(LEVELS_OUT, sum, 16); store<f64>(LEVELS_OUT, sq, 24);
  store<f64>(LEVELS_OUT, <f64>first, 32); store<f64>(LEVELS_OUT, <f64>last, 40); store<f64>(LEVELS_OUT, <f64>closed, 48);
  return -1;
}

/** Open clipping run of a channel at the end of the stream: [length, start] at LEVELS_OUT. */
export function openClipRun(channel: i32): void {
  const cs = CLIP_STATE + <usize>(channel * 16);
  store<f64>(LEVELS_OUT, load<f64>(cs)); store<f64>(LEVELS_OUT, load<f64>(cs, 8), 8);
}

/**
 * Stereo sums of channels l and r (mirrors stereo.ts): totals of LL, RR, LR and of the same
 * after the 150 Hz Linkwitz-Riley low-pass, added into STEREO_OUT; LL, RR, LR of every 100 ms
 * hop completed in this slice at HOP_OUT. Returns the number of completed hops.
 */
export function stereo(l: i32, r: i32, length: i32, hop: i32): i32 {
  const il = INS + <usize>(l * MAX * 4), ir = INS + <usize>(r * MAX * 4);
  const b0 = load<f64>(LP_COEF), b1 = load<f64>(LP_COEF, 8), b2 = load<f64>(LP_COEF, 16), a1 = load<f64>(LP_COEF, 24), a2 = load<f64>(LP_COEF, 32);
  const st = STEREO_STATE;
  let l1 = load<f64>(st), l2 = load<f64>(st, 8), lu1 = load<f64>(st, 16), lu2 = load<f64>(st, 24), lv1 = load<f64>(st, 32), lv2 = load<f64>(st, 40);
  let r1 = load<f64>(st, 48), r2 = load<f64>(st, 56), ru1 = load<f64>(st, 64), ru2 = load<f64>(st, 72), rv1 = load<f64>(st, 80), rv2 = load<f64>(st, 88);
  let hll = load<f64>(st, 96), hrr = load<f64>(st, 104), hlr = load<f64>(st, 112);
  let fill = <i32>load<f64>(st, 120);
  let ll: f64 = 0, rr: f64 = 0, lr: f64 = 0, sll: f64 = 0, srr: f64 = 0, slr: f64 = 0;
  let hops: i32 = 0;
  for (let n: i32 = 0; n < length; n++) {
    const a = <f64>load<f32>(il + (<usize>n << 2)), b = <f64>load<f32>(ir + (<usize>n << 2));
    const aa = a * a, bb = b * b, ab = a * b;
    ll += aa; rr += bb; lr += ab;
    hll += aa; hrr += bb; hlr += ab;
    fill++;
    if (fill == hop) {
      const o = HOP_OUT + <usize>hops * 24;
      store<f64>(o, hll); store<f64>(o, hrr, 8); store<f64>(o, hlr, 16);
      hops++; hll = 0; hrr = 0; hlr = 0; fill = 0;
    }
    const lu = b0 * a + b1 * l1 + b2 * l2 - a1 * lu1 - a2 * lu2;
    const lv = b0 * lu + b1 * lu1 + b2 * lu2 - a1 * lv1 - a2 * lv2;
    l2 = l1; l1 = a; lu2 = lu1; lu1 = lu; lv2 = lv1; lv1 = lv;
    const ru = b0 * b + b1 * r1 + b2 * r2 - a1 * ru1 - a2 * ru2;
    const rv = b0 * ru + b1 * ru1 + b2 * ru2 - a1 * rv1 - a2 * rv2;
    r2 = r1; r1 = b; ru2 = ru1; ru1 = ru; rv2 = rv1; rv1 = rv;
    sll += lv * lv; srr += rv * rv; slr += lv * rv;
  }
  store<f64>(st, l1); store<f64>(st, l2, 8); store<f64>(st, lu1, 16); store<f64>(st, lu2, 24); store<f64>(st, lv1, 32); store<f64>(st, lv2, 40);
  store<f64>(st, r1, 48); store<f64>(st, r2, 56); store<f64>(st, ru1, 64); store<f64>(st, ru2, 72); store<f64>(st, rv1, 80); store<f64>(st, rv2, 88);
  store<f64>(st, hll, 96); store<f64>(st, hrr, 104); store<f64>(st, hlr, 112); store<f64>(st, <f64>fill, 120);
  store<f64>(STEREO_OUT, ll); store<f64>(STEREO_OUT, rr, 8); store<f64>(STEREO_OUT, lr, 16);
  store<f64>(STEREO_OUT, sll, 24); store<f64>(STEREO_OUT, srr, 32); store<f64>(STEREO_OUT, slr, 40);
  return hops;
}

/** Energy of the mono sum (L+R)/2 on both loudspeakers from the K-weighted outputs of l and r, into MONO. */
export function monoEnergy(l: i32, r: i32, length: i32): void {
  const kl = KOUT + <usize>(l * MAX * 8), kr = KOUT + <usize>(r * MAX * 8);
  for (let n: i32 = 0; n < length; n++) {
    const o = <usize>n << 3;
    const s = load<f64>(kl + o) + load<f64>(kr + o);
    store<f64>(MONO + o, 0.5 * s * s);
  }
}

/**
 * The left/right pair (channels l and r) in one pass, the two channels in the lanes of f64x2:
 * K-weighting of both (as kWeight, into the channels' filter state; KOUT is not written), the
 * weighted energy and squares (stored as channel l's then r's share, as two kWeight calls
 * right after begin() would leave them: the pair must come first), the
 * mono-sum energy into MONO (as monoEnergy) and the stereo sums with the 150 Hz low band and
 * 100 ms hops (as stereo). Lane arithmetic is the scalar arithmetic, operation for operation,
 * so the figures are bit-identical to the separate kernels; the gain is that the four
 * independent filter chains overlap instead of running one after another.
 * Returns the number of completed hops.
 */
export function pair(l: i32, r: i32, length: i32, wl: f64, wr: f64, hop: i32): i32 {
  const pb0 = f64x2.splat(load<f64>(KCOEF)), pb1 = f64x2.splat(load<f64>(KCOEF, 8)), pb2 = f64x2.splat(load<f64>(KCOEF, 16));
  const pa1 = f64x2.splat(load<f64>(KCOEF, 24)), pa2 = f64x2.splat(load<f64>(KCOEF, 32));
  const rb0 = f64x2.splat(load<f64>(KCOEF, 40)), rb1 = f64x2.splat(load<f64>(KCOEF, 48)), rb2 = f64x2.splat(load<f64>(KCOEF, 56));
  const ra1 = f64x2.splat(load<f64>(KCOEF, 64)), ra2 = f64x2.splat(load<f64>(KCOEF, 72));
  const lb0 = f64x2.splat(load<f64>(LP_COEF)), lb1 = f64x2.splat(load<f64>(LP_COEF, 8)), lb2 = f64x2.splat(load<f64>(LP_COEF, 16));
  const la1 = f64x2.splat(load<f64>(LP_COEF, 24)), la2 = f64x2.splat(load<f64>(LP_COEF, 32));
  const w = f64x2.replace_lane(f64x2.splat(wl), 1, wr);
  const half = f64x2.splat(0.5);
  const sl = KSTATE + <usize>(l * 64), sr = KSTATE + <usize>(r * 64);
  let px1 = f64x2.replace_lane(f64x2.splat(load<f64>(sl)), 1, load<f64>(sr));
  let px2 = f64x2.replace_lane(f64x2.splat(load<f64>(sl, 8)), 1, load<f64>(sr, 8));
  let py1 = f64x2.replace_lane(f64x2.splat(load<f64>(sl, 16)), 1, load<f64>(sr, 16));
  let py2 = f64x2.replace_lane(f64x2.splat(load<f64>(sl, 24)), 1, load<f64>(sr, 24));
  let ry1 = f64x2.replace_lane(f64x2.splat(load<f64>(sl, 48)), 1, load<f64>(sr, 48));
  let ry2 = f64x2.replace_lane(f64x2.splat(load<f64>(sl, 56)), 1, load<f64>(sr, 56));
  const st = STEREO_STATE;
  let x1 = f64x2.replace_lane(f64x2.splat(load<f64>(st)), 1, load<f64>(st, 48));
  let x2 = f64x2.replace_lane(f64x2.splat(load<f64>(st, 8)), 1, load<f64>(st, 56));
  let u1 = f64x2.replace_lane(f64x2.splat(load<f64>(st, 16)), 1, load<f64>(st, 64));
  let u2 = f64x2.replace_lane(f64x2.splat(load<f64>(st, 24)), 1, load<f64>(st, 72));
  let v1 = f64x2.replace_lane(f64x2.splat(load<f64>(st, 32)), 1, load<f64>(st, 80));
  let v2 = f64x2.replace_lane(f64x2.splat(load<f64>(st, 40)), 1, load<f64>(st, 88));
  let hsq = f64x2.replace_lane(f64x2.splat(load<f64>(st, 96)), 1, load<f64>(st, 104));
  let hlr = load<f64>(st, 112);
  let fill = <i32>load<f64>(st, 120);
  let sq = f64x2.splat(0), lowSq = f64x2.splat(0);
  let lr: f64 = 0, lowLr: f64 = 0;
  let hops: i32 = 0;
  const il = INS + <usize>(l * MAX * 4), ir = INS + <usize>(r * MAX * 4);
  for (let n: i32 = 0; n < length; n++) {
    const a = <f64>load<f32>(il + (<usize>n << 2)), b = <f64>load<f32>(ir + (<usize>n << 2));
    const x = f64x2.replace_lane(f64x2.splat(a), 1, b);
    const o = <usize>n << 3;
    // K-weighting, both stages (kWeight).
    const u = f64x2.sub(f64x2.sub(f64x2.add(f64x2.add(f64x2.mul(pb0, x), f64x2.mul(pb1, px1)), f64x2.mul(pb2, px2)), f64x2.mul(pa1, py1)), f64x2.mul(pa2, py2));
    px2 = px1; px1 = x;
    const v = f64x2.sub(f64x2.sub(f64x2.add(f64x2.add(f64x2.mul(rb0, u), f64x2.mul(rb1, py1)), f64x2.mul(rb2, py2)), f64x2.mul(ra1, ry1)), f64x2.mul(ra2, ry2));
    py2 = py1; py1 = u;
    ry2 = ry1; ry1 = v;
    const vl = f64x2.extract_lane(v, 0), vr = f64x2.extract_lane(v, 1);
    // The pair comes first after begin(), so the accumulators hold 0 and 0 + e0 = e0 exactly.
    const e = f64x2.mul(f64x2.mul(w, v), v);
    store<f64>(ENERGY + o, f64x2.extract_lane(e, 0) + f64x2.extract_lane(e, 1));
    const xx = f64x2.mul(x, x);
    store<f64>(SQUARES + o, f64x2.extract_lane(xx, 0) + f64x2.extract_lane(xx, 1));
    // Mono sum (monoEnergy).
    const s = vl + vr;
    store<f64>(MONO + o, 0.5 * s * s);
    // Stereo sums and 100 ms hops (stereo).
    const ab = a * b;
    sq = f64x2.add(sq, xx); lr += ab;
    hsq = f64x2.add(hsq, xx); hlr += ab;
    fill++;
    if (fill == hop) {
      const h = HOP_OUT + <usize>hops * 24;
      store<f64>(h, f64x2.extract_lane(hsq, 0)); store<f64>(h, f64x2.extract_lane(hsq, 1), 8); store<f64>(h, hlr, 16);
      hops++; hsq = f64x2.splat(0); hlr = 0; fill = 0;
    }
    // 150 Hz Linkwitz-Riley low band (stereo).
    const lu = f64x2.sub(f64x2.sub(f64x2.add(f64x2.add(f64x2.mul(lb0, x), f64x2.mul(lb1, x1)), f64x2.mul(lb2, x2)), f64x2.mul(la1, u1)), f64x2.mul(la2, u2));
    const lv = f64x2.sub(f64x2.sub(f64x2.add(f64x2.add(f64x2.mul(lb0, lu), f64x2.mul(lb1, u1)), f64x2.mul(lb2, u2)), f64x2.mul(la1, v1)), f64x2.mul(la2, v2));
    x2 = x1; x1 = x; u2 = u1; u1 = lu; v2 = v1; v1 = lv;
    lowSq = f64x2.add(lowSq, f64x2.mul(lv, lv));
    lowLr += f64x2.extract_lane(lv, 0) * f64x2.extract_lane(lv, 1);
  }
  // Filter state back per channel, with kWeight's denormal flush.
  storeKState(sl, f64x2.extract_lane(px1, 0), f64x2.extract_lane(px2, 0), f64x2.extract_lane(py1, 0), f64x2.extract_lane(py2, 0), f64x2.extract_lane(ry1, 0), f64x2.extract_lane(ry2, 0));
  storeKState(sr, f64x2.extract_lane(px1, 1), f64x2.extract_lane(px2, 1), f64x2.extract_lane(py1, 1), f64x2.extract_lane(py2, 1), f64x2.extract_lane(ry1, 1), f64x2.extract_lane(ry2, 1));
  store<f64>(st, f64x2.extract_lane(x1, 0)); store<f64>(st, f64x2.extract_lane(x2, 0), 8);
  store<f64>(st, f64x2.extract_lane(u1, 0), 16); store<f64>(st, f64x2.extract_lane(u2, 0), 24);
  store<f64>(st, f64x2.extract_lane(v1, 0), 32); store<f64>(st, f64x2.extract_lane(v2, 0), 40);
  store<f64>(st, f64x2.extract_lane(x1, 1), 48); store<f64>(st, f64x2.extract_lane(x2, 1), 56);
  store<f64>(st, f64x2.extract_lane(u1, 1), 64); store<f64>(st, f64x2.extract_lane(u2, 1), 72);
  store<f64>(st, f64x2.extract_lane(v1, 1), 80); store<f64>(st, f64x2.extract_lane(v2, 1), 88);
  store<f64>(st, f64x2.extract_lane(hsq, 0), 96); store<f64>(st, f64x2.extract_lane(hsq, 1), 104); store<f64>(st, hlr, 112); store<f64>(st, <f64>fill, 120);
  store<f64>(STEREO_OUT, f64x2.extract_lane(sq, 0)); store<f64>(STEREO_OUT, f64x2.extract_lane(sq, 1), 8); store<f64>(STEREO_OUT, lr, 16);
  store<f64>(STEREO_OUT, f64x2.extract_lane(lowSq, 0), 24); store<f64>(STEREO_OUT, f64x2.extract_lane(lowSq, 1), 32); store<f64>(STEREO_OUT, lowLr, 40);
  return hops;
}

/** Stores one channel's K-weighting state as kWeight leaves it (denormals flushed per stage). */
function storeKState(st: usize, px1: f64, px2: f64, py1: f64, py2: f64, ry1: f64, ry2: f64): void {
  if (Math.abs(py1) < 1e-30 && Math.abs(py2) < 1e-30) { py1 = 0; py2 = 0; }
  if (Math.abs(ry1) < 1e-30 && Math.abs(ry2) < 1e-30) { ry1 = 0; ry2 = 0; }
  store<f64>(st, px1); store<f64>(st, px2, 8); store<f64>(st, py1, 16); store<f64>(st, py2, 24);
  store<f64>(st, py1, 32); store<f64>(st, py2, 40); store<f64>(st, ry1, 48); store<f64>(st, ry2, 56);
}

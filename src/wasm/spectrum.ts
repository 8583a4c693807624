/** The spectrum frames: gathering loaded samples into frames, and the packed real FFT (mirrors fft.ts, spectrum.ts). */
import { MAX, INS, FFT_MAX, WINDOW, RE, IM, TW_RE, TW_IM, TW3_RE, TW3_IM, REV, POWER, PAIR, frame } from "./memory-layout";

let fftSize: i32 = 0;
/** Bytes from one run of the pair sums to the next: (fftSize / 2 + 1) doubles. */
let pairRun: usize = 0;

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
export function pairOffset(): usize { return PAIR; }
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
  pairRun = <usize>(size / 2 + 1) * 8;
  memory.fill(PAIR, 0, 3 * pairRun);
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
 * |A_k|^2 (+ |B_k|^2) to POWER for k = 0..N/2; with `pair` (and slotB) also |A_k|^2, |B_k|^2 and
 * Re(A_k conj B_k) to the three runs of PAIR. Same arithmetic as spectrum.ts / fft.ts, so the
 * same bits; only the memory passes differ: windowing, bit reversal and the first two stages
 * are one pass, and the radix-2 stages after them run two at a time (radix-4 passes).
 */
export function spectrumFrame(slotA: i32, slotB: i32, pair: bool): void {
  const n = fftSize;
  const hasB = slotB >= 0;
  const sums = pair && hasB;
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
    const aa = f64x2.add(f64x2.mul(ar, ar), f64x2.mul(ai, ai));
    let pw = aa;
    if (hasB) {
      const br = f64x2.mul(f64x2.add(ik, ij), halfV), bi = f64x2.mul(f64x2.sub(rj, rk), halfV);
      const bb = f64x2.add(f64x2.mul(br, br), f64x2.mul(bi, bi));
      pw = f64x2.add(aa, bb);
      if (sums) {
        const q = PAIR + o;
        v128.store(q, f64x2.add(v128.load(q), aa));
        v128.store(q + pairRun, f64x2.add(v128.load(q + pairRun), bb));
        const x = f64x2.add(f64x2.mul(ar, br), f64x2.mul(ai, bi));
        v128.store(q + 2 * pairRun, f64x2.add(v128.load(q + 2 * pairRun), x));
      }
    }
    v128.store(POWER + o, f64x2.add(v128.load(POWER + o), pw));
  }
  splitBin(0, 0, hasB, sums);
  for (; k <= n / 2; k++) splitBin(k, n - k, hasB, sums);
}

/**
 * Adds |A_k|^2 (+ |B_k|^2) of the packed transform to POWER, and with `sums` the pair sums;
 * j is the mirror bin (n - k, or 0 for k = 0).
 */
@inline function splitBin(k: i32, j: i32, hasB: bool, sums: bool): void {
  const rk = load<f64>(RE + (<usize>k << 3)), ik = load<f64>(IM + (<usize>k << 3));
  const rj = load<f64>(RE + (<usize>j << 3)), ij = load<f64>(IM + (<usize>j << 3));
  const ar = (rk + rj) * 0.5, ai = (ik - ij) * 0.5;
  const aa = ar * ar + ai * ai;
  let pw = aa;
  if (hasB) {
    const br = (ik + ij) * 0.5, bi = (rj - rk) * 0.5;
    const bb = br * br + bi * bi;
    pw = aa + bb;
    if (sums) {
      const s = PAIR + (<usize>k << 3);
      store<f64>(s, load<f64>(s) + aa);
      store<f64>(s + pairRun, load<f64>(s + pairRun) + bb);
      store<f64>(s + 2 * pairRun, load<f64>(s + 2 * pairRun) + (ar * br + ai * bi));
    }
  }
  const q = POWER + (<usize>k << 3);
  store<f64>(q, load<f64>(q) + pw);
}

/**
 * Test-signal generators (no binary fixtures): tones, level sequences, the EBU Tech 3341
 * true-peak cases, seeded noise and mix-like programme. All return planar Float32Arrays.
 */
import * as prng from 'lib0/prng';

export type Planar = Float32Array[];

export function dbToAmp(db: number): number {
  return Math.pow(10, db / 20);
}

/**
 * A sine of `seconds` at `freq` Hz, peak `amplitude`, starting at `phase` radians. `fadeSeconds`
 * adds a raised-cosine fade-in and fade-out: an abrupt start is not band-limited and its
 * reconstruction overshoots, which true-peak cases must not measure.
 */
export function sine(
  sampleRate: number,
  seconds: number,
  freq: number,
  amplitude: number,
  phase = 0,
  fadeSeconds = 0,
): Float32Array {
  const n = Math.round(seconds * sampleRate);
  const out = new Float32Array(n);
  const w = (2 * Math.PI * freq) / sampleRate;
  const fade = Math.round(fadeSeconds * sampleRate);
  for (let i = 0; i < n; i++) {
    const edge = Math.min(i, n - 1 - i);
    const g = edge < fade ? 0.5 - 0.5 * Math.cos((Math.PI * edge) / fade) : 1;
    out[i] = g * amplitude * Math.sin(w * i + phase);
  }
  return out;
}

export function concat(parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/**
 * A 1 kHz tone whose level steps through `segments` ([dBFS peak, seconds]), phase-continuous
 * across steps; `-Infinity` dBFS is silence.
 */
export function toneSequence(sampleRate: number, segments: [number, number][], freq = 1000): Float32Array {
  const total = segments.reduce((n, [, s]) => n + Math.round(s * sampleRate), 0);
  const out = new Float32Array(total);
  const w = (2 * Math.PI * freq) / sampleRate;
  let i = 0;
  for (const [db, seconds] of segments) {
    const amp = db === -Infinity ? 0 : dbToAmp(db);
    const end = i + Math.round(seconds * sampleRate);
    for (; i < end; i++) out[i] = amp * Math.sin(w * i);
  }
  return out;
}

/** The same signal on `channels` channels (stereo in phase when 2). */
export function inPhase(signal: Float32Array, channels = 2): Planar {
  return Array.from({ length: channels }, () => signal.slice());
}

/** Deterministic generator of floats in [0, 1) (lib0's Xoroshiro128+) so failures reproduce from the printed seed. */
export function seededRandom(seed: number): () => number {
  const gen = prng.create(seed);
  return () => gen.next();
}

/**
 * Mix-like stereo programme: pink-ish noise bed, a bass line and a kick, with a level that rides
 * continuously (slow random sinusoids), so loudness range and gating have something to do. Deterministic per seed.
 */
export function mixLike(sampleRate: number, seconds: number, seed: number): Planar {
  const rand = seededRandom(seed);
  const n = Math.round(seconds * sampleRate);
  const l = new Float32Array(n),
    r = new Float32Array(n);
  let b0 = 0,
    b1 = 0,
    b2 = 0,
    c0 = 0,
    c1 = 0,
    c2 = 0;
  // The level rides continuously, like automation: a sum of slow sinusoids with random rates.
  const base = -30 + rand() * 14;
  const rides = Array.from({ length: 4 }, () => ({
    rate: 0.01 + rand() * 0.12,
    phase: rand() * 2 * Math.PI,
    depth: 1.5 + rand() * 3,
  }));
  const beat = 0.5;
  for (let i = 0; i < n; i++) {
    const t = i / sampleRate;
    let mixDb = base;
    for (const r of rides) mixDb += r.depth * Math.sin(2 * Math.PI * r.rate * t + r.phase);
    const gain = dbToAmp(mixDb);
    const wl = rand() * 2 - 1,
      wr = rand() * 2 - 1;
    b0 = 0.99765 * b0 + wl * 0.099;
    b1 = 0.963 * b1 + wl * 0.2965;
    b2 = 0.57 * b2 + wl * 1.0527;
    c0 = 0.99765 * c0 + wr * 0.099;
    c1 = 0.963 * c1 + wr * 0.2965;
    c2 = 0.57 * c2 + wr * 1.0527;
    const pinkL = (b0 + b1 + b2 + wl * 0.1848) * 0.2,
      pinkR = (c0 + c1 + c2 + wr * 0.1848) * 0.2;
    const phase = t % beat;
    const kick = Math.exp(-phase * 18) * Math.sin(2 * Math.PI * (50 + 80 * Math.exp(-phase * 30)) * phase) * 0.8;
    const bass = 0.3 * Math.sin(2 * Math.PI * 55 * t) * (Math.floor(t / beat) % 2 ? 1 : 0.6);
    l[i] = gain * (0.6 * pinkL + 0.4 * pinkR + kick + bass);
    r[i] = gain * (0.4 * pinkL + 0.6 * pinkR + kick + 0.8 * bass);
  }
  return [l, r];
}

/** Windowed-sinc low-pass (Kaiser, beta 8) with `cutoff` as a fraction of the sample rate. */
export function lowPassFir(cutoff: number, halfLength: number): Float64Array {
  const taps = new Float64Array(2 * halfLength + 1);
  const i0 = (x: number) => {
    let s = 1,
      t = 1;
    for (let k = 1; k < 60; k++) {
      t *= (x / (2 * k)) ** 2;
      s += t;
    }
    return s;
  };
  let sum = 0;
  for (let i = 0; i < taps.length; i++) {
    const t = i - halfLength;
    const sinc = t === 0 ? 2 * cutoff : Math.sin(2 * Math.PI * cutoff * t) / (Math.PI * t);
    const r = t / halfLength;
    taps[i] = sinc * (i0(8 * Math.sqrt(1 - r * r)) / i0(8));
    sum += taps[i]!;
  }
  return taps.map((v) => v / sum);
}

/**
 * EBU Tech 3341 cases 20-23: an fs/6 sine at 0.50 with one phase-continuous period of fs/4 at
 * 1.00 in the middle, made at 4 fs, low-passed below fs/2 and decimated by 4 starting at
 * `offset` (0..3). Its true peak is 0 dBTP whatever the offset.
 */
export function truePeakBurst(sampleRate: number, seconds: number, offset: number): Float32Array {
  const fs4 = sampleRate * 4;
  const n4 = Math.round(seconds * fs4);
  const hi = new Float64Array(n4);
  const burstStart = Math.floor(n4 / 2);
  const burstLength = 16; // one period of fs/4 at 4 fs
  let phase = 0;
  for (let i = 0; i < n4; i++) {
    const inBurst = i >= burstStart && i < burstStart + burstLength;
    hi[i] = (inBurst ? 1 : 0.5) * Math.sin(phase);
    phase += (2 * Math.PI * (inBurst ? sampleRate / 4 : sampleRate / 6)) / fs4;
  }
  const fir = lowPassFir(0.45 / 4, 256);
  const half = (fir.length - 1) / 2;
  const out = new Float32Array(Math.floor((n4 - offset) / 4));
  for (let m = 0; m < out.length; m++) {
    const centre = m * 4 + offset;
    let y = 0;
    for (let k = 0; k < fir.length; k++) {
      const j = centre + k - half;
      if (j >= 0 && j < n4) y += fir[k]! * hi[j]!;
    }
    out[m] = y;
  }
  return out;
}

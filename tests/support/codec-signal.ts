/**
 * A master with peaks just under 0 dBTP in known places, for the codec check: a mix-like bed
 * well below full scale, and two dense, saturated bursts (a brick-walled chorus hit) scaled so
 * the whole file's 4x true peak is exactly `peakDbtp`. Lossy codecs overshoot on such material,
 * so after the codec the overs fall inside the bursts, at `BURSTS` seconds.
 */
import { makeAnalyser } from '../../src/core/dsp/analyser.ts';
import { dbToAmp, mixLike, seededRandom, type Planar } from './signals.ts';

/** Start and end (seconds) of the loud bursts. */
/** Saturation drive of the bursts: enough to flatten them against the ceiling, not a hard clip. */
const DRIVE = 1.2;
export const BURSTS: readonly [number, number][] = [
  [2, 2.6],
  [6, 6.6],
];

export function nearFullScaleMaster(sampleRate: number, seconds: number, peakDbtp = -0.1): Planar {
  const planes = mixLike(sampleRate, seconds, 3);
  const rand = seededRandom(11);
  // The bed: normalised to a sample peak of -8 dBFS.
  let peak = 0;
  for (const p of planes) for (const v of p) peak = Math.max(peak, Math.abs(v));
  for (const p of planes) for (let i = 0; i < p.length; i++) p[i]! *= dbToAmp(-8) / peak;
  // The bursts: low-passed noise (one pole near 5 kHz, as programme material) over a kick, driven
  // hard into tanh saturation, so the waveform sits flat against the ceiling as a limiter leaves it.
  const pole = Math.exp((-2 * Math.PI * 5000) / sampleRate);
  const lp = planes.map(() => 0);
  for (const [a, b] of BURSTS) {
    for (let i = Math.round(a * sampleRate); i < Math.min(planes[0]!.length, Math.round(b * sampleRate)); i++) {
      const t = i / sampleRate;
      const kick = Math.sin(2 * Math.PI * 60 * t);
      planes.forEach((p, c) => {
        lp[c] = pole * lp[c]! + (1 - pole) * (rand() * 2 - 1);
        p[i] = Math.tanh(DRIVE * (0.5 * kick + 2 * lp[c]!));
      });
    }
  }
  const meter = makeAnalyser({ sampleRate, channels: planes.length });
  meter.push(planes);
  const tp = meter.finish().peaks.truePeak.value!;
  const g = dbToAmp(peakDbtp - tp);
  for (const p of planes) for (let i = 0; i < p.length; i++) p[i]! *= g;
  return planes;
}

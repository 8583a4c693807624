/** Spectrum figures: the averaged magnitude per bin, 1/3-octave band levels and tonal balance. */
import type { AnalysisResult } from './result-schema.ts';
import { fig } from './result-schema.ts';
import { THIRD_OCTAVE_CENTRES, TONAL_BANDS } from './spectrum.ts';
import type { SpectrumAverager } from './spectrum.ts';
import { finiteOrNull, powerToDb } from './units.ts';

/** Mean square of the bins whose centre lies in [lowHz, highHz). */
function bandMeanSquare(avg: SpectrumAverager, power: Float64Array, lowHz: number, highHz: number): number {
  const binHz = avg.sampleRate / avg.size;
  const from = Math.max(0, Math.ceil(lowHz / binHz));
  const to = Math.min(power.length - 1, Math.ceil(highHz / binHz) - 1);
  let sum = 0;
  for (let k = from; k <= to; k++) sum += avg.binMeanSquare(power[k]!, k);
  return sum;
}

export function buildSpectrum(avg: SpectrumAverager): AnalysisResult['spectrum'] {
  const power = avg.meanPower();
  const binHz = avg.sampleRate / avg.size;
  const sineOffset = 10 * Math.log10(2);
  const average = power ? Array.from(power, (p) => finiteOrNull(avg.binToDb(p))) : [];
  const third = THIRD_OCTAVE_CENTRES.map((fc) => {
    if (!power || fc * Math.pow(2, 1 / 6) > avg.sampleRate / 2) return null;
    return finiteOrNull(
      powerToDb(bandMeanSquare(avg, power, fc * Math.pow(2, -1 / 6), fc * Math.pow(2, 1 / 6))) + sineOffset,
    );
  });
  const bandEnergy = TONAL_BANDS.map((b) =>
    power ? bandMeanSquare(avg, power, b.lowHz, Math.min(b.highHz, avg.sampleRate / 2)) : 0,
  );
  const total = bandEnergy.reduce((a, b) => a + b, 0);
  const tonal = {} as AnalysisResult['spectrum']['tonalBalance'];
  TONAL_BANDS.forEach((b, i) => {
    tonal[b.name] = fig(
      total > 0 ? finiteOrNull(powerToDb(bandEnergy[i]! / total)) : null,
      'dB',
      `share of the 20 Hz-20 kHz energy between ${b.lowHz} and ${b.highHz} Hz`,
    );
  });
  return {
    fftSize: fig(avg.size, 'samples', 'FFT frame length (Hann window, consecutive frames)'),
    binWidth: fig(binHz, 'Hz', 'frequency spacing of the averaged spectrum'),
    average: fig(
      average,
      'dBFS',
      'power-averaged magnitude per bin over frames and channels (LFE excluded); a full-scale sine peaks at 0',
    ),
    thirdOctaveCentres: fig(THIRD_OCTAVE_CENTRES.slice(), 'Hz', 'nominal 1/3-octave centre frequencies'),
    thirdOctave: fig(
      third,
      'dBFS',
      'RMS level in each 1/3-octave band (edges fc x 2^+-1/6), re a full-scale sine; null above Nyquist',
    ),
    tonalBalance: tonal,
  };
}

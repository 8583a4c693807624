/**
 * EBU Tech 3341/3342 cases written as 16-bit, 24-bit and float WAV files at 44.1, 48 and
 * 96 kHz and measured through the decoder, as a user's file would be. Steady-state cases use
 * shorter signals than the spec where the expected value does not depend on length; the long
 * cases (5 and Tech 3342 case 1) run on three of the nine format/rate pairs.
 */
import { test } from 'uvu';
import { MemoryByteSource } from '../../../src/core/audio/byte-source.ts';
import { analyseAudio } from '../../../src/core/audio/analyse-audio.ts';
import type { AnalysisResult } from '../../../src/core/dsp/result-schema.ts';
import { inPhase, sine, toneSequence, truePeakBurst } from '../../support/signals.ts';
import { writeWav } from '../../support/wav-writer.ts';
import type { WavSampleFormat } from '../../support/wav-writer.ts';
import { near } from '../dsp/measure.ts';

async function viaWav(
  planar: Float32Array[],
  sampleRate: number,
  format: WavSampleFormat,
  channelMask?: number,
): Promise<AnalysisResult> {
  const bytes = writeWav(planar, { sampleRate, format, ...(channelMask === undefined ? {} : { channelMask }) });
  return (await analyseAudio(new MemoryByteSource(`case.${format}.wav`, bytes))).result;
}

const FORMATS = ['pcm16', 'pcm24', 'float32'] as const;
const RATES = [44100, 48000, 96000];
for (const format of FORMATS) {
  for (const fs of RATES) {
    /** The long gating and LRA cases run once per format and once per rate (a Latin square), to bound runtime. */
    const long = (FORMATS.indexOf(format) + RATES.indexOf(fs)) % 3 === 0;
    const at = `(${format} WAV, ${fs} Hz)`;
    const stereo = (segments: [number, number][]) => inPhase(toneSequence(fs, segments));

    test(`case 1 and 2: -23 and -33 dBFS read -23.0 and -33.0 LUFS ${at}`, async () => {
      for (const level of [-23, -33]) {
        const r = await viaWav(stereo([[level, 10]]), fs, format);
        near(r.loudness.integrated.value, level, 0.1, 0.1, 'I');
        near(r.loudness.momentaryMax.value, level, 0.1, 0.1, 'M');
        near(r.loudness.shortTermMax.value, level, 0.1, 0.1, 'S');
      }
    });

    if (long)
      test(`case 5: -26/-20/-26 dBFS integrates to -23.0 LUFS ${at}`, async () => {
        near(
          (
            await viaWav(
              stereo([
                [-26, 20],
                [-20, 20.1],
                [-26, 20],
              ]),
              fs,
              format,
            )
          ).loudness.integrated.value,
          -23,
          0.1,
          0.1,
          'I',
        );
      });

    test(`case 6: 5.0 through a channel-masked file reads -23.0 LUFS ${at}`, async () => {
      const tone = (db: number) => toneSequence(fs, [[db, 10]]);
      const r = await viaWav([tone(-28), tone(-28), tone(-24), tone(-30), tone(-30)], fs, format, 0x37);
      near(r.loudness.integrated.value, -23, 0.1, 0.1, 'I');
    });

    test(`case 12: momentary constant at -23.0 after 1 s ${at}`, async () => {
      const segs: [number, number][] = [];
      for (let i = 0; i < 25; i++) segs.push([-20, 0.18], [-30, 0.22]);
      const series = (await viaWav(stereo(segs), fs, format)).loudness.series.momentary.value;
      for (let i = 9; i < series.length; i++) near(series[i]!, -23, 0.1, 0.1, `M at ${(i + 1) / 10} s`);
    });

    test(`cases 15-23: true peak ${at}`, async () => {
      const tp: [number, number, number, number][] = [
        [4, 0.5, 0, -6],
        [4, 0.5, 45, -6],
        [6, 0.5, 60, -6],
        [8, 0.5, 67.5, -6],
        [4, 1.41, 45, 3],
      ];
      for (const [div, amp, deg, expected] of tp) {
        if (format !== 'float32' && amp > 1) continue; // integer files cannot hold +3 dBFS samples
        const s = sine(fs, 1, fs / div, amp, (deg * Math.PI) / 180, 0.05);
        near(
          (await viaWav([s, s], fs, format)).peaks.truePeak.value,
          expected,
          0.4,
          0.2,
          `fs/${div} at ${amp}, ${deg} deg`,
        );
      }
      for (let offset = 0; offset < 4; offset++) {
        const s = truePeakBurst(fs, 0.5, offset);
        near((await viaWav([s, s], fs, format)).peaks.truePeak.value, 0, 0.4, 0.2, `burst offset ${offset}`);
      }
    });

    if (long)
      test(`Tech 3342 case 1: LRA 10 LU ${at}`, async () => {
        near(
          (
            await viaWav(
              stereo([
                [-20, 20],
                [-30, 20],
              ]),
              fs,
              format,
            )
          ).loudness.range.value,
          10,
          1,
          1,
          'LRA',
        );
      });
  }
}

test.run();

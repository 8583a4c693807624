/** Turns the analyser's end-of-stream state into the self-describing AnalysisResult. */
import type { AnalyserState } from './analyser.ts';
import { CLIP_RUN, SILENCE_THRESHOLD_DBFS } from './channel-levels.ts';
import { integratedLoudness, loudnessRange } from './gating.ts';
import { CONVENTIONS, SCHEMA_ID, fig } from './result-schema.ts';
import type { AnalysisResult, ChannelResult, OversFigure } from './result-schema.ts';
import { buildSpectrum } from './spectrum-result.ts';
import { buildStereoBands } from './stereo-bands.ts';
import { correlation, LOW_BAND_HZ } from './stereo.ts';
import type { OverEvents } from './true-peak.ts';
import { energyToLufs, finiteOrNull, powerToDb, toDb } from './units.ts';

/** RMS in dBFS relative to a full-scale sine (+3.01 dB on the mean square). */
const SINE_RMS_OFFSET_DB = 10 * Math.log10(2);

function rmsDb(sumSquares: number, count: number): number | null {
  return count > 0 ? finiteOrNull(powerToDb(sumSquares / count) + SINE_RMS_OFFSET_DB) : null;
}

function sub(a: number | null, b: number | null): number | null {
  return a === null || b === null ? null : a - b;
}

function overs(events: OverEvents, threshold: number): OversFigure {
  return {
    count: fig(
      events.count,
      'count',
      `inter-sample overs above ${threshold} dBTP: runs of consecutive 4x-oversampled values above the threshold`,
    ),
    positions: fig(events.positions, 's', `start of each over above ${threshold} dBTP (first 1000)`),
  };
}

function mergeOvers(all: OverEvents[]): OverEvents {
  const positions = all
    .flatMap((e) => e.positions)
    .sort((a, b) => a - b)
    .slice(0, 1000);
  return { count: all.reduce((n, e) => n + e.count, 0), positions };
}

function series(values: Float64Array, toUnit: (v: number) => number): (number | null)[] {
  return Array.from(values, (v) => (Number.isNaN(v) ? null : finiteOrNull(toUnit(v))));
}

export function buildResult(s: AnalyserState): AnalysisResult {
  const { sampleRate, frames, layout } = s;
  const duration = frames / sampleRate;
  const gated = integratedLoudness(s.loudness.blocks.toArray());
  const lra = loudnessRange(s.loudness.shortTerm.toArray());
  const channels: ChannelResult[] = layout.map((label, c) => {
    const lv = s.levels[c]!,
      tp = s.truePeaks[c]!;
    const peakDb = finiteOrNull(toDb(lv.peak));
    const rms = rmsDb(lv.sumSquares, frames);
    const truePeak = finiteOrNull(Math.max(tp.peakDbtp, toDb(lv.peak)));
    return {
      index: c,
      label,
      loudnessWeight: fig(s.weights[c]!, 'linear', 'BS.1770 weight of this channel in the loudness sum (0: excluded)'),
      samplePeak: fig(peakDb, 'dBFS', 'largest sample magnitude'),
      samplePeakAt: fig(peakDb === null ? null : lv.peakAt, 's', 'time of the first largest sample'),
      truePeak: fig(truePeak, 'dBTP', 'largest magnitude of the 4x-oversampled signal (at least the sample peak)'),
      truePeakAt: fig(
        truePeak === null ? null : tp.peak >= lv.peak ? tp.peakAt : lv.peakAt,
        's',
        'time of the true peak',
      ),
      rms: fig(rms, 'dBFS', 'root mean square level over the whole file, re a full-scale sine'),
      crestFactor: fig(
        sub(peakDb, rms === null ? null : rms - SINE_RMS_OFFSET_DB),
        'dB',
        'sample peak minus RMS (mean-square re 1.0; a sine reads 3.01 dB)',
      ),
      dcOffset: fig(frames > 0 ? lv.sum / frames : null, 'linear', 'mean sample value (1.0 is full scale)'),
      clipRuns: fig(lv.clipRuns, 'count', `runs of ${CLIP_RUN} or more consecutive full-scale samples`),
      clipPositions: fig(lv.clipPositions, 's', 'start time and length in samples of each clipping run (first 1000)'),
      oversAboveMinus1: overs(tp.overs[0]!, -1),
      oversAbove0: overs(tp.overs[1]!, 0),
    };
  });
  const best = channels.reduce(
    (a, b) => ((b.truePeak.value ?? -Infinity) > (a.truePeak.value ?? -Infinity) ? b : a),
    channels[0]!,
  );
  const bestSample = channels.reduce(
    (a, b) => ((b.samplePeak.value ?? -Infinity) > (a.samplePeak.value ?? -Infinity) ? b : a),
    channels[0]!,
  );
  const totalSquares = s.levels.reduce((n, l) => n + l.sumSquares, 0);
  const rms = rmsDb(totalSquares, frames * layout.length);
  const integrated = gated.lufs;
  const shortMax = finiteOrNull(s.loudness.maxShortTermLufs);
  const truePeak = best.truePeak.value;
  const first = Math.min(...s.levels.map((l) => (l.firstAudible < 0 ? Infinity : l.firstAudible)));
  const last = Math.max(...s.levels.map((l) => l.lastAudible));
  const lufs = (v: number) => energyToLufs(v);
  const noiseFloor = s.noiseFloor.estimateDbfs();
  const warnings = [...s.warnings];
  if (integrated === null)
    warnings.push(
      frames < 0.4 * sampleRate
        ? 'shorter than one 400 ms block: integrated loudness undefined'
        : 'no block above the -70 LUFS gate: integrated loudness undefined',
    );

  let stereo: AnalysisResult['stereo'] = null;
  if (s.stereo && s.monoSum) {
    const st = s.stereo;
    const mono = integratedLoudness(s.monoSum.blocks.toArray()).lufs;
    stereo = {
      correlation: fig(
        correlation(st.lr, st.ll, st.rr),
        'ratio',
        'Pearson correlation of left and right over the file without mean removal (+1 mono, 0 unrelated, -1 out of phase)',
      ),
      correlationSeries: fig(
        series(st.series.toArray(), (v) => v),
        'ratio',
        'correlation of each consecutive 100 ms',
      ),
      lowBandCorrelation: fig(
        correlation(st.lowLr, st.lowLl, st.lowRr),
        'ratio',
        `correlation of left and right below ${LOW_BAND_HZ} Hz (4th-order Linkwitz-Riley low-pass)`,
      ),
      width: fig(
        finiteOrNull(powerToDb((st.ll + st.rr - 2 * st.lr) / (st.ll + st.rr + 2 * st.lr))),
        'dB',
        'side energy relative to mid energy, S=(L-R)/2, M=(L+R)/2 (-inf: mono)',
      ),
      balance: fig(
        finiteOrNull(powerToDb(st.ll / st.rr)),
        'dB',
        'left energy relative to right energy (positive: left is louder)',
      ),
      monoCompatibility: fig(
        sub(mono, integrated),
        'LU',
        'integrated loudness of the mono sum (L+R)/2 on both loudspeakers minus the stereo integrated loudness (0: no loss)',
      ),
    };
    const bands = buildStereoBands(s.spectrum);
    if (bands) stereo.bands = bands;
  }

  return {
    schema: SCHEMA_ID,
    conventions: CONVENTIONS,
    file: {
      sampleRate: fig(sampleRate, 'Hz', 'sample rate of the file; audio is never resampled before metering'),
      channels: fig(layout.length, 'count', 'number of channels'),
      channelLayout: layout,
      frames: fig(frames, 'samples', 'sample frames analysed'),
      duration: fig(duration, 's', 'frames / sample rate'),
    },
    loudness: {
      integrated: fig(integrated, 'LUFS', 'gated integrated loudness (BS.1770); null when no block passes the gates'),
      relativeGate: fig(gated.relativeGateLufs, 'LUFS', 'relative gate used for integrated loudness'),
      momentaryMax: fig(
        finiteOrNull(s.loudness.maxMomentaryLufs),
        'LUFS',
        'largest 400 ms loudness, evaluated every <= 10 ms',
      ),
      momentaryMaxAt: fig(
        finiteOrNull(s.loudness.maxMomentaryLufs) === null ? null : s.loudness.maxMomentaryAt,
        's',
        'end of the loudest 400 ms window',
      ),
      shortTermMax: fig(shortMax, 'LUFS', 'largest 3 s loudness, evaluated every <= 10 ms'),
      shortTermMaxAt: fig(shortMax === null ? null : s.loudness.maxShortTermAt, 's', 'end of the loudest 3 s window'),
      range: fig(lra.lu, 'LU', 'loudness range (EBU Tech 3342); null with too few gated values'),
      rangeLow: fig(lra.lowLufs, 'LUFS', '10th percentile of gated short-term loudness'),
      rangeHigh: fig(lra.highLufs, 'LUFS', '95th percentile of gated short-term loudness'),
      rangeNote: lra.note,
      series: {
        interval: fig(0.1, 's', 'spacing of the loudness series; value i covers the window ending at (i+1) x interval'),
        momentary: fig(
          series(s.loudness.momentarySeries.toArray(), lufs),
          'LUFS',
          'momentary loudness every 100 ms (null before 400 ms or in digital silence)',
        ),
        shortTerm: fig(
          series(s.loudness.shortTermSeries.toArray(), lufs),
          'LUFS',
          'short-term loudness every 100 ms (null before 3 s or in digital silence)',
        ),
      },
    },
    peaks: {
      truePeak: fig(truePeak, 'dBTP', 'largest true peak over all channels'),
      truePeakAt: fig(best.truePeakAt.value, 's', 'time of the largest true peak'),
      samplePeak: fig(bestSample.samplePeak.value, 'dBFS', 'largest sample magnitude over all channels'),
      samplePeakAt: fig(bestSample.samplePeakAt.value, 's', 'time of the largest sample'),
      oversAboveMinus1: overs(mergeOvers(s.truePeaks.map((t) => t.overs[0]!)), -1),
      oversAbove0: overs(mergeOvers(s.truePeaks.map((t) => t.overs[1]!)), 0),
    },
    dynamics: {
      rms: fig(rms, 'dBFS', 'RMS level over all channels and the whole file, re a full-scale sine'),
      crestFactor: fig(
        sub(bestSample.samplePeak.value, rms === null ? null : rms - SINE_RMS_OFFSET_DB),
        'dB',
        'sample peak minus RMS (mean square re 1.0), all channels',
      ),
      plr: fig(sub(truePeak, integrated), 'LU', 'peak-to-loudness ratio: true peak minus integrated loudness'),
      psr: fig(
        sub(truePeak, shortMax),
        'LU',
        'peak-to-short-term-loudness ratio: true peak minus maximum short-term loudness',
      ),
    },
    clipping: {
      runs: fig(
        channels.reduce((n, c) => n + c.clipRuns.value, 0),
        'count',
        `runs of ${CLIP_RUN}+ consecutive full-scale samples (|x| >= 1 - 2^-15), all channels`,
      ),
      samples: fig(
        s.levels.reduce((n, l) => n + l.clippedSamples, 0),
        'samples',
        'samples inside those runs, all channels',
      ),
    },
    silence: {
      head: fig(
        first === Infinity ? duration : first / sampleRate,
        's',
        `time before the first sample above ${SILENCE_THRESHOLD_DBFS} dBFS on any channel`,
      ),
      tail: fig(
        last < 0 ? duration : (frames - 1 - last) / sampleRate,
        's',
        `time after the last sample above ${SILENCE_THRESHOLD_DBFS} dBFS on any channel`,
      ),
      threshold: fig(SILENCE_THRESHOLD_DBFS, 'dBFS', 'sample magnitude below which head and tail count as silence'),
    },
    noiseFloor: fig(
      noiseFloor === null ? null : noiseFloor + SINE_RMS_OFFSET_DB,
      'dBFS',
      '10th percentile of the RMS levels of 50 ms windows (all channels, re a full-scale sine), digital silence ignored',
    ),
    channels,
    spectrum: buildSpectrum(s.spectrum),
    stereo,
    overview: s.overview.finish(),
    warnings,
  };
}

/** Head and tail silence, truncated endings, and the file format against the target. */
import type { Rule } from '../diagnostic.ts';
import { REF } from './common.ts';

export const HEAD_SILENCE_INFO_S = 0.5;
export const HEAD_SILENCE_WARN_S = 2;
export const TAIL_SILENCE_S = 5;

export const headSilence: Rule = {
  id: 'head-silence',
  checks: `more than ${HEAD_SILENCE_INFO_S} s (info) or ${HEAD_SILENCE_WARN_S} s (warning) of silence before the first sound`,
  reference: REF.heuristic,
  run({ result: r }) {
    const head = r.silence.head.value;
    if (head <= HEAD_SILENCE_INFO_S || r.loudness.integrated.value === null) return null;
    return {
      id: 'head-silence',
      severity: head > HEAD_SILENCE_WARN_S ? 'warning' : 'info',
      title: 'Silence at the start',
      message: `${head.toFixed(2)} s of silence (below ${r.silence.threshold.value} dBFS) before the first sound: a playlist will seem to stall.`,
      evidence: [{ label: 'Head silence', value: head, unit: 's' }],
      at: [0],
      fix: 'Trim the start to a few hundred milliseconds before the downbeat (keep any intended pre-roll).',
      reference: REF.heuristic,
    };
  },
};

export const tailSilence: Rule = {
  id: 'tail-silence',
  checks: `more than ${TAIL_SILENCE_S} s of silence after the last sound`,
  reference: REF.heuristic,
  run({ result: r }) {
    const tail = r.silence.tail.value;
    if (tail <= TAIL_SILENCE_S || r.loudness.integrated.value === null) return null;
    return {
      id: 'tail-silence',
      severity: 'info',
      title: 'Long silence at the end',
      message: `${tail.toFixed(1)} s of silence after the last sound.`,
      evidence: [{ label: 'Tail silence', value: tail, unit: 's' }],
      at: [Math.max(0, r.file.duration.value - tail)],
      fix: 'Trim the tail after the reverb has decayed, unless the gap is intended.',
      reference: REF.heuristic,
    };
  },
};

/** Last momentary value within this many LU of the integrated loudness, with no silence after it: the audio stops mid-note. */
export const ABRUPT_END_LU = 6;
const TRUNCATION = /truncated|but only \d+ were decoded/i;

export const truncatedEnding: Rule = {
  id: 'truncated-ending',
  checks: `decoder reports a truncated file, or the audio stops with no tail within ${ABRUPT_END_LU} LU of the programme loudness`,
  reference: REF.heuristic,
  run({ result: r }) {
    const end = r.file.duration.value;
    const decoderSays = r.warnings.find((w) => TRUNCATION.test(w));
    if (decoderSays) {
      return {
        id: 'truncated-ending',
        severity: 'error',
        title: 'File is truncated',
        message: `The file ends before its header says it should (${decoderSays}).`,
        evidence: [{ label: 'Duration', value: end, unit: 's' }],
        at: [end],
        fix: 'Export or copy the file again; the delivered file is incomplete.',
        reference: REF.heuristic,
      };
    }
    const series = r.loudness.series.momentary.value;
    const last = series[series.length - 1];
    const lufs = r.loudness.integrated.value;
    if (
      lufs === null ||
      last === undefined ||
      last === null ||
      r.silence.tail.value > 0.005 ||
      last < lufs - ABRUPT_END_LU
    )
      return null;
    return {
      id: 'truncated-ending',
      severity: 'warning',
      title: 'Ends abruptly',
      message: `The audio stops at full level (last 400 ms at ${last.toFixed(1)} LUFS, programme ${lufs.toFixed(1)} LUFS) with no fade or decay: the ending may have been cut off.`,
      evidence: [
        { label: 'Last momentary', value: last, unit: 'LUFS' },
        { label: 'Tail silence', value: r.silence.tail.value, unit: 's' },
      ],
      at: [Math.max(0, end - 1)],
      fix: 'Check the bounce range covers the whole reverb tail, or add a short fade.',
      reference: REF.heuristic,
    };
  },
};

export const format: Rule = {
  id: 'format',
  checks:
    'sample rate and bit depth suitable for the target (broadcast: 48 kHz; all: at least 44.1 kHz, 16-bit, lossless)',
  reference: `${REF.r128} (EBU Tech 3285: 48 kHz); platform delivery specs`,
  run({ result: r, target: t, source }) {
    const rate = r.file.sampleRate.value;
    const problems: string[] = [];
    let severity: 'error' | 'warning' = 'warning';
    if (t.kind === 'broadcast' && rate !== 48000) problems.push(`${rate} Hz where broadcast delivery expects 48000 Hz`);
    else if (rate < 44100) problems.push(`${rate} Hz, below the 44100 Hz every platform expects`);
    if (source?.bitsPerSample !== null && source?.bitsPerSample !== undefined && source.bitsPerSample < 16) {
      problems.push(`${source.bitsPerSample}-bit samples`);
      severity = 'error';
    }
    if (source && !source.lossless)
      problems.push(`a lossy source (${source.encoding}): the platform re-encodes it, stacking artefacts`);
    if (problems.length === 0) return null;
    return {
      id: 'format',
      severity,
      title: 'File format',
      message: `This file is ${problems.join('; ')}.`,
      evidence: [
        { label: 'Sample rate', value: rate, unit: 'Hz' },
        { label: 'Bit depth', value: source?.bitsPerSample ?? null, unit: 'count' },
      ],
      at: [],
      fix:
        t.kind === 'broadcast'
          ? 'Deliver 48 kHz, 24-bit PCM.'
          : 'Deliver the lossless master (24-bit or float WAV/FLAC at 44.1 kHz or more).',
      reference: this.reference,
    };
  },
};

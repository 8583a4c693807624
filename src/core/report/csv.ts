/**
 * CSV exports of a result: the summary (one row per figure, with unit and definition, then the
 * target, score and each diagnostic) and the 10 Hz series (time, momentary, short-term,
 * correlation). RFC 4180 quoting; numbers in full precision with "." decimals; an undefined
 * value is an empty cell, never a made-up floor.
 */
import type { Diagnosis } from '../diagnostics/diagnose.ts';
import type { AnalysisResult, Figure } from '../dsp/result-schema.ts';

function cell(v: string | number | null): string {
  if (v === null) return '';
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
const row = (...cells: (string | number | null)[]) => cells.map(cell).join(',');

/** Every scalar figure of the result, by dotted path (arrays and nested series are skipped). */
function scalarFigures(value: unknown, path: string, out: [string, Figure<number | null>][]): void {
  if (!value || typeof value !== 'object') return;
  const f = value as Partial<Figure<unknown>>;
  if ('unit' in f && 'value' in f) {
    if (f.value === null || typeof f.value === 'number') out.push([path, f as Figure<number | null>]);
    return;
  }
  for (const [k, v] of Object.entries(value)) {
    if (k === 'conventions' || k === 'series') continue;
    scalarFigures(v, path ? `${path}.${k}` : k, out);
  }
}

export function summaryCsv(name: string, result: AnalysisResult, diagnosis: Diagnosis | null): string {
  const lines = [row('quantity', 'value', 'unit', 'definition'), row('file', name, '', 'analysed file')];
  const figures: [string, Figure<number | null>][] = [];
  scalarFigures(
    {
      file: result.file,
      loudness: result.loudness,
      peaks: result.peaks,
      dynamics: result.dynamics,
      clipping: result.clipping,
      silence: result.silence,
      noiseFloor: result.noiseFloor,
      spectrum: { tonalBalance: result.spectrum.tonalBalance },
      stereo: result.stereo,
    },
    '',
    figures,
  );
  result.channels.forEach((c) => scalarFigures(c, `channel.${c.label}`, figures));
  for (const [path, f] of figures) lines.push(row(path, f.value, f.unit, f.definition));
  if (diagnosis) {
    lines.push(row('target', diagnosis.targetName, '', diagnosis.targetId));
    lines.push(row('score', diagnosis.score, '', diagnosis.scoreExplanation));
    lines.push(row('verdict', diagnosis.verdict, '', diagnosis.verdictText));
    for (const d of diagnosis.diagnostics)
      lines.push(row(`diagnostic.${d.id}`, d.severity, d.at.length ? `at ${d.at.join(' ')} s` : '', d.message));
  }
  return `${lines.join('\r\n')}\r\n`;
}

/** The 10 Hz series: time at the end of each window in seconds, then the values. */
export function seriesCsv(result: AnalysisResult): string {
  const s = result.loudness.series;
  const corr = result.stereo?.correlationSeries.value ?? [];
  const n = Math.max(s.momentary.value.length, s.shortTerm.value.length, corr.length);
  const lines = [row('time_s', 'momentary_lufs', 'short_term_lufs', 'correlation')];
  const step = s.interval.value;
  for (let i = 0; i < n; i++)
    lines.push(
      row(
        Number(((i + 1) * step).toFixed(3)),
        s.momentary.value[i] ?? null,
        s.shortTerm.value[i] ?? null,
        corr[i] ?? null,
      ),
    );
  return `${lines.join('\r\n')}\r\n`;
}

/** Summary, a blank line, then the series: the single file the app's "Export CSV" writes. */
export function reportCsv(name: string, result: AnalysisResult, diagnosis: Diagnosis | null): string {
  return `${summaryCsv(name, result, diagnosis)}\r\n${seriesCsv(result)}`;
}

/**
 * `mixdesk compare MIX REF... [--json]`: the mix beside its references, every summary figure
 * with each reference's value and its difference (reference − mix), and the gain that
 * level-matches each reference to the mix (an A/B at matched loudness). WAV, AIFF and FLAC, decoded
 * and measured by the same streaming analysis as `mixdesk analyze`.
 * Exit code 0, 1 when a file cannot be measured, 2 on bad usage.
 */
import { analyseAudio } from '../core/audio/analyse-audio.ts';
import { compareResults, MAX_REFERENCES, type Comparison } from '../core/dsp/compare.ts';
import type { AnalysisResult } from '../core/dsp/result-schema.ts';
import { compileBundledMeterKernels } from '../core/dsp/wasm-kernels.ts';
import { FileByteSource } from './analyze.ts';

const USAGE = `Usage: mixdesk compare MIX REF... [--json]
  Prints every summary figure of MIX beside each reference (WAV, AIFF, FLAC), with the
  difference (reference - mix) and the gain that matches each reference to the mix's loudness.`;

const num = (v: number | null, digits = 1) => (v === null ? 'n/a' : v.toFixed(digits));
/** Signed, with values that round to zero shown as +0 (no "-0.00"). */
function signed(v: number | null, digits = 1): string {
  if (v === null) return 'n/a';
  const text = Math.abs(v).toFixed(digits);
  return `${v < 0 && Number(text) !== 0 ? '-' : '+'}${text}`;
}

function table(names: string[], c: Comparison): string {
  const header = ['Figure', 'Mix', ...names.slice(1).flatMap((_, i) => [`Ref ${i + 1}`, 'diff'])];
  const lines: string[][] = [header];
  const digits = (unit: string) => (unit === 'ratio' || unit === 'linear' ? 2 : 1);
  for (const row of c.rows) {
    const unit = row.unit === 'ratio' || row.unit === 'linear' ? '' : ` ${row.unit}`;
    lines.push([
      `${row.label}${unit ? ` (${row.unit})` : ''}`,
      num(row.mix, digits(row.unit)),
      ...row.refs.flatMap((r) => [num(r.value, digits(row.unit)), signed(r.diff, digits(row.unit))]),
    ]);
  }
  lines.push(['Level match (gain on ref)', '-', ...c.matchGainDb.flatMap((g) => [`${signed(g)} dB`, ''])]);
  const widths = header.map((_, i) => Math.max(...lines.map((l) => l[i]!.length)));
  const keys = [`Mix: ${names[0]}`, ...names.slice(1).map((n, i) => `Ref ${i + 1}: ${n}`)];
  return [...keys, '', ...lines.map((l) => l.map((cell, i) => cell.padEnd(widths[i]!)).join('  '))].join('\n');
}

export async function compare(args: string[]): Promise<number> {
  const json = args.includes('--json');
  if (args.includes('--help') || args.includes('-h')) {
    console.log(USAGE);
    return 0;
  }
  const unknown = args.find((a) => a.startsWith('-') && a !== '--json');
  if (unknown) {
    console.error(`mixdesk compare: unknown option ${unknown}\n${USAGE}`);
    return 2;
  }
  const files = args.filter((a) => !a.startsWith('-'));
  if (files.length < 2) {
    console.error(`mixdesk compare: give the mix and at least one reference\n${USAGE}`);
    return 2;
  }
  if (files.length - 1 > MAX_REFERENCES) {
    console.error(`mixdesk compare: at most ${MAX_REFERENCES} references at once (got ${files.length - 1})`);
    return 2;
  }
  const kernels = await compileBundledMeterKernels().catch(() => undefined);
  const results: AnalysisResult[] = [];
  for (const file of files) {
    let source: FileByteSource | null = null;
    try {
      source = new FileByteSource(file);
      results.push((await analyseAudio(source, kernels ? { kernels } : {})).result);
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      console.error(`error: ${message.startsWith(file) ? message : `${file}: ${message}`}`);
      return 1;
    } finally {
      source?.close();
    }
  }
  const comparison = compareResults(results[0]!, results.slice(1));
  if (json) console.log(JSON.stringify({ mix: files[0], references: files.slice(1), ...comparison }, null, 2));
  else console.log(table(files, comparison));
  return 0;
}

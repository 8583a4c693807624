/**
 * `mixdesk analyze <files or folders...> [--json | --csv] [--target <id>]`: measures WAV, AIFF
 * and FLAC files with the same core as the app (decoded at their own rate, streamed in chunks),
 * runs the rules for the target (Spotify unless --target says otherwise) and prints a table
 * with the verdict, score and diagnostics per file; JSON with the full result schema and the
 * diagnosis; or CSV of the 10 Hz series. A folder means every WAV/AIFF/FLAC file directly in
 * it; MP3, AAC and Opus need the browser and are reported as skipped.
 * Exit code 0 when every file was measured and no error-severity diagnostic fired, 3 when one
 * did (for delivery scripts), 1 when any file failed, 2 on bad usage.
 */
import { openSync, closeSync, readSync, fstatSync, readdirSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { analyseAudio } from '../core/audio/analyse-audio.ts';
import type { FileAnalysis } from '../core/audio/analyse-audio.ts';
import type { ByteSource } from '../core/audio/byte-source.ts';
import { BROWSER_ONLY_EXTENSIONS, NATIVE_EXTENSIONS } from '../core/audio/open-audio.ts';
import { formatTime } from '../core/audio/pcm-stream.ts';
import type { Figure } from '../core/dsp/result-schema.ts';
import { compareToTarget } from '../core/dsp/targets.ts';
import { compileBundledMeterKernels } from '../core/dsp/wasm-kernels.ts';
import type { TargetComparison } from '../core/dsp/targets.ts';
import {
  DEFAULT_TARGET_ID,
  DELIVERY_TARGETS,
  findTarget,
  targetLufs,
  type DeliveryTarget,
} from '../core/diagnostics/delivery-targets.ts';
import { diagnose, type Diagnosis } from '../core/diagnostics/diagnose.ts';
import { sourceFactsFrom } from '../core/diagnostics/diagnostic.ts';
import { seriesCsv } from '../core/report/csv.ts';

const TARGET_IDS = DELIVERY_TARGETS.map((t) => t.id).join('|');
const USAGE = `Usage: mixdesk analyze <files or folders...> [--json | --csv] [--target ${TARGET_IDS}]
  WAV (PCM/float, RF64/BW64), AIFF/AIFC and FLAC are decoded here; MP3, AAC and Opus need the browser app.
  --target   the delivery target the rules and score use (default ${DEFAULT_TARGET_ID}; see mixdesk targets)
  --json     the full result, score, verdict and diagnostics as JSON
  --csv      the 10 Hz series (time, momentary, short-term, correlation) as CSV
  Exit code: 0, or 3 when any error-severity diagnostic fires; 1 when a file fails; 2 on bad usage.`;

/** The comparison the JSON has always carried, for scripts that read `target.gainToTargetDb`. */
function comparison(result: FileAnalysis['result'], t: DeliveryTarget): TargetComparison {
  return compareToTarget(result, {
    id: t.id,
    name: t.name,
    integratedLufs: targetLufs(t),
    truePeakDbtp: t.truePeakDbtp,
  });
}

function diagnosisText(d: Diagnosis): string[] {
  const lines = [
    `  ${'Verdict'.padEnd(24)} ${d.verdictText} (${d.targetName}), score ${d.score}/100: ${d.scoreExplanation}`,
  ];
  for (const x of d.diagnostics) {
    const at = x.at.length
      ? ` [at ${x.at
          .slice(0, 5)
          .map((t) => `${t.toFixed(2)} s`)
          .join(', ')}${x.at.length > 5 ? ', …' : ''}]`
      : '';
    lines.push(`  ${x.severity.toUpperCase().padEnd(8)} ${x.id}: ${x.message}${at}`);
    if (x.severity !== 'info') lines.push(`           fix: ${x.fix}`);
  }
  return lines;
}

/** A ByteSource over a Node file descriptor: reads only the ranges asked for. */
export class FileByteSource implements ByteSource {
  readonly size: number;
  private readonly fd: number;
  constructor(readonly name: string) {
    this.fd = openSync(name, 'r');
    this.size = fstatSync(this.fd).size;
  }

  async read(offset: number, length: number): Promise<Uint8Array> {
    const want = Math.max(0, Math.min(length, this.size - offset));
    const out = new Uint8Array(want);
    let got = 0;
    while (got < want) {
      const n = readSync(this.fd, out, got, want - got, offset + got);
      if (n === 0) break;
      got += n;
    }
    return out.subarray(0, got);
  }

  /** Sequential reads into one reused buffer (see ByteSource.sequence): no garbage per chunk. */
  async *sequence(from: number, to: number, chunkBytes: number): AsyncGenerator<Uint8Array> {
    const buffer = new Uint8Array(chunkBytes);
    for (let at = from; at < Math.min(to, this.size);) {
      const want = Math.min(chunkBytes, to - at);
      let got = 0;
      while (got < want) {
        const n = readSync(this.fd, buffer, got, want - got, at + got);
        if (n === 0) break;
        got += n;
      }
      if (got > 0) yield buffer.subarray(0, got);
      if (got < want) return;
      at += got;
    }
  }

  close(): void {
    closeSync(this.fd);
  }
}

interface Inputs {
  files: string[];
  skipped: string[];
  problems: string[];
}

function expand(paths: string[]): Inputs {
  const inputs: Inputs = { files: [], skipped: [], problems: [] };
  const native = new Set<string>(NATIVE_EXTENSIONS),
    browser = new Set<string>(BROWSER_ONLY_EXTENSIONS);
  for (const path of paths) {
    let isDir = false;
    try {
      isDir = statSync(path).isDirectory();
    } catch {
      inputs.problems.push(`${path}: no such file or folder`);
      continue;
    }
    if (!isDir) {
      inputs.files.push(path);
      continue;
    }
    for (const entry of readdirSync(path).sort()) {
      const ext = extname(entry).toLowerCase();
      const full = join(path, entry);
      if (native.has(ext) && statSync(full).isFile()) inputs.files.push(full);
      else if (browser.has(ext))
        inputs.skipped.push(
          `${full}: skipped: ${ext.slice(1).toUpperCase()} needs the browser decoders (MP3, AAC and Opus cannot be decoded by the CLI)`,
        );
    }
  }
  return inputs;
}

function show(f: Figure<number | null>, digits = 1): string {
  if (f.value === null) return 'n/a';
  return f.unit === 'ratio' || f.unit === 'linear' ? f.value.toFixed(digits) : `${f.value.toFixed(digits)} ${f.unit}`;
}

function table(a: FileAnalysis, target: TargetComparison | null, diagnosis: Diagnosis): string {
  const r = a.result,
    s = a.stream;
  const rows: [string, string][] = [
    ['Integrated loudness', show(r.loudness.integrated)],
    ['Loudness range', show(r.loudness.range)],
    ['Momentary max', show(r.loudness.momentaryMax)],
    ['Short-term max', show(r.loudness.shortTermMax)],
    ['True peak', show(r.peaks.truePeak, 2)],
    ['Sample peak', show(r.peaks.samplePeak, 2)],
    ['Overs > -1 / 0 dBTP', `${r.peaks.oversAboveMinus1.count.value} / ${r.peaks.oversAbove0.count.value}`],
    ['RMS', show(r.dynamics.rms)],
    ['Crest factor', show(r.dynamics.crestFactor)],
    ['PLR / PSR', `${show(r.dynamics.plr)} / ${show(r.dynamics.psr)}`],
    ['Clipping runs', `${r.clipping.runs.value}`],
    ['Silence head / tail', `${r.silence.head.value.toFixed(2)} s / ${r.silence.tail.value.toFixed(2)} s`],
    ['Noise floor', show(r.noiseFloor)],
    ['DC offset (max)', `${Math.max(...r.channels.map((c) => Math.abs(c.dcOffset.value ?? 0))).toExponential(2)}`],
  ];
  if (r.stereo) {
    rows.push(['Correlation / <150 Hz', `${show(r.stereo.correlation, 2)} / ${show(r.stereo.lowBandCorrelation, 2)}`]);
    rows.push(['Width (S/M)', show(r.stereo.width)]);
    rows.push(['Balance (L/R)', show(r.stereo.balance, 2)]);
    rows.push(['Mono compatibility', show(r.stereo.monoCompatibility, 2)]);
  }
  const tb = r.spectrum.tonalBalance;
  rows.push([
    'Tonal balance (dB)',
    Object.entries(tb)
      .map(([k, f]) => `${k} ${f.value === null ? 'n/a' : f.value.toFixed(1)}`)
      .join(', '),
  ]);
  if (target) {
    const t = target.target;
    rows.push([`Target ${t.name}`, `${t.integratedLufs} LUFS / ${t.truePeakDbtp} dBTP`]);
    rows.push([
      '  gain to target',
      target.gainToTargetDb === null
        ? 'n/a'
        : `${target.gainToTargetDb >= 0 ? '+' : ''}${target.gainToTargetDb.toFixed(1)} dB`,
    ]);
    rows.push([
      '  true peak ceiling',
      target.truePeakWithinCeiling === null
        ? 'n/a'
        : target.truePeakWithinCeiling
          ? 'within'
          : `EXCEEDED by ${(r.peaks.truePeak.value! - t.truePeakDbtp).toFixed(2)} dB`,
    ]);
    rows.push([
      '  true peak after gain',
      target.truePeakAfterGainDbtp === null ? 'n/a' : `${target.truePeakAfterGainDbtp.toFixed(2)} dBTP`,
    ]);
  }
  const kind = s.encoding.startsWith(s.format.toUpperCase()) ? s.encoding : `${s.format.toUpperCase()} ${s.encoding}`;
  const head = `${a.name}  (${kind}, ${s.sampleRate} Hz, ${s.channels} ch ${s.channelLayout.join(' ')}, ${formatTime(r.file.duration.value)})`;
  const lines = rows.map(([k, v]) => `  ${k.padEnd(24)} ${v}`);
  const warnings = r.warnings.map((w) => `  warning: ${w}`);
  return [head, ...diagnosisText(diagnosis), ...lines, ...warnings].join('\n');
}

export async function analyze(args: string[]): Promise<number> {
  let json = false,
    csv = false;
  let targetId: string | null = null;
  const paths: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--json') json = true;
    else if (arg === '--csv') csv = true;
    else if (arg === '--target') targetId = args[++i] ?? '';
    else if (arg.startsWith('--target=')) targetId = arg.slice('--target='.length);
    else if (arg === '--help' || arg === '-h') {
      console.log(USAGE);
      return 0;
    } else if (arg.startsWith('--')) {
      console.error(`mixdesk analyze: unknown option ${arg}\n${USAGE}`);
      return 2;
    } else paths.push(arg);
  }
  if (paths.length === 0) {
    console.error(USAGE);
    return 2;
  }
  if (json && csv) {
    console.error(`mixdesk analyze: choose --json or --csv\n${USAGE}`);
    return 2;
  }
  const target = findTarget(targetId ?? DEFAULT_TARGET_ID);
  if (!target) {
    console.error(
      `mixdesk analyze: unknown target '${targetId}' (${DELIVERY_TARGETS.map((t) => t.id).join(', ')}; mixdesk targets lists them)`,
    );
    return 2;
  }
  const inputs = expand(paths);
  // The WASM kernels when they compile here, else the TypeScript reference (same figures).
  const kernels = await compileBundledMeterKernels().catch(() => undefined);
  let failed = inputs.problems.length;
  for (const p of [...inputs.problems, ...inputs.skipped]) console.error(p);
  if (inputs.files.length === 0 && failed === 0) {
    console.error('mixdesk analyze: no WAV, AIFF or FLAC files found');
    return 1;
  }
  const reports: unknown[] = [];
  let errorDiagnostics = 0;
  for (const file of inputs.files) {
    let source: FileByteSource | null = null;
    try {
      source = new FileByteSource(file);
      const analysis = await analyseAudio(source, kernels ? { kernels } : {});
      const compared = comparison(analysis.result, target);
      const diagnosis = diagnose(analysis.result, target, sourceFactsFrom(analysis.stream.encoding));
      if (diagnosis.verdict === 'fail') errorDiagnostics++;
      if (json) {
        reports.push({
          file,
          stream: analysis.stream,
          // The overview (waveform envelope, goniometer cells) is picture data for the page's
          // plots: ~20,000 numbers that would print one per line here.
          result: { ...analysis.result, overview: undefined },
          target: compared,
          score: diagnosis.score,
          scoreExplanation: diagnosis.scoreExplanation,
          verdict: diagnosis.verdict,
          verdictText: diagnosis.verdictText,
          preview: diagnosis.preview,
          diagnostics: diagnosis.diagnostics,
        });
      } else if (csv) {
        process.stdout.write(
          inputs.files.length > 1 ? `# ${file}\n${seriesCsv(analysis.result)}` : seriesCsv(analysis.result),
        );
      } else console.log(`${table(analysis, compared, diagnosis)}\n`);
    } catch (e) {
      failed++;
      const message = e instanceof Error ? e.message : String(e);
      const text = message.startsWith(file) ? message : `${file}: ${message}`;
      if (json) reports.push({ file, error: text });
      console.error(`error: ${text}`);
    } finally {
      source?.close();
    }
  }
  if (json) console.log(JSON.stringify(reports, null, 2));
  if (!json && !csv && inputs.files.length > 1)
    console.log(`${inputs.files.length - (failed - inputs.problems.length)} of ${inputs.files.length} files measured`);
  return failed > 0 ? 1 : errorDiagnostics > 0 ? 3 : 0;
}

/**
 * `mixdesk render IN --target NAME [--ceiling DBTP] [--lufs N] [--float] [--force] -o OUT.wav [--json]`:
 * the corrective render of the app, in a terminal. Analyses IN, applies the gain to the target and
 * the true-peak limiter, writes OUT.wav (24-bit with TPDF dither, or 32-bit float with --float,
 * at IN's rate and channel layout), re-verifies OUT.wav with the same analysis and prints the
 * figures before and after with the verdict.
 *
 * When the target needs more than 6 dB of limiting (--max-reduction) the gain is capped and the
 * render comes out under the target, with a warning saying so; --force reaches the target anyway.
 * Exit code 0 when the render is on target (or capped on purpose), 3 when the re-verification
 * finds it off target or over the ceiling, 1 when it fails, 2 on bad usage.
 */
import { renderAudio } from '../core/audio/render-audio.ts';
import { DEFAULT_MAX_REDUCTION_DB, type RenderTarget } from '../core/dsp/render/gain-plan.ts';
import { DEFAULT_LIMITER } from '../core/dsp/render/limiter.ts';
import type { RenderFigures, RenderRecord } from '../core/dsp/render/render-summary.ts';
import { isTargetId, TARGETS } from '../core/dsp/targets.ts';
import { compileBundledMeterKernels } from '../core/dsp/wasm-kernels.ts';
import { FileByteSource } from './analyze.ts';
import { FileByteSink } from './file-sink.ts';

const USAGE = `Usage: mixdesk render IN --target ${Object.keys(TARGETS).join('|')}|custom -o OUT.wav [options]
  --target NAME       delivery target: its loudness and true-peak ceiling (custom: give --lufs and --ceiling)
  --ceiling DBTP      true-peak ceiling instead of the target's (e.g. -1.5)
  --lufs N            integrated loudness instead of the target's
  --float             write 32-bit float (default: 24-bit PCM with TPDF dither)
  --max-reduction DB  most limiting allowed before the gain is capped (default ${DEFAULT_MAX_REDUCTION_DB})
  --force             reach the target even if that needs more limiting than allowed
  --lookahead MS      limiter look-ahead (default ${DEFAULT_LIMITER.lookaheadMs} ms); --release MS (default ${DEFAULT_LIMITER.releaseMs} ms)
  --json              print the render record (settings, plan, before/after, verdict) as JSON
  Exit code: 0 on target (or capped on purpose), 3 when the re-verification fails, 1 on error, 2 on bad usage.`;

function numberArg(name: string, v: string | undefined): number {
  const n = Number(v);
  if (v === undefined || v.trim() === '' || !Number.isFinite(n)) throw new UsageError(`${name} needs a number`);
  return n;
}

class UsageError extends Error {}

interface Parsed {
  input: string;
  output: string;
  target: RenderTarget;
  float: boolean;
  force: boolean;
  json: boolean;
  maxReductionDb?: number;
  lookaheadMs?: number;
  releaseMs?: number;
}

function parse(args: string[]): Parsed | 'help' {
  let input: string | undefined, output: string | undefined, targetId: string | undefined;
  let ceiling: number | undefined, lufs: number | undefined;
  const p: Partial<Parsed> = { float: false, force: false, json: false };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const [flag, inline] =
      a.startsWith('--') && a.includes('=')
        ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)]
        : [a, undefined];
    const value = () => inline ?? args[++i];
    if (flag === '--help' || flag === '-h') return 'help';
    else if (flag === '--target') targetId = value();
    else if (flag === '-o' || flag === '--output') output = value();
    else if (flag === '--ceiling') ceiling = numberArg('--ceiling', value());
    else if (flag === '--lufs') lufs = numberArg('--lufs', value());
    else if (flag === '--max-reduction') p.maxReductionDb = numberArg('--max-reduction', value());
    else if (flag === '--lookahead') p.lookaheadMs = numberArg('--lookahead', value());
    else if (flag === '--release') p.releaseMs = numberArg('--release', value());
    else if (flag === '--float') p.float = true;
    else if (flag === '--force') p.force = true;
    else if (flag === '--json') p.json = true;
    else if (flag.startsWith('-')) throw new UsageError(`unknown option ${flag}`);
    else if (input === undefined) input = a;
    else throw new UsageError(`one input file only (got ${input} and ${a})`);
  }
  if (!input) throw new UsageError('no input file');
  if (!output) throw new UsageError('no output file (-o OUT.wav)');
  if (!targetId) throw new UsageError('no --target');
  let target: RenderTarget;
  if (targetId === 'custom') {
    if (lufs === undefined || ceiling === undefined) throw new UsageError('--target custom needs --lufs and --ceiling');
    target = { id: 'custom', name: 'Custom', integratedLufs: lufs, ceilingDbtp: ceiling };
  } else if (isTargetId(targetId)) {
    const t = TARGETS[targetId];
    target = {
      id: t.id,
      name: t.name,
      integratedLufs: lufs ?? t.integratedLufs,
      ceilingDbtp: ceiling ?? t.truePeakDbtp,
    };
  } else throw new UsageError(`unknown target '${targetId}' (${Object.keys(TARGETS).join(', ')}, custom)`);
  if (!(target.integratedLufs >= -60 && target.integratedLufs <= 0))
    throw new UsageError('the loudness target must be between -60 and 0 LUFS');
  if (!(target.ceilingDbtp >= -20 && target.ceilingDbtp <= 0))
    throw new UsageError('the ceiling must be between -20 and 0 dBTP');
  if (p.maxReductionDb !== undefined && !(p.maxReductionDb >= 0 && p.maxReductionDb <= 40))
    throw new UsageError('--max-reduction must be between 0 and 40 dB');
  return { ...(p as Parsed), input, output, target };
}

const fmt = (v: number | null, unit: string, digits = 1) => (v === null ? 'n/a' : `${v.toFixed(digits)} ${unit}`);
const signed = (v: number) => `${v >= 0 ? '+' : ''}${v.toFixed(1)}`;

function table(r: RenderRecord): string {
  const rows: [string, (f: RenderFigures) => string][] = [
    ['Integrated loudness', (f) => fmt(f.integratedLufs, 'LUFS')],
    ['True peak', (f) => fmt(f.truePeakDbtp, 'dBTP', 2)],
    ['Sample peak', (f) => fmt(f.samplePeakDbfs, 'dBFS', 2)],
    ['Loudness range', (f) => fmt(f.loudnessRangeLu, 'LU')],
    ['Short-term max', (f) => fmt(f.shortTermMaxLufs, 'LUFS')],
    ['PLR', (f) => fmt(f.plrDb, 'dB')],
    ['Overs > 0 dBTP', (f) => `${f.oversAbove0}`],
  ];
  const s = r.settings,
    t = s.target;
  const lines = [
    `${r.inputName} -> ${r.outputName}`,
    `  Target ${t.name}: ${t.integratedLufs} LUFS, ceiling ${t.ceilingDbtp} dBTP; ${s.format === 'pcm24' ? '24-bit PCM, TPDF dither' : '32-bit float'}; look-ahead ${s.lookaheadMs} ms, release ${s.releaseMs} ms`,
    `  Gain ${signed(r.plan.gainDb)} dB${r.plan.capped ? ` (capped; ${signed(r.plan.gainToTargetDb)} dB would reach the target)` : ''}; limiter: up to ${r.limiter.maxReductionDb.toFixed(1)} dB on ${((100 * r.limiter.limitedFrames) / Math.max(1, r.limiter.frames)).toFixed(1)}% of the time`,
    `  ${''.padEnd(22)} ${'before'.padEnd(14)} after`,
    ...rows.map(([name, f]) => `  ${name.padEnd(22)} ${f(r.before).padEnd(14)} ${f(r.after)}`),
    `  Verdict: ${r.verdictText}`,
  ];
  if (r.plan.warning) lines.push(`  warning: ${r.plan.warning}`);
  lines.push(`  ${(r.elapsedMs / 1000).toFixed(2)} s (analyse, render, re-verify)`);
  return lines.join('\n');
}

export async function render(args: string[]): Promise<number> {
  let parsed: Parsed | 'help';
  try {
    parsed = parse(args);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    console.error(`mixdesk render: ${e.message}\n${USAGE}`);
    return 2;
  }
  if (parsed === 'help') {
    console.log(USAGE);
    return 0;
  }
  const p = parsed;
  const kernels = await compileBundledMeterKernels().catch(() => undefined);
  let source: FileByteSource | null = null;
  let sink: FileByteSink | null = null;
  try {
    source = new FileByteSource(p.input);
    sink = new FileByteSink(p.output);
    const outcome = await renderAudio(source, sink, {
      target: p.target,
      format: p.float ? 'float32' : 'pcm24',
      force: p.force,
      now: () => performance.now(),
      ...(kernels ? { kernels } : {}),
      ...(p.maxReductionDb !== undefined ? { maxReductionDb: p.maxReductionDb } : {}),
      ...(p.lookaheadMs !== undefined ? { lookaheadMs: p.lookaheadMs } : {}),
      ...(p.releaseMs !== undefined ? { releaseMs: p.releaseMs } : {}),
    });
    const r = outcome.record;
    if (p.json) console.log(JSON.stringify(r, null, 2));
    else console.log(table(r));
    if (r.plan.warning && p.json) console.error(`warning: ${r.plan.warning}`);
    return r.verdict === 'on-target' || r.verdict === 'under-target' ? 0 : 3;
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    console.error(`error: ${message.startsWith(p.input) ? message : `${p.input}: ${message}`}`);
    return 1;
  } finally {
    sink?.release();
    source?.close();
  }
}

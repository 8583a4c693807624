/**
 * `mixdesk codec-check IN --platform NAME [--json]`: encodes IN the way the platform delivers
 * it (its codec and bitrate from the delivery-target table), decodes it back and measures both
 * with the same analyser as `analyze`: true peak, overs and clipped samples after the codec,
 * the loudness change and where the codec pushes peaks over, with a suggested ceiling.
 *
 * A command of its own rather than an `analyze --codec` option: it runs an external encoder
 * (ffmpeg), takes a platform rather than a target, and answers one question per file; analyze
 * stays a pure measurement that needs nothing installed.
 * Exit code 0 when the codec adds no overs, 3 when it does, 1 on error (ffmpeg missing included,
 * said plainly), 2 on bad usage.
 */
import { codecCheckAudio, CodecUnavailableError } from '../core/codec/codec-check-audio.ts';
import { CODEC_LABEL, type CodecCheckRecord } from '../core/codec/codec-check.ts';
import { rangeText } from '../core/codec/over-ranges.ts';
import { DELIVERY_TARGETS, type StreamingTarget } from '../core/diagnostics/delivery-targets.ts';
import { compileBundledMeterKernels } from '../core/dsp/wasm-kernels.ts';
import { FileByteSource } from './analyze.ts';
import { ffmpegRoundTrip } from './ffmpeg-round-trip.ts';

const PLATFORMS = DELIVERY_TARGETS.filter((t): t is StreamingTarget => t.kind === 'streaming');

const USAGE = `Usage: mixdesk codec-check IN --platform ${PLATFORMS.map((p) => p.id).join('|')} [--json]
  Encodes IN with the platform's delivery codec (ffmpeg, which must be installed), decodes it back
  and prints true peak, overs and loudness before and after, where the overs are, and a ceiling.
${PLATFORMS.map((p) => `    ${p.id.padEnd(11)} ${CODEC_LABEL[p.codec.codec]} ${p.codec.bitrateKbps} kbit/s`).join('\n')}
  --json   print the check record as JSON
  Exit code: 0 no overs after the codec, 3 overs, 1 on error, 2 on bad usage.`;

class UsageError extends Error {}

function parse(args: string[]): { input: string; platform: StreamingTarget; json: boolean } | 'help' {
  let input: string | undefined, id: string | undefined;
  let json = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--help' || a === '-h') return 'help';
    else if (a === '--platform') id = args[++i];
    else if (a.startsWith('--platform=')) id = a.slice('--platform='.length);
    else if (a === '--json') json = true;
    else if (a.startsWith('-')) throw new UsageError(`unknown option ${a}`);
    else if (input === undefined) input = a;
    else throw new UsageError(`one input file only (got ${input} and ${a})`);
  }
  if (!input) throw new UsageError('no input file');
  if (!id) throw new UsageError('no --platform');
  const platform = PLATFORMS.find((p) => p.id === id);
  if (!platform) throw new UsageError(`unknown platform '${id}' (${PLATFORMS.map((p) => p.id).join(', ')})`);
  return { input, platform, json };
}

const fmt = (v: number | null, unit: string, digits = 2) => (v === null ? 'n/a' : `${v.toFixed(digits)} ${unit}`);

function table(r: CodecCheckRecord): string {
  const rows: [string, (f: CodecCheckRecord['before']) => string][] = [
    ['True peak', (f) => fmt(f.truePeakDbtp, 'dBTP')],
    ['Sample peak', (f) => fmt(f.samplePeakDbfs, 'dBFS')],
    ['Integrated loudness', (f) => fmt(f.integratedLufs, 'LUFS', 1)],
    ['Overs > 0 dBTP', (f) => String(f.oversAbove0)],
    ['Clipped samples', (f) => String(f.clippedSamples)],
  ];
  const lines = [
    `${r.inputName}: ${r.platformName}, ${CODEC_LABEL[r.codec]} ${r.bitrateKbps} kbit/s (${r.encoder})`,
    `  ${''.padEnd(20)} ${'source'.padEnd(14)} after the codec`,
    ...rows.map(([name, f]) => `  ${name.padEnd(20)} ${f(r.before).padEnd(14)} ${f(r.after)}`),
  ];
  if (r.overRanges.length > 0)
    lines.push(`  Overs at: ${r.overRanges.map((o) => `${rangeText(o)} (${o.overs})`).join(', ')}`);
  lines.push(`  ${r.sentence}`, `  ${(r.elapsedMs / 1000).toFixed(2)} s`);
  return lines.join('\n');
}

export async function codecCheck(args: string[]): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(args);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    console.error(`mixdesk codec-check: ${e.message}\n${USAGE}`);
    return 2;
  }
  if (parsed === 'help') {
    console.log(USAGE);
    return 0;
  }
  const p = parsed;
  const kernels = await compileBundledMeterKernels().catch(() => undefined);
  let source: FileByteSource | null = null;
  try {
    source = new FileByteSource(p.input);
    const r = await codecCheckAudio(source, {
      platform: p.platform,
      roundTrip: ffmpegRoundTrip,
      now: () => performance.now(),
      checkedAt: Date.now(),
      ...(kernels ? { kernels } : {}),
    });
    console.log(p.json ? JSON.stringify(r, null, 2) : table(r));
    return r.after.oversAbove0 > 0 ? 3 : 0;
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    if (e instanceof CodecUnavailableError) console.error(`error: ${message}`);
    else console.error(`error: ${message.startsWith(p.input) ? message : `${p.input}: ${message}`}`);
    return 1;
  } finally {
    source?.close();
  }
}

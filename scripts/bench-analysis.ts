/**
 * `npm run bench:analysis` (Node part): a generated 4-minute 48 kHz 24-bit stereo WAV, full
 * analysis (loudness, LRA, true peak, levels, spectrum, stereo) through the streaming decoder,
 * median of 5 runs, each in a fresh Node process so its peak RSS is the analysis's own; and in
 * the same run `ffmpeg -nostats -i f -af ebur128=peak=true -f null -` (loudness and true peak
 * only) where ffmpeg is installed. Prints one table. Wall times suffer on a busy machine, so
 * the CPU time of the analysis is printed too (ffmpeg's is not available from spawnSync).
 *
 * The browser-worker row belongs to the worker wiring (workers/, src/platform) and is not
 * measured here.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mixLike } from '../tests/support/signals.ts';
import { writeWav } from '../tests/support/wav-writer.ts';

const SECONDS = 240, RATE = 48000, RUNS = 5;

/** Child mode: analyse one file, print {ms, maxRssMb} as JSON. */
async function child(file: string): Promise<void> {
  const { FileByteSource } = await import('../src/cli/analyze.ts');
  const { analyseAudio } = await import('../src/core/audio/analyse-audio.ts');
  const source = new FileByteSource(file);
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const r = await analyseAudio(source);
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(c0);
  source.close();
  console.log(JSON.stringify({ ms, cpuMs: (cpu.user + cpu.system) / 1000, maxRssMb: process.resourceUsage().maxRSS / 1024, i: r.result.loudness.integrated.value, tp: r.result.peaks.truePeak.value }));
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'mixdesk-bench-'));
  const file = join(dir, 'mix-4min-48k-24bit.wav');
  try {
    writeFileSync(file, writeWav(mixLike(RATE, SECONDS, 42), { sampleRate: RATE, format: 'pcm24' }));
    const node: { ms: number; cpuMs: number; maxRssMb: number; i: number; tp: number }[] = [];
    for (let i = 0; i < RUNS; i++) {
      const p = spawnSync(process.execPath, ['--import', 'tsx', new URL(import.meta.url).pathname, '--child', file], { encoding: 'utf8' });
      if (p.status !== 0) throw new Error(p.stderr);
      node.push(JSON.parse(p.stdout.trim().split('\n').pop()!));
    }
    const nodeMs = median(node.map((r) => r.ms));
    const base = spawnSync(process.execPath, ['--import', 'tsx', new URL(import.meta.url).pathname, '--baseline'], { encoding: 'utf8' });
    const baseRss = (JSON.parse(base.stdout.trim().split('\n').pop()!) as { maxRssMb: number }).maxRssMb;
    const rows: string[][] = [['engine', 'median wall', 'median CPU', 'realtime (wall)', 'peak RSS', 'speed vs ffmpeg (wall)', 'I / TP']];
    const ff: number[] = [];
    const hasFfmpeg = spawnSync('ffmpeg', ['-version'], { stdio: 'ignore' }).status === 0;
    if (hasFfmpeg) {
      for (let i = 0; i < RUNS; i++) {
        const t0 = performance.now();
        const p = spawnSync('ffmpeg', ['-nostats', '-i', file, '-af', 'ebur128=peak=true', '-f', 'null', '-'], { encoding: 'utf8' });
        ff.push(performance.now() - t0);
        if (p.status !== 0) throw new Error(p.stderr.slice(-400));
      }
    }
    const ffMs = hasFfmpeg ? median(ff) : NaN;
    rows.push([
      'mixdesk TS reference, Node (full analysis)', `${nodeMs.toFixed(0)} ms`, `${median(node.map((r) => r.cpuMs)).toFixed(0)} ms`, `${((SECONDS * 1000) / nodeMs).toFixed(0)}x`,
      `${median(node.map((r) => r.maxRssMb)).toFixed(0)} MB (${baseRss.toFixed(0)} MB idle)`, hasFfmpeg ? `${(ffMs / nodeMs).toFixed(2)}x` : 'n/a',
      `${node[0]!.i.toFixed(2)} LUFS / ${node[0]!.tp.toFixed(2)} dBTP`,
    ]);
    rows.push(hasFfmpeg
      ? ['ffmpeg ebur128=peak=true (loudness + TP only, whole process)', `${ffMs.toFixed(0)} ms`, '-', `${((SECONDS * 1000) / ffMs).toFixed(0)}x`, '-', '1.00x', '-']
      : ['ffmpeg', 'not installed', '-', '-', '-', '-', '-']);
    const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
    console.log(`bench:analysis: ${SECONDS / 60}-minute ${RATE / 1000} kHz 24-bit stereo WAV, median of ${RUNS}, ${process.version}`);
    for (const r of rows) console.log(r.map((cell, c) => cell.padEnd(widths[c]!)).join(' | '));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Baseline mode: the same modules loaded, nothing analysed, to read the analysis's own share of RSS. */
async function baseline(): Promise<void> {
  await import('../src/cli/analyze.ts');
  await import('../src/core/audio/analyse-audio.ts');
  console.log(JSON.stringify({ maxRssMb: process.resourceUsage().maxRSS / 1024 }));
}

const at = process.argv.indexOf('--child');
if (at >= 0) await child(process.argv[at + 1]!);
else if (process.argv.includes('--baseline')) await baseline();
else await main();

/**
 * Profiling harness for the full analysis (not a benchmark table: see bench-analysis.ts).
 * Generates the benchmark's signal (4-minute 48 kHz 24-bit stereo WAV, mixLike seed 42) in
 * memory, analyses it in-process `--runs` times with the WASM (default) or `--ts` kernels and
 * prints the CPU time of each run and the median after the first (warm-up) run.
 *
 *   node --import tsx scripts/profile-analysis.ts [--ts] [--loud] [--seed 42] [--runs 6] [--seconds 240]
 *   node --cpu-prof --cpu-prof-dir /tmp/prof --import tsx scripts/profile-analysis.ts
 *   node --import tsx scripts/profile-analysis.ts --summary /tmp/prof/<file>.cpuprofile
 *
 *
 * `--summary` prints the self time per function (top 25) of a V8 .cpuprofile; WASM functions
 * appear by their export name in the built meter.wasm (run it before rebuilding).
 */
import { readFileSync } from 'node:fs';
import { mixLike } from '../tests/support/signals.ts';
import { writeWav } from '../tests/support/wav-writer.ts';
import { MemoryByteSource } from '../src/core/audio/byte-source.ts';
import { analyseAudio } from '../src/core/audio/analyse-audio.ts';
import { compileBundledMeterKernels } from '../src/core/dsp/wasm-kernels.ts';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Function index -> export name of the built meter.wasm, to name wasm-function[n] entries. */
function wasmExportNames(): Map<number, string> {
  const b = readFileSync(new URL('../src/core/dsp/wasm/meter.wasm', import.meta.url));
  const names = new Map<number, string>();
  let p = 8;
  const leb = (): number => {
    let r = 0,
      s = 0,
      x: number;
    do {
      x = b[p++]!;
      r |= (x & 0x7f) << s;
      s += 7;
    } while (x & 0x80);
    return r >>> 0;
  };
  while (p < b.length) {
    const id = b[p++]!,
      size = leb(),
      end = p + size;
    if (id === 7) {
      for (let i = leb(); i > 0; i--) {
        const len = leb(),
          name = b.subarray(p, p + len).toString();
        p += len;
        const kind = b[p++]!,
          index = leb();
        if (kind === 0) names.set(index, name);
      }
    }
    p = end;
  }
  return names;
}

function summarise(path: string): void {
  const wasmNames = wasmExportNames();
  const profile = JSON.parse(readFileSync(path, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    const f = byId.get(id)!.callFrame;
    const wasm = /^wasm-function\[(\d+)\]$/.exec(f.functionName);
    const name = wasm ? `wasm ${wasmNames.get(Number(wasm[1])) ?? f.functionName}` : f.functionName || '(anonymous)';
    const key = `${name} ${f.url.replace(/^.*\/(src|scripts|tests|node_modules)\//, '$1/')}:${f.lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + dt);
    total += dt;
  });
  const rows = [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 25);
  console.log(`total sampled ${(total / 1000).toFixed(0)} ms`);
  for (const [key, us] of rows)
    console.log(`${(us / 1000).toFixed(1).padStart(8)} ms ${((100 * us) / total).toFixed(1).padStart(5)} %  ${key}`);
}

function arg(name: string, fallback: number): number {
  const at = process.argv.indexOf(name);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
}

async function main(): Promise<void> {
  const seconds = arg('--seconds', 240),
    runs = arg('--runs', 6),
    rate = 48000;
  const planar = mixLike(rate, seconds, arg('--seed', 42));
  if (process.argv.includes('--loud')) {
    // A limited master: +20 dB into a tanh soft clipper, peaks just under full scale, so true
    // peak cannot skip quiet stretches (the worst case for the interpolator).
    for (const ch of planar) for (let i = 0; i < ch.length; i++) ch[i] = 0.97 * Math.tanh(10 * ch[i]!);
  }
  const bytes = writeWav(planar, { sampleRate: rate, format: 'pcm24' });
  const kernels = process.argv.includes('--ts') ? undefined : await compileBundledMeterKernels();
  const cpu: number[] = [];
  let last = '';
  for (let r = 0; r < runs; r++) {
    const c0 = process.cpuUsage(),
      t0 = performance.now();
    const out = await analyseAudio(new MemoryByteSource('bench.wav', bytes), kernels ? { kernels } : {});
    const ms = performance.now() - t0,
      c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
    last = `I ${out.result.loudness.integrated.value?.toFixed(4)} LUFS, TP ${out.result.peaks.truePeak.value?.toFixed(4)} dBTP, LRA ${out.result.loudness.range.value?.toFixed(4)}`;
    console.log(`run ${r + 1}: wall ${ms.toFixed(0)} ms, CPU ${cpu[r]!.toFixed(0)} ms`);
  }
  const warm = cpu.slice(1).sort((a, b) => a - b);
  console.log(
    `${kernels ? 'WASM' : 'TS'} kernels, ${seconds} s: median CPU after warm-up ${warm.length ? warm[Math.floor(warm.length / 2)]!.toFixed(0) : '-'} ms; ${last}`,
  );
}

if (process.argv.includes('--summary')) summarise(process.argv[process.argv.indexOf('--summary') + 1]!);
else await main();

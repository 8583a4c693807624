/**
 * `mixdesk codec-check` in a child process with the machine's ffmpeg: a master whose peaks sit
 * just under 0 dBTP shows overs after Apple Music's AAC 256 kbit/s, located in its two loud
 * bursts; the ffmpeg round trip's stated AAC encoder delay matches where a burst comes back.
 * Skipped (and said so) where ffmpeg or its AAC encoder is not installed.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { CodecCheckRecord } from '../../../src/core/codec/codec-check.ts';
import { codecCheck } from '../../../src/cli/codec-check.ts';
import { ffmpegRoundTrip } from '../../../src/cli/ffmpeg-round-trip.ts';
import { cliArgs } from '../../support/cli.ts';
import { BURSTS, nearFullScaleMaster } from '../../support/codec-signal.ts';
import { writeWav } from '../../support/wav-writer.ts';

const RATE = 48000;
const hasAac = /^\s*A\S*\s+aac\s/m.test(
  spawnSync('ffmpeg', ['-hide_banner', '-encoders'], { encoding: 'utf8' }).stdout ?? '',
);
const dir = mkdtempSync(join(tmpdir(), 'mixdesk-codec-'));
const input = join(dir, 'master.wav');
writeFileSync(input, writeWav(nearFullScaleMaster(RATE, 8), { sampleRate: RATE, format: 'float32' }));
const run = (...args: string[]) => spawnSync(process.execPath, cliArgs('codec-check', ...args), { encoding: 'utf8' });

if (!hasAac) console.log('  ffmpeg with an AAC encoder is not installed: the AAC codec check is not exercised');

test('a master peaking at -0.1 dBTP shows overs after AAC 256 kbit/s, inside its loud bursts, and a lower ceiling', () => {
  if (!hasAac) return;
  const p = run(input, '--platform', 'apple', '--json');
  assert.is(p.status, 3, p.stderr);
  const r = JSON.parse(p.stdout) as CodecCheckRecord;
  assert.is(r.codec, 'aac');
  assert.is(r.bitrateKbps, 256);
  assert.ok(Math.abs(r.before.truePeakDbtp! - -0.1) < 0.01, `source ${r.before.truePeakDbtp}`);
  assert.is(r.before.oversAbove0, 0);
  assert.ok(r.after.truePeakDbtp! > 0, `after the codec ${r.after.truePeakDbtp}`);
  assert.ok(r.after.oversAbove0 > 0);
  assert.ok(Math.abs(r.loudnessChangeLu!) < 1, `loudness change ${r.loudnessChangeLu}`);
  // Every over falls inside a burst (the codec's frame of pre-echo before it allowed for).
  assert.is(r.overRanges.length, BURSTS.length, JSON.stringify(r.overRanges));
  r.overRanges.forEach((o, k) => {
    const [a, b] = BURSTS[k]!;
    assert.ok(o.startSeconds >= a - 0.03 && o.endSeconds <= b + 0.03, `${JSON.stringify(o)} outside ${a}-${b} s`);
  });
  assert.ok(r.suggestedCeilingDbtp! <= -1 && r.suggestedCeilingDbtp! > -4);
  assert.match(
    r.sentence,
    /^After Apple Music's AAC 256 kbit\/s: \+\d\.\d dBTP \(was -0\.1 dBTP\), \d+ overs at 0:02 and 0:06/,
  );
});

/** Runs the command in this process (a child process costs seconds), capturing what it prints. */
async function inProcess(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [],
    err: string[] = [];
  const { log, error } = console;
  console.log = (s: string) => out.push(s);
  console.error = (s: string) => err.push(s);
  try {
    return { code: await codecCheck(args), out: out.join('\n'), err: err.join('\n') };
  } finally {
    Object.assign(console, { log, error });
  }
}

test('the text form prints before and after and where the overs are', async () => {
  if (!hasAac) return;
  const p = await inProcess(input, '--platform', 'apple');
  assert.is(p.code, 3, p.err);
  assert.match(p.out, /True peak\s+-0\.10 dBTP\s+\d\.\d\d dBTP/);
  assert.match(p.out, /Overs at: 0:02 \(\d+\), 0:06 \(\d+\)/);
});

test("the ffmpeg AAC round trip's encoder delay is where a burst comes back", async () => {
  if (!hasAac) return;
  const rt = await ffmpegRoundTrip({ codec: 'aac', bitrateKbps: 256, sampleRate: RATE, channels: 1 });
  if ('unavailable' in rt) throw new Error(rt.unavailable);
  const x = new Float32Array(2 * RATE);
  for (let i = RATE; i < RATE + 480; i++) x[i] = 0.5 * Math.sin((2 * Math.PI * 1000 * (i - RATE)) / RATE);
  const blocks = [...(await rt.push([x])), ...(await rt.flush())];
  rt.close();
  const y = blocks.flatMap((b) => Array.from(b.planes[0]!));
  const first = y.findIndex((v) => Math.abs(v) > 0.05);
  assert.ok(Math.abs(first - rt.delayFrames - RATE) <= 8, `burst back at ${first}, delay ${rt.delayFrames}`);
});

test('bad usage exits 2 with the reason', async () => {
  const p = await inProcess(input, '--platform', 'ebu-r128');
  assert.is(p.code, 2);
  assert.match(p.err, /unknown platform 'ebu-r128'/);
});

test.after(() => rmSync(dir, { recursive: true, force: true }));
test.run();

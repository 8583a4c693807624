/**
 * `mixdesk render` in a child process: renders a file, prints before and after with the verdict,
 * `--json` prints the render record, `--float` writes 32-bit float, and bad usage exits 2 with
 * the reason.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { RenderRecord } from '../../../src/core/dsp/render/render-summary.ts';
import { render } from '../../../src/cli/render.ts';
import { cliArgs } from '../../support/cli.ts';
import { mixLike } from '../../support/signals.ts';
import { writeWav } from '../../support/wav-writer.ts';

const dir = mkdtempSync(join(tmpdir(), 'mixdesk-cli-render-'));
const input = join(dir, 'mix.wav');
writeFileSync(input, writeWav(mixLike(48000, 5, 8), { sampleRate: 48000, format: 'pcm24' }));
const run = (...args: string[]) => spawnSync(process.execPath, cliArgs('render', ...args), { encoding: 'utf8' });

test('render prints before and after and the verdict, and writes a 24-bit WAV', () => {
  const out = join(dir, 'out.wav');
  const p = run(input, '--target', 'spotify', '-o', out);
  assert.is(p.status, 0, p.stderr);
  assert.match(p.stdout, /Integrated loudness\s+-2\d\.\d LUFS\s+-14\.\d LUFS/);
  assert.match(p.stdout, /True peak\s+-?\d+\.\d\d dBTP\s+-1\.\d\d dBTP/);
  assert.match(p.stdout, /Verdict: on target/);
  const bytes = readFileSync(out);
  assert.is(bytes.readUInt16LE(34), 24, 'bits per sample');
  assert.not.ok(existsSync(`${out}.part`));
});

test('render --json --float --ceiling prints the record and writes float', () => {
  const out = join(dir, 'out-float.wav');
  const p = run(input, '--target', 'apple', '--ceiling', '-2', '--float', '-o', out, '--json');
  assert.is(p.status, 0, p.stderr);
  const r = JSON.parse(p.stdout) as RenderRecord;
  assert.is(r.settings.target.id, 'apple');
  assert.is(r.settings.ceilingDbtp, -2);
  assert.is(r.settings.format, 'float32');
  assert.ok(r.after.truePeakDbtp! <= -2 + 0.05);
  assert.ok(Math.abs(r.after.integratedLufs! - -16) <= 0.5);
  const bytes = readFileSync(out);
  assert.is(bytes.readUInt16LE(20), 3, 'IEEE float format tag');
});

test('bad usage exits 2 with the reason', async () => {
  for (const [args, why] of [
    [[input, '-o', join(dir, 'x.wav')], /no --target/],
    [[input, '--target', 'nowhere', '-o', join(dir, 'x.wav')], /unknown target 'nowhere'/],
    [[input, '--target', 'spotify'], /no output file/],
    [[input, '--target', 'custom', '--lufs', '-10', '-o', join(dir, 'x.wav')], /needs --lufs and --ceiling/],
    [[input, '--target', 'spotify', '--ceiling', '3', '-o', join(dir, 'x.wav')], /ceiling must be between/],
  ] as const) {
    // In this process: each case is a parse error, so no child process is needed to see it.
    const errors: string[] = [];
    const original = console.error;
    console.error = (...a: unknown[]) => errors.push(a.join(' '));
    const code = await render([...args]).finally(() => (console.error = original));
    assert.is(code, 2, `${args.join(' ')}: ${errors.join('\n')}`);
    assert.match(errors.join('\n'), why);
  }
});

test('an unreadable input exits 1 and leaves no output behind', () => {
  const bad = join(dir, 'bad.wav');
  writeFileSync(bad, 'not audio at all');
  const out = join(dir, 'never.wav');
  const p = run(bad, '--target', 'spotify', '-o', out);
  assert.is(p.status, 1);
  assert.match(p.stderr, /unknown audio format/);
  assert.not.ok(existsSync(out) || existsSync(`${out}.part`));
});

test.after(() => rmSync(dir, { recursive: true, force: true }));
test.run();

/** `mixdesk analyze` as a user runs it: real files in a temp folder, the real CLI process. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliArgs } from '../../support/cli.ts';
import { inPhase, toneSequence } from '../../support/signals.ts';
import { writeWav } from '../../support/wav-writer.ts';

const dir = mkdtempSync(join(tmpdir(), 'mixdesk-cli-'));
const root = new URL('../../..', import.meta.url).pathname;
writeFileSync(join(dir, 'tone.wav'), writeWav(inPhase(toneSequence(48000, [[-23, 5]])), { sampleRate: 48000, format: 'pcm24' }));
writeFileSync(join(dir, 'song.mp3'), new Uint8Array([0xff, 0xfb, 0x90, 0x64]));
writeFileSync(join(dir, 'notes.txt'), 'not audio');

function cli(...args: string[]) {
  return spawnSync(process.execPath, cliArgs('analyze', ...args), { encoding: 'utf8', cwd: root });
}

test('a folder is every WAV/AIFF/FLAC in it; MP3 is reported as needing the browser', () => {
  const r = cli(dir, '--target', 'ebu-r128');
  assert.is(r.status, 0, r.stderr);
  assert.match(r.stdout, /tone\.wav/);
  assert.match(r.stdout, /Integrated loudness\s+-23\.0 LUFS/);
  assert.match(r.stdout, /Target EBU R 128/);
  assert.match(r.stderr, /song\.mp3: skipped: MP3 needs the browser/);
  assert.not.match(r.stdout + r.stderr, /notes\.txt/);
});

test('--json prints the full result schema with units and definitions', () => {
  const r = cli(join(dir, 'tone.wav'), '--json', '--target=spotify');
  assert.is(r.status, 0, r.stderr);
  const [report] = JSON.parse(r.stdout) as [{ result: { schema: string; loudness: { integrated: { value: number; unit: string; definition: string } } }; target: { gainToTargetDb: number } }];
  assert.is(report.result.schema, 'mixdesk.analysis/1');
  assert.is(report.result.loudness.integrated.unit, 'LUFS');
  assert.ok(report.result.loudness.integrated.definition.length > 10);
  assert.ok(Math.abs(report.target.gainToTargetDb - 9) < 0.1);
});

test('a file that cannot be decoded fails with its name and exit code 1; bad usage exits 2', () => {
  const r = cli(join(dir, 'song.mp3'));
  assert.is(r.status, 1);
  assert.match(r.stderr, /song\.mp3: looks like MPEG audio.*browser/);
  assert.is(cli(join(dir, 'tone.wav'), '--target', 'radio').status, 2);
  assert.is(cli().status, 2);
});

test.after(() => rmSync(dir, { recursive: true, force: true }));
test.run();

/** `mixdesk analyze` as a user runs it: real files in a temp folder, the real CLI process. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliArgs } from '../../support/cli.ts';
import { inPhase, mixLike, toneSequence } from '../../support/signals.ts';
import { writeWav } from '../../support/wav-writer.ts';

const dir = mkdtempSync(join(tmpdir(), 'mixdesk-cli-'));
const root = new URL('../../..', import.meta.url).pathname;
writeFileSync(
  join(dir, 'tone.wav'),
  writeWav(inPhase(toneSequence(48000, [[-23, 5]])), { sampleRate: 48000, format: 'pcm24' }),
);
writeFileSync(join(dir, 'song.mp3'), new Uint8Array([0xff, 0xfb, 0x90, 0x64]));
writeFileSync(join(dir, 'notes.txt'), 'not audio');
const clippedDir = mkdtempSync(join(tmpdir(), 'mixdesk-cli-clip-'));
// A hard-clipped master: mix-like programme driven 30 dB into full scale.
writeFileSync(
  join(clippedDir, 'clipped.wav'),
  writeWav(
    mixLike(48000, 2, 5).map((c) => c.map((v) => Math.max(-1, Math.min(1, v * 30)))),
    { sampleRate: 48000, format: 'pcm24' },
  ),
);

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
  const [report] = JSON.parse(r.stdout) as [
    {
      result: { schema: string; loudness: { integrated: { value: number; unit: string; definition: string } } };
      target: { gainToTargetDb: number };
    },
  ];
  assert.is(report.result.schema, 'mixdesk.analysis/1');
  assert.is(report.result.loudness.integrated.unit, 'LUFS');
  assert.ok(report.result.loudness.integrated.definition.length > 10);
  assert.ok(Math.abs(report.target.gainToTargetDb - 9) < 0.1);
  // The page's picture data (waveform envelope, goniometer cells) stays out of the printed JSON.
  assert.not.ok('overview' in report.result, 'no overview in the CLI JSON');
});

test('a file that cannot be decoded fails with its name and exit code 1; bad usage exits 2', () => {
  const r = cli(join(dir, 'song.mp3'));
  assert.is(r.status, 1);
  assert.match(r.stderr, /song\.mp3: looks like MPEG audio.*browser/);
  assert.is(cli(join(dir, 'tone.wav'), '--target', 'radio').status, 2);
  assert.is(cli().status, 2);
});

test('--target prints the verdict, score and diagnostics; a clipped master exits 3 with its clip times', () => {
  const r = cli(join(clippedDir, 'clipped.wav'), '--target', 'spotify');
  assert.is(r.status, 3, r.stderr);
  assert.match(r.stdout, /Verdict\s+Fix before release \(Spotify\), score \d+\/100/);
  assert.match(r.stdout, /ERROR\s+clipping: [\d,]+ clipping runs/);
  assert.match(r.stdout, /\[at \d+\.\d\d s/);
  assert.match(r.stdout, /Spotify will play this \d+\.\d dB quieter/);
});

test('--json carries score, verdict and diagnostics as {id, severity, message, at}', () => {
  const r = cli(join(clippedDir, 'clipped.wav'), '--json', '--target', 'ebu-r128');
  assert.is(r.status, 3, r.stderr);
  const [report] = JSON.parse(r.stdout) as [
    { score: number; verdict: string; diagnostics: { id: string; severity: string; message: string; at: number[] }[] },
  ];
  assert.type(report.score, 'number');
  assert.ok(report.score >= 0 && report.score < 100);
  assert.is(report.verdict, 'fail');
  const ids = report.diagnostics.map((d) => d.id);
  for (const id of ['clipping', 'true-peak-ceiling', 'loudness-off-target'])
    assert.ok(ids.includes(id), `${id} in ${ids}`);
  for (const d of report.diagnostics) {
    assert.ok(['error', 'warning', 'info'].includes(d.severity));
    assert.ok(d.message.length > 10 && Array.isArray(d.at) && d.at.every((t) => typeof t === 'number'));
  }
  // A clean tone within R 128 exits 0.
  assert.is(cli(join(dir, 'tone.wav'), '--json', '--target', 'ebu-r128').status, 0);
});

test('--csv writes the 10 Hz series with units in the header', () => {
  const r = cli(join(dir, 'tone.wav'), '--csv');
  assert.is(r.status, 0, r.stderr);
  const lines = r.stdout.trim().split(/\r?\n/);
  assert.is(lines[0], 'time_s,momentary_lufs,short_term_lufs,correlation');
  assert.is(lines.length, 1 + 50, '5 s at 10 Hz');
  const [t, m, s, c] = lines[40]!.split(',');
  assert.is(t, '4');
  assert.ok(Math.abs(Number(m) - -23) < 0.1 && Math.abs(Number(s) - -23) < 0.1, lines[40]);
  assert.ok(Math.abs(Number(c) - 1) < 1e-6);
});

test('mixdesk targets lists every target with its source', () => {
  const r = spawnSync(process.execPath, cliArgs('targets'), { encoding: 'utf8', cwd: root });
  assert.is(r.status, 0, r.stderr);
  for (const name of [
    'Spotify',
    'Apple Music',
    'YouTube',
    'Tidal',
    'Amazon Music',
    'Deezer',
    'SoundCloud',
    'EBU R 128',
    'ATSC A/85',
  ])
    assert.match(r.stdout, new RegExp(`${name.replace('/', '\\/')} \\(`));
  assert.match(r.stdout, /source \(verified, checked [\d-]+\): https:\/\/support\.spotify\.com/);
  assert.match(r.stdout, /Score: 100 - 30 per error - 10 per warning/);
});

test.after(() => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(clippedDir, { recursive: true, force: true });
});
test.run();

/**
 * Reference compare: `compareResults` gives each figure with its difference and the level match,
 * and `mixdesk compare MIX REF... [--json]` prints them. A reference that is the mix 6 dB
 * quieter differs by -6 in every level and by nothing in the shape figures, and needs +6 dB to
 * match.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { compare } from '../../../src/cli/compare.ts';
import { compareResults, playbackGains, type Comparison } from '../../../src/core/dsp/compare.ts';
import { dbToAmp, mixLike } from '../../support/signals.ts';
import { writeWav } from '../../support/wav-writer.ts';
import { measure } from '../dsp/measure.ts';

const FS = 48000;
const mix = mixLike(FS, 6, 31);
const quieter = mix.map((c) => c.map((v) => v * dbToAmp(-6)));

async function capture(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [],
    err: string[] = [];
  const log = console.log,
    error = console.error;
  console.log = (...a: unknown[]) => out.push(a.join(' '));
  console.error = (...a: unknown[]) => err.push(a.join(' '));
  try {
    return { code: await compare(args), out: out.join('\n'), err: err.join('\n') };
  } finally {
    console.log = log;
    console.error = error;
  }
}

test('a reference 6 dB quieter: levels differ by -6, shape figures by 0, level match +6 dB', () => {
  const c = compareResults(measure(mix, FS), [measure(quieter, FS)]);
  const diff = (id: string) => c.rows.find((r) => r.id === id)!.refs[0]!.diff!;
  for (const id of [
    'loudness.integrated',
    'loudness.shortTermMax',
    'peaks.truePeak',
    'peaks.samplePeak',
    'dynamics.rms',
  ])
    assert.ok(Math.abs(diff(id) - -6) < 0.02, `${id}: ${diff(id)}`);
  for (const id of [
    'loudness.range',
    'dynamics.plr',
    'stereo.correlation',
    'spectrum.tonalBalance.mid',
    'stereo.bands.sub.correlation',
    'stereo.bands.mid.width',
  ])
    assert.ok(Math.abs(diff(id)) < 0.02, `${id}: ${diff(id)}`);
  assert.ok(Math.abs(c.matchGainDb[0]! - 6) < 0.02);
});

test('A/B playback gains match every track to the quietest and never boost one', () => {
  // A reference 6 dB quieter than the mix (match +6): the mix is turned down 6 dB instead.
  assert.equal(playbackGains([6]), { mix: -6, refs: [0] });
  // Louder references are turned down to the mix; the quietest sets the level for all.
  assert.equal(playbackGains([-3, 2, null]), { mix: -2, refs: [-5, 0, null] });
  assert.equal(playbackGains([-4]), { mix: 0, refs: [-4] });
  assert.equal(playbackGains([]), { mix: 0, refs: [] });
});

test('mixdesk compare prints the table and --json the comparison; bad usage exits 2', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mixdesk-compare-'));
  try {
    const a = join(dir, 'mix.wav'),
      b = join(dir, 'ref.wav');
    writeFileSync(a, writeWav(mix, { sampleRate: FS, format: 'pcm24' }));
    writeFileSync(b, writeWav(quieter, { sampleRate: FS, format: 'pcm24' }));
    const text = await capture([a, b]);
    assert.is(text.code, 0, text.err);
    assert.match(text.out, /Integrated loudness \(LUFS\)\s+-\d+\.\d\s+-\d+\.\d\s+-6\.0/);
    assert.match(text.out, /Level match \(gain on ref\)\s+-\s+\+6\.0 dB/);
    // Stereo per band, the same for a copy 6 dB quieter.
    assert.match(text.out, /Correlation: Presence\s+-?\d\.\d\d\s+-?\d\.\d\d\s+[+±]0\.00/);
    assert.match(text.out, /Width \(S\/M\): Low \(dB\)\s+/);
    const json = await capture([a, b, '--json']);
    const parsed = JSON.parse(json.out) as Comparison & { references: string[] };
    assert.equal(parsed.references, [b]);
    assert.ok(Math.abs(parsed.matchGainDb[0]! - 6) < 0.05);
    assert.is((await capture([a])).code, 2);
    assert.is((await capture([a, b, '--wat'])).code, 2);
    const missing = await capture([a, join(dir, 'none.wav')]);
    assert.is(missing.code, 1);
    assert.match(missing.err, /none\.wav/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();

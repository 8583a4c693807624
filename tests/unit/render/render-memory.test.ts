/**
 * A long input renders with bounded memory: a ~60 MB WAV (3.5 minutes of 48 kHz 24-bit stereo)
 * goes disk to disk through analysis, render and re-verification in a child process, whose RSS
 * grows by far less than the input or the output (neither is held whole). The 1 GB case runs in
 * `npm run bench:render` (too slow for the test suite on a shared 2-core machine).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { writeLongWav } from '../../support/long-wav.ts';

const child = fileURLToPath(new URL('../../support/render-memory-child.ts', import.meta.url));

test('a 60 MB input renders disk to disk with RSS growth under 50 MB (less than the input alone)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mixdesk-render-mem-'));
  try {
    const input = join(dir, 'long.wav'),
      output = join(dir, 'out.wav');
    writeLongWav(input, 60);
    const p = spawnSync(process.execPath, ['--import', 'tsx', child, input, output], { encoding: 'utf8' });
    assert.is(p.status, 0, p.stderr.slice(-500));
    const m = JSON.parse(p.stdout.trim().split('\n').pop()!) as {
      rssBeforeMb: number;
      rssPeakMb: number;
      verdict: string;
    };
    const growth = m.rssPeakMb - m.rssBeforeMb;
    assert.is(statSync(output).size, statSync(input).size, 'the 24-bit render is the size of the 24-bit input');
    assert.ok(
      growth < 50,
      `RSS grew by ${growth.toFixed(0)} MB (${m.rssBeforeMb.toFixed(0)} -> ${m.rssPeakMb.toFixed(0)} MB)`,
    );
    assert.is(m.verdict, 'on-target');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();

import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseSessionText } from '../../../src/core/session/index.ts';
import { cliArgs } from '../../support/cli.ts';
import { fixtureBytes, FIXTURE_DIR } from './support.ts';

const run = (...args: string[]) => spawnSync(process.execPath, cliArgs('session', ...args), { encoding: 'utf8' });

test('mixdesk session --json prints exactly the parsed session', () => {
  const file = fileURLToPath(new URL('NewLinesAndTabs_PT2023.6.txt', FIXTURE_DIR));
  const out = run(file, '--json');
  assert.is(out.status, 0, out.stderr);
  const expected = parseSessionText(fixtureBytes('NewLinesAndTabs_PT2023.6.txt'), file);
  assert.ok(expected.ok);
  if (expected.ok) assert.equal(JSON.parse(out.stdout), expected.session);
  assert.is(out.stderr, '');
});

test('mixdesk session prints a readable summary with tracks and markers', () => {
  const out = run(fileURLToPath(new URL('OneOfEverything_PT2020.3.txt', FIXTURE_DIR)));
  assert.is(out.status, 0, out.stderr);
  assert.match(out.stdout, /Session: +SessionText_OneOfEverything/);
  assert.match(out.stdout, /Audio 5 \(Stereo\) \[Inactive\]/);
  assert.match(out.stdout, /Markers: +2/);
});

test('an older export without some header lines is read, with info lines on stderr', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mixdesk-session-'));
  try {
    const old = join(dir, 'old.txt');
    writeFileSync(old, 'SESSION NAME:\tOld\rSAMPLE RATE:\t44100.000000\rTIME CODE FORMAT:\t30 Frame\r');
    const out = run(old);
    assert.is(out.status, 0, out.stderr);
    assert.match(out.stdout, /Session: +Old/);
    assert.match(out.stderr, `${old}:3:1: info: the header has no 'BIT DEPTH:' line`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a bad file exits 1 with file:line:column on stderr; a usage mistake exits 2', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mixdesk-session-'));
  try {
    const bad = join(dir, 'cut.txt');
    writeFileSync(bad, '\n<?xml version="1.0"?>\n<AppSet/>\n');
    const out = run(bad);
    assert.is(out.status, 1);
    assert.match(out.stderr, `${bad}:2:1: error: not a Pro Tools 'Session Info as Text' export: expected line 2`);
    assert.is(out.stdout, '');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  assert.is(run().status, 2);
  assert.is(run('a.txt', '--yaml').status, 2);
});

test.run();

/**
 * `mixdesk xml roundtrip`: the real CLI in a child process writes files back byte-identical,
 * and names file, line and column with a non-zero exit on bad input.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliArgs } from '../../support/cli.ts';
import { generateOddXml } from '../../support/xml-corpus.ts';

const dir = mkdtempSync(join(tmpdir(), 'mixdesk-xml-cli-'));
const run = (...args: string[]) => spawnSync(process.execPath, cliArgs('xml', ...args), { cwd: dir });

test('roundtrip to stdout and to -o gives back the same bytes', () => {
  const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(generateOddXml('\r\n'))]);
  writeFileSync(join(dir, 'odd.xml'), bytes);
  const out = run('roundtrip', 'odd.xml');
  assert.is(out.status, 0, out.stderr.toString());
  assert.ok(Buffer.from(bytes).equals(out.stdout));
  const written = run('roundtrip', 'odd.xml', '-o', 'copy.xml');
  assert.is(written.status, 0);
  assert.ok(Buffer.from(bytes).equals(readFileSync(join(dir, 'copy.xml'))));
});

test('malformed input: message names file, line and column; exit code 1; no output file', () => {
  writeFileSync(join(dir, 'bad.xml'), '<AppSet>\n  <Bank>\n</AppSet>\n');
  const out = run('roundtrip', 'bad.xml', '-o', 'never.xml');
  assert.is(out.status, 1);
  assert.match(out.stderr.toString(), /bad\.xml:3:1: mismatched end tag <\/AppSet>/);
  assert.throws(() => readFileSync(join(dir, 'never.xml')));
});

test('missing file and bad usage exit non-zero with a message', () => {
  const missing = run('roundtrip', 'nope.xml');
  assert.is(missing.status, 1);
  assert.match(missing.stderr.toString(), /nope\.xml/);
  assert.is(run('frobnicate').status, 2);
});

test.after(() => rmSync(dir, { recursive: true, force: true }));
test.run();

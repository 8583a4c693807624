/** With no SMTP configured (the default of `npm start`), the PIN is printed on the server's terminal in a marked line and works. */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { waitFor } from '../../support/relay-harness.ts';

test('mixdesk serve without MIXDESK_SMTP_URL prints a marked PIN line that signs in', async () => {
  const data = join(mkdtempSync(join(tmpdir(), 'mixdesk-pin-')), 'data');
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: '0', MIXDESK_DATA: data };
  delete env.MIXDESK_SMTP_URL;
  const child = spawn(process.execPath, ['bin/mixdesk.js', 'serve'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk;
  });
  child.stderr.on('data', (chunk: Buffer) => {
    output += chunk;
  });
  try {
    await waitFor('the start line', () => /running on http:\/\/localhost:\d+/.test(output), 20_000);
    const base = `http://127.0.0.1:${/localhost:(\d+)/.exec(output)![1]}`;
    const sent = await fetch(`${base}/api/auth/pin`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: 'studio@example.com' }),
    });
    assert.is(sent.status, 202);
    await waitFor('the PIN line', () => output.includes('MIXDESK SIGN-IN PIN'), 5000);
    const line = output.split('\n').find((l) => l.includes('MIXDESK SIGN-IN PIN'))!;
    assert.match(line, /^=== MIXDESK SIGN-IN PIN === studio@example\.com: \d{6} /);
    const pin = /: (\d{6}) /.exec(line)![1];
    const verified = await fetch(`${base}/api/auth/verify`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: 'studio@example.com', pin }),
    });
    assert.is(verified.status, 200);
  } finally {
    child.kill('SIGKILL');
    rmSync(join(data, '..'), { recursive: true, force: true });
  }
});

test.run();

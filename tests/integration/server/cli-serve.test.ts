/**
 * `mixdesk serve` (what `npm start` runs) through the compiled bin: this suite builds
 * build/node/ first, as `npm run build` does, and runs bin/mixdesk.js on it: PORT and
 * MIXDESK_DATA, health, a clean SIGTERM, and `--help` without any TypeScript at run time.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildNode } from '../../../scripts/build-node.ts';

// The compiled CLI as `npm run build` leaves it; bin/mixdesk.js prefers it over the source.
await buildNode();
import { probe } from '../../support/http-probe.ts';

const freePort = () =>
  new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });

test('serves on PORT with its data in MIXDESK_DATA, answers /healthz, and exits 0 on SIGTERM', async () => {
  const port = await freePort();
  const data = join(mkdtempSync(join(tmpdir(), 'mixdesk-serve-')), 'data');
  const child = spawn(process.execPath, ['bin/mixdesk.js', 'serve'], {
    env: { ...process.env, PORT: String(port), MIXDESK_DATA: data },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  try {
    let output = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no start line in 20 s: ${output}`)), 20_000);
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk;
        if (output.includes('running on')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.on('exit', (code) => reject(new Error(`exited ${code}: ${output}`)));
    });
    assert.match(output, new RegExp(`http://localhost:${port}`));
    const health = (await (await fetch(`http://127.0.0.1:${port}/healthz`)).json()) as { ok: boolean };
    assert.is(health.ok, true);
    assert.ok(existsSync(data), 'the data folder is created');
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    child.kill('SIGTERM');
    assert.is(await exited, 0);
  } finally {
    child.kill('SIGKILL');
    rmSync(join(data, '..'), { recursive: true, force: true });
  }
});

test('the compiled bin answers --help from build/node/, not through tsx', () => {
  // bin/mixdesk.js notes on stderr when it falls back to running the source through tsx.
  const result = spawnSync(process.execPath, ['bin/mixdesk.js', '--help'], { encoding: 'utf8' });
  assert.is(result.status, 0, result.stderr);
  assert.match(result.stdout, /mixdesk serve/);
  assert.is(result.stderr, '', 'no note about running the TypeScript source');
});

test('HOST, MIXDESK_ORIGINS and MIXDESK_TLS reach the server: a studio name is answered, a foreign one refused', async () => {
  const port = await freePort();
  const data = join(mkdtempSync(join(tmpdir(), 'mixdesk-serve-')), 'data');
  const env = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    MIXDESK_DATA: data,
    MIXDESK_ORIGINS: `http://studio.local:${port}`,
    MIXDESK_TLS: '1',
  };
  const child = spawn(process.execPath, ['bin/mixdesk.js', 'serve'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    await new Promise<void>((resolve, reject) => {
      let output = '';
      const timer = setTimeout(() => reject(new Error(`no start line in 20 s: ${output}`)), 20_000);
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk;
        if (output.includes('running on')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.on('exit', (code) => reject(new Error(`exited ${code}: ${output}`)));
    });
    const studio = await probe(port, '/healthz', { headers: { Host: `studio.local:${port}` } });
    assert.is(studio.status, 200);
    assert.is(studio.headers['strict-transport-security'], 'max-age=31536000');
    assert.is((await probe(port, '/healthz', { headers: { Host: `elsewhere.local:${port}` } })).status, 403);
  } finally {
    child.kill('SIGKILL');
    rmSync(join(data, '..'), { recursive: true, force: true });
  }
});

/** Runs `mixdesk serve` with a bad setting; returns its exit code and stderr. */
async function refusedSetting(env: Record<string, string>): Promise<{ code: number | null; errors: string }> {
  const child = spawn(process.execPath, ['bin/mixdesk.js', 'serve'], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let errors = '';
  child.stderr.on('data', (chunk: Buffer) => {
    errors += chunk;
  });
  // A server that does not exit by itself counts as a failure to refuse (code null).
  const hung = setTimeout(() => child.kill('SIGKILL'), 15_000);
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  clearTimeout(hung);
  return { code, errors };
}

test('a MIXDESK_ORIGINS value that is not an origin is refused with a message', async () => {
  const { code, errors } = await refusedSetting({ MIXDESK_ORIGINS: 'studio.local' });
  assert.is(code, 2);
  assert.match(errors, /MIXDESK_ORIGINS: 'studio.local' is not an origin/);
});

test('a PORT that is not a port number is refused with a message', async () => {
  const { code, errors } = await refusedSetting({ PORT: 'eighty' });
  assert.is(code, 2);
  assert.match(errors, /PORT must be a port number, got 'eighty'/);
});

// Regression: a setting the accounts refuse (after the relay database was opened) printed its
// message and then left the process running, held up by the store's threads.
test('a MIXDESK_SMTP_URL that is not an SMTP URL stops start-up with a message and exit 1', async () => {
  const data = mkdtempSync(join(tmpdir(), 'mixdesk-serve-smtp-'));
  try {
    const { code, errors } = await refusedSetting({ MIXDESK_SMTP_URL: '::bad url::', MIXDESK_DATA: data, PORT: '0' });
    assert.is(code, 1);
    assert.match(errors, /MIXDESK_SMTP_URL must be an smtp:\/\/ or smtps:\/\/ URL, got '::bad url::'/);
    assert.not.ok(existsSync(join(data, 'relay.sqlite.lock')), 'the database lock is released');
  } finally {
    rmSync(data, { recursive: true, force: true });
  }
});

test.run();

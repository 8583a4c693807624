/** The one server process: the PWA's files with the caching the service worker needs, and /healthz. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from '../../../sync-server/server.ts';

const root = mkdtempSync(join(tmpdir(), 'mixdesk-static-'));
mkdirSync(join(root, 'dist', 'assets'), { recursive: true });
writeFileSync(join(root, 'dist', 'index.html'), '<!doctype html><title>Mixdesk</title>');
writeFileSync(join(root, 'dist', 'sw.js'), 'self.x = 1;');
writeFileSync(join(root, 'dist', 'assets', 'app-abc123.js'), 'console.log(1);');
writeFileSync(join(root, 'secret.txt'), 'outside the build');
const server = await startServer({
  port: 0,
  host: '127.0.0.1',
  dataDir: join(root, 'data'),
  staticDir: join(root, 'dist'),
});

/** A raw GET, so paths such as /../ reach the server unnormalised. */
function get(
  path: string,
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port: server.port, path, method: 'GET' }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => {
        body += c.toString();
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    })
      .on('error', reject)
      .end();
  });
}

test('GET /healthz answers ok', async () => {
  const res = await get('/healthz');
  assert.is(res.status, 200);
  assert.is(JSON.parse(res.body).ok, true);
});

test('client routes fall back to index.html; a missing file with an extension is 404', async () => {
  for (const path of ['/', '/trash', '/doc/abc123']) {
    const res = await get(path);
    assert.is(res.status, 200, path);
    assert.match(res.body, /<title>Mixdesk/);
  }
  assert.is((await get('/assets/missing.js')).status, 404);
});

test('hashed assets are cached for good; the service worker and index.html are revalidated', async () => {
  assert.match(String((await get('/assets/app-abc123.js')).headers['cache-control']), /immutable/);
  assert.is((await get('/sw.js')).headers['cache-control'], 'no-cache');
  assert.is((await get('/')).headers['cache-control'], 'no-cache');
  assert.match(String((await get('/sw.js')).headers['content-type']), /javascript/);
});

test('nothing outside the build folder is served, however the path is written', async () => {
  for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt']) {
    const res = await get(path);
    assert.not.match(res.body, /outside the build/, path);
  }
});

// Regression: a file deleted between the server's stat and its open crashed the whole process
// (the read stream had no error handler); `npm run build` while the server runs does this.
test('a file deleted and re-created while it is requested is served whole or answered 404, and the server lives on', async () => {
  const file = join(root, 'dist', 'assets', 'race-abc123.js');
  const content = `console.log(${'"race";'.repeat(2000)});`;
  // Another process creates (atomically, by rename) and deletes the file as fast as it can.
  const racer = spawn(
    process.execPath,
    [
      '-e',
      `
    const fs = require('node:fs'); const [file, content] = process.argv.slice(1); const until = Date.now() + 2000;
    while (Date.now() < until) { fs.writeFileSync(file + '.tmp', content); fs.renameSync(file + '.tmp', file); fs.rmSync(file, { force: true }); }
  `,
      file,
      content,
    ],
    { stdio: 'ignore' },
  );
  const racing = new Promise<void>((done) => racer.on('exit', () => done()));
  const statuses = new Map<number, number>();
  let stop = false;
  void racing.then(() => {
    stop = true;
  });
  const worker = async () => {
    while (!stop) {
      const res = await get('/assets/race-abc123.js');
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      if (res.status === 200) assert.is(res.body, content, 'a 200 carries the whole file');
      else assert.is(res.status, 404);
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  await racing;
  assert.ok((statuses.get(200) ?? 0) > 0 && (statuses.get(404) ?? 0) > 0, `both outcomes seen: ${[...statuses]}`);
  assert.is((await get('/healthz')).status, 200);
});

test.after(async () => {
  await server.close();
  rmSync(root, { recursive: true, force: true });
});
test.run();

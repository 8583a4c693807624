/**
 * /healthz and /readyz of the embedded server (SQLite, in-process fan-out): what they report,
 * the store's file going away, and a real process draining on SIGTERM (/readyz 503 while it
 * still serves, then exit 0).
 */
import { renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { getJson, pollUntil } from '../../support/health-poll.ts';
import { probe } from '../../support/http-probe.ts';
import { startTestRelay, tempDataDir } from '../../support/relay-harness.ts';
import { spawnRelay } from '../../support/relay-process.ts';

test('/healthz names the SQLite store and the in-process fan-out; /readyz is 200; both are GET only', async () => {
  const relay = await startTestRelay();
  try {
    const port = relay.running.port;
    const health = await getJson(port, '/healthz');
    assert.is(health.status, 200);
    assert.is(health.body.ok, true);
    assert.type(health.body.uptimeSeconds, 'number');
    assert.is(health.body.store?.kind, 'sqlite');
    assert.is(health.body.store?.ok, true);
    assert.type(health.body.store?.latencyMs, 'number');
    assert.equal(health.body.fanout, { kind: 'local', ok: true });
    assert.equal(await getJson(port, '/readyz'), { status: 200, body: { ready: true } });
    const posted = await probe(port, '/readyz', { method: 'POST', headers: { Host: `localhost:${port}` } });
    assert.is(posted.status, 405);
  } finally {
    await relay.close();
  }
});

test('/healthz is 503 naming the store when the SQLite file cannot be read, and 200 once it is back', async () => {
  const relay = await startTestRelay();
  try {
    const port = relay.running.port;
    const file = join(relay.dataDir, 'relay.sqlite');
    renameSync(file, `${file}.away`);
    // Within the cache period the last result may still be served.
    const health = await pollUntil(port, '/healthz', (status) => status === 503);
    assert.is(health.status, 503);
    assert.is(health.body.store?.ok, false);
    renameSync(`${file}.away`, file);
    assert.is((await pollUntil(port, '/healthz', (status) => status === 200)).status, 200, 'back once the file is');
  } finally {
    await relay.close();
  }
});

test('SIGTERM with MIXDESK_DRAIN_MS: /readyz 503 "shutting down" while /healthz and the relay still answer, then exit 0', async () => {
  const dataDir = tempDataDir();
  const child = await spawnRelay(dataDir, 0, { RELAY_LOG: 'silent', MIXDESK_DRAIN_MS: '1500' });
  try {
    assert.equal(await getJson(child.port, '/readyz'), { status: 200, body: { ready: true } });
    child.child.kill('SIGTERM');
    let ready = await getJson(child.port, '/readyz');
    for (const started = Date.now(); ready.status === 200 && Date.now() - started < 1000;) {
      ready = await getJson(child.port, '/readyz');
    }
    assert.equal(ready, { status: 503, body: { ready: false, reason: 'shutting down' } });
    assert.is((await getJson(child.port, '/healthz')).status, 200, 'still serving while it drains');
    assert.is(await child.exited, 0);
  } finally {
    child.child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test.run();

/**
 * Which hosts and origins the server answers: HOST (default 127.0.0.1) and MIXDESK_ORIGINS.
 * A request whose Host is not one of ours (DNS rebinding) is refused with 403 and a log line,
 * and so is an upgrade or state-changing request from a foreign Origin.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type RunningServer } from '../../../sync-server/server.ts';
import { silentLogger } from '../../../sync-server/relay/index.ts';
import type { HttpLogRecord } from '../../../sync-server/http/http-log.ts';
import { parseOriginList } from '../../../sync-server/http/allowed-hosts.ts';
import { connectClient, destroyClients, waitSynced } from '../../support/relay-harness.ts';
import { probe, tryUpgrade } from '../../support/http-probe.ts';

const root = mkdtempSync(join(tmpdir(), 'mixdesk-hosts-'));
const logs: HttpLogRecord[] = [];
const start = (options: { host?: string; origins?: string[] } = {}): Promise<RunningServer> =>
  startServer({
    port: 0,
    dataDir: mkdtempSync(join(root, 'data-')),
    staticDir: join(root, 'no-static'),
    relay: { logger: silentLogger },
    httpLogger: (record) => logs.push(record),
    ...options,
  });

// Regression: the default auth compared Origin with Host, so a page on an attacker's domain
// rebound to this server's address got a read-write relay connection (101).
test('a rebound page (Host and Origin both a foreign name) is refused at the upgrade and at page load, with a log line', async () => {
  const server = await start();
  try {
    const port = server.port;
    const rebound = { Host: `evil.example:${port}`, Origin: `http://evil.example:${port}` };
    const upgrade = await tryUpgrade(port, '/sync/doc', rebound);
    assert.is(upgrade.status, 403);
    assert.ok(
      logs.some(
        (r) =>
          r.event === 'refused' &&
          r.reason === 'host not allowed' &&
          r.host === `evil.example:${port}` &&
          r.path === '/sync/doc',
      ),
    );
    assert.is((await probe(port, '/', { headers: { Host: `evil.example:${port}` } })).status, 403);
    assert.is((await probe(port, '/healthz', { headers: { Host: `evil.example:${port}` } })).status, 403);
    // Without Origin, but with the foreign Host: still refused.
    assert.is((await tryUpgrade(port, '/sync/doc', { Host: `evil.example:${port}` })).status, 403);
  } finally {
    await server.close();
  }
});

test('by default the server binds 127.0.0.1 and answers its own loopback names, with or without an Origin', async () => {
  const server = await start();
  try {
    const port = server.port;
    assert.equal(server.server.address(), { address: '127.0.0.1', family: 'IPv4', port });
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`, `LOCALHOST:${port}`]) {
      assert.is((await probe(port, '/healthz', { headers: { Host: host } })).status, 200, host);
      assert.is((await tryUpgrade(port, '/sync/doc', { Host: host })).status, 101, `${host} without Origin`);
      assert.is(
        (await tryUpgrade(port, '/sync/doc', { Host: host, Origin: `http://${host.toLowerCase()}` })).status,
        101,
        `${host} from its own page`,
      );
    }
    // Our Host, but a page from another origin (a foreign site opening a socket to us).
    assert.is(
      (await tryUpgrade(port, '/sync/doc', { Host: `localhost:${port}`, Origin: 'https://evil.example' })).status,
      403,
    );
    assert.is((await tryUpgrade(port, '/sync/doc', { Host: `localhost:${port}`, Origin: 'null' })).status, 403);
    // Another port on this machine is another origin.
    assert.is(
      (await tryUpgrade(port, '/sync/doc', { Host: `localhost:${port}`, Origin: `http://localhost:${port + 1}` }))
        .status,
      403,
    );
    assert.is((await probe(port, '/healthz', { headers: { Host: `localhost:${port + 1}` } })).status, 403);
  } finally {
    await server.close();
  }
});

test('a state-changing request from a foreign origin is refused; a GET from a link elsewhere is served', async () => {
  const server = await start();
  try {
    const port = server.port;
    const foreignPost = await probe(port, '/csp-report', {
      method: 'POST',
      headers: { Host: `localhost:${port}`, Origin: 'https://evil.example', 'Content-Type': 'application/csp-report' },
      body: '{}',
    });
    assert.is(foreignPost.status, 403);
    assert.match(foreignPost.body, 'origin not allowed');
    assert.ok(logs.some((r) => r.event === 'refused' && r.reason === 'origin not allowed' && r.method === 'POST'));
    const ownPost = await probe(port, '/csp-report', {
      method: 'POST',
      headers: {
        Host: `localhost:${port}`,
        Origin: `http://localhost:${port}`,
        'Content-Type': 'application/csp-report',
      },
      body: '{}',
    });
    assert.is(ownPost.status, 204);
    assert.is(
      (await probe(port, '/healthz', { headers: { Host: `localhost:${port}`, Origin: 'https://elsewhere.example' } }))
        .status,
      200,
    );
  } finally {
    await server.close();
  }
});

test("MIXDESK_ORIGINS opens the server to a studio name; the PWA's provider connects through it", async () => {
  const probePort = await start();
  const port = probePort.port;
  await probePort.close();
  const server = await startServer({
    port,
    host: '0.0.0.0',
    origins: parseOriginList(`http://studio.local:${port}, https://mix.example.com`),
    dataDir: mkdtempSync(join(root, 'data-')),
    staticDir: join(root, 'no-static'),
    relay: { logger: silentLogger },
    httpLogger: () => {},
  });
  try {
    assert.is(
      (await tryUpgrade(port, '/sync/doc', { Host: `studio.local:${port}`, Origin: `http://studio.local:${port}` }))
        .status,
      101,
    );
    // Behind a TLS proxy that keeps the public Host.
    assert.is(
      (await tryUpgrade(port, '/sync/doc', { Host: 'mix.example.com', Origin: 'https://mix.example.com' })).status,
      101,
    );
    assert.is(
      (await tryUpgrade(port, '/sync/doc', { Host: `other.local:${port}`, Origin: `http://other.local:${port}` }))
        .status,
      403,
    );
    // The real y-websocket client (no Origin, Host 127.0.0.1:PORT) syncs as before.
    const client = connectClient(`ws://127.0.0.1:${port}/sync`, 'studio-doc');
    try {
      await waitSynced(client);
    } finally {
      destroyClients([client]);
    }
  } finally {
    await server.close();
  }
});

test('MIXDESK_ORIGINS values that are not origins are refused, naming the value', () => {
  assert.equal(parseOriginList(' http://a.local:8787 ,https://B.example/ '), [
    'http://a.local:8787',
    'https://b.example',
  ]);
  assert.throws(() => parseOriginList('studio.local:8787'), /'studio.local:8787' is not an origin/);
  assert.throws(() => parseOriginList('http://a.local/app'), /is not an origin/);
  assert.equal(parseOriginList(undefined), []);
});

test.after(() => rmSync(root, { recursive: true, force: true }));
test.run();

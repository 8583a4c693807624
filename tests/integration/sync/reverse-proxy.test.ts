/**
 * docs/operations.md's recipe, the same in a test: three real `mixdesk serve` processes on one
 * PostgreSQL and one Redis behind a reverse proxy (tests/support/round-robin-proxy.ts: `/sync/`
 * by a hash of the path (document affinity), everything else round robin with no sticky
 * sessions, WebSocket upgrades, X-Forwarded-*, health checks on /readyz). The clients of a
 * document land on one process, another document on another, a client that reached a third
 * process directly converges with them; a PIN sign-in works across three processes (the
 * secret they key PINs with is PostgreSQL's); a process stopped with SIGTERM drains (/readyz
 * 503, the proxy stops routing to it) and its clients reconnect through the proxy to the
 * document's next process without losing anything.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { api, sessionFrom, startMailbox } from '../../support/account-harness.ts';
import { cliArgs } from '../../support/cli.ts';
import {
  connectClient,
  destroyClients,
  stateOf,
  tempDataDir,
  waitFor,
  waitSynced,
  type TestClient,
} from '../../support/relay-harness.ts';
import { rendezvousOrder, startRoundRobinProxy } from '../../support/round-robin-proxy.ts';
import { scaleOutServicesOrSkip } from '../../support/scale-out-services.ts';

const services = await scaleOutServicesOrSkip('reverse-proxy');

interface ServeProcess {
  child: ChildProcess;
  port: number;
  exited: Promise<number | null>;
}

/** `mixdesk serve` from source with `env`; resolves once it printed its URL. */
function startServe(env: Record<string, string>): Promise<ServeProcess> {
  const child = spawn(process.execPath, cliArgs('serve'), {
    env: { ...process.env, HOST: '127.0.0.1', PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`mixdesk serve did not start in 20 s:\n${output}`)), 20_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const started = /running on http:\/\/localhost:(\d+)/.exec(output);
      if (started) {
        clearTimeout(timer);
        resolve({ child, port: Number(started[1]), exited });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`mixdesk serve exited with ${code}:\n${output}`));
    });
  });
}

if (services) {
  const { postgres, redis } = services;
  test('three processes behind the proxy: /readyz round robin, a document on its hashed process, any process serves it, a drained process hands its clients to the next', async () => {
    const databaseUrl = await postgres.freshSchemaUrl();
    const proxy = await startRoundRobinProxy({ healthIntervalMs: 100, affinityPrefix: '/sync/' });
    const dirs = [tempDataDir(), tempDataDir(), tempDataDir()];
    const mailbox = await startMailbox();
    const clients: TestClient[] = [];
    let processes: ServeProcess[] = [];
    try {
      // Each process has a data folder of its own and nothing copied between them: the recipe.
      processes = await Promise.all(
        dirs.map((dir) =>
          startServe({
            MIXDESK_DATA: dir,
            MIXDESK_DATABASE_URL: databaseUrl,
            MIXDESK_REDIS_URL: redis.url,
            MIXDESK_ORIGINS: proxy.origin,
            MIXDESK_TRUST_PROXY: '1',
            MIXDESK_DRAIN_MS: '600',
            MIXDESK_SMTP_URL: `smtp://127.0.0.1:${mailbox.port}`,
          }),
        ),
      );
      const ports = processes.map((p) => p.port);
      proxy.setBackends(ports);
      await proxy.waitHealthy(ports);

      for (let i = 0; i < 3; i++) {
        const ready = await fetch(`${proxy.origin}/readyz`);
        assert.is(ready.status, 200);
        assert.equal(await ready.json(), { ready: true });
      }
      assert.is(new Set(proxy.requests.slice(-3)).size, 3, 'round robin: each process answered once');
      const health = (await (await fetch(`${proxy.origin}/healthz`)).json()) as {
        ok: boolean;
        store: { kind: string };
        fanout: { kind: string };
      };
      assert.is(health.ok, true);
      assert.is(health.store.kind, 'postgres');
      assert.is(health.fanout.kind, 'redis');

      // Sign-in without stickiness: the PIN asked on one process, checked on another, the session used on the third.
      const email = 'ana@example.com';
      assert.is((await api(proxy.origin, 'POST', '/api/auth/pin', { email })).status, 202);
      const pin = await mailbox.nextPin(email);
      const cookie = sessionFrom(await api(proxy.origin, 'POST', '/api/auth/verify', { email, pin }));
      const me = await api(proxy.origin, 'GET', '/api/me', undefined, { cookie });
      assert.is(me.status, 200);
      assert.is(me.body.email, email);
      assert.is(new Set(proxy.requests.slice(-3)).size, 3, 'three requests, three processes');

      // Document affinity (docs/operations.md): every client of a document on the process its
      // path hashes to, whatever its query string (each device's own presenceKey).
      const syncBase = `ws://127.0.0.1:${proxy.port}/sync`;
      const device = (n: number) => ({ params: { presenceKey: `device-${n}-key-0123456789` } });
      const first = connectClient(syncBase, 'show-layout', device(1));
      await waitSynced(first);
      const second = connectClient(syncBase, 'show-layout', device(2));
      clients.push(first, second);
      await waitSynced(second);
      const [firstPort, secondPort] = proxy.upgrades;
      assert.is(firstPort, rendezvousOrder('/sync/show-layout', ports)[0], 'the document goes to its hashed process');
      assert.is(secondPort, firstPort, 'both clients of the document on one process');
      // Another document hashes elsewhere: the documents, not the clients, are spread.
      const elsewhere = ['mix-notes', 'room-b', 'foh-layout', 'mon-layout', 'stage-plot', 'patch-list'].find(
        (docId) => rendezvousOrder(`/sync/${docId}`, ports)[0] !== firstPort,
      )!;
      const other = connectClient(syncBase, elsewhere, device(3));
      clients.push(other);
      await waitSynced(other);
      assert.is.not(proxy.upgrades[2], firstPort, `${elsewhere} is served by another process`);
      // Any process still serves any document: a client that reached another one directly (as
      // during a fail-over) converges with those on the hashed one.
      const directPort = ports.find((port) => port !== firstPort)!;
      const third = connectClient(`ws://127.0.0.1:${directPort}/sync`, 'show-layout', device(4));
      clients.push(third);
      await waitSynced(third);
      const layoutClients = [first, second, third];
      first.doc.getArray<string>('strips').push(['Kick']);
      third.doc.getArray<string>('strips').push(['Snare']);
      await waitFor('both edits at every client', () =>
        layoutClients.every((c) => c.doc.getArray('strips').length === 2),
      );
      assert.is(stateOf(first.doc), stateOf(third.doc));

      // SIGTERM the document's process: it drains (/readyz 503, the proxy takes it out), then
      // closes; its clients reconnect through the proxy to the document's next process.
      const draining = processes.find((p) => p.port === firstPort)!;
      const upgradesBefore = proxy.upgrades.length;
      draining.child.kill('SIGTERM');
      const remaining = ports.filter((p) => p !== firstPort);
      await proxy.waitHealthy(remaining);
      assert.is(await draining.exited, 0);
      first.doc.getArray<string>('strips').push(['Bass']);
      await waitFor(
        'the edit after the hand-over at every client',
        () => layoutClients.every((c) => c.doc.getArray('strips').length === 3),
        10_000,
      );
      assert.is(stateOf(first.doc), stateOf(second.doc));
      assert.is(stateOf(first.doc), stateOf(third.doc));
      await waitFor('both clients reconnected', () => first.provider.wsconnected && second.provider.wsconnected);
      const handedOver = proxy.upgrades.slice(upgradesBefore);
      const next = rendezvousOrder('/sync/show-layout', remaining)[0];
      assert.ok(handedOver.length >= 2, 'both clients reconnected through the proxy');
      assert.ok(
        handedOver.every((port) => port === next),
        `reconnected to the document's next process ${next}: ${handedOver.join(', ')}`,
      );
    } finally {
      destroyClients(clients);
      for (const running of processes) running.child.kill('SIGKILL');
      await Promise.all(processes.map((p) => p.exited));
      await proxy.close();
      await mailbox.close();
      for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    }
  });

  test.after(() => services.stop());
  test.run();
}

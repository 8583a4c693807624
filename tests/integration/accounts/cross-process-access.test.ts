/**
 * Accounts across the processes of a scaled-out deployment (issue 16): three real servers (in
 * this process, each with its own data folder, relay and Redis fan-out, on real ports) on one
 * real PostgreSQL and one real Redis, mailing PINs to one real SMTP server. A PIN mailed by one
 * process verifies on another, a session cookie minted by one is valid on every other, and a
 * share revoked through one process closes the friend's sockets on the others within 1 s.
 */
import pg from 'pg';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { AccessCloseCode } from '../../../sync-server/accounts/index.ts';
import { PIN_VERIFY_LIMIT_PER_IP } from '../../../sync-server/accounts/pin-sign-in.ts';
import {
  api,
  closeCodes,
  connectAs,
  sessionFrom,
  signIn,
  startMailbox,
  upgradeStatus,
  type AccountServer,
} from '../../support/account-harness.ts';
import { startOfflineProxy } from '../../support/offline-proxy.ts';
import { scaleOutServicesOrSkip } from '../../support/relay-cluster.ts';
import { destroyClients, startTestRelay, waitFor, waitSynced, type TestClient } from '../../support/relay-harness.ts';

const services = await scaleOutServicesOrSkip('cross-process-access');

if (services) {
  const { postgres, redis } = services;
  const mailbox = await startMailbox();
  const databaseUrl = await postgres.freshSchemaUrl();
  const clock = { now: Date.now() };
  // One after the other: each picks its process tag from the clock (see relay.ts).
  const servers: AccountServer[] = [];
  for (let i = 0; i < 3; i++) {
    const relay = await startTestRelay({
      databaseUrl,
      redisUrl: redis.url,
      accounts: { smtpUrl: `smtp://127.0.0.1:${mailbox.port}`, now: () => clock.now },
    });
    servers.push({
      relay,
      mailbox,
      clock,
      base: `http://127.0.0.1:${relay.running.port}`,
      close: () => relay.close(),
    });
  }
  const [a, b, c] = servers as [AccountServer, AccountServer, AccountServer];

  test.after(async () => {
    for (const server of servers) await server.close();
    await mailbox.close();
    await redis.stop();
    await postgres.stop();
  });

  test('a PIN mailed by one process verifies on another; its session cookie is valid on every process', async () => {
    assert.is((await api(a.base, 'POST', '/api/auth/pin', { email: 'eve@example.com' })).status, 202);
    const pin = await mailbox.nextPin('eve@example.com');
    const cookie = sessionFrom(await api(b.base, 'POST', '/api/auth/verify', { email: 'eve@example.com', pin }));
    for (const server of servers) {
      const me = await api(server.base, 'GET', '/api/me', undefined, { cookie });
      assert.is(me.status, 200, server.base);
      assert.is(me.body.email, 'eve@example.com');
    }
    assert.is((await api(c.base, 'PUT', '/api/documents/eves-show', meta('Show'), { cookie })).status, 201);
    assert.is(await upgradeStatus(a, 'eves-show', { cookie }, a.base), 101, 'the relay of another process takes it');
    assert.is(await upgradeStatus(a, 'eves-show', {}, a.base), 403, 'and refuses an anonymous upgrade');
  });

  test("a share revoked through one process closes the friend's sockets on the other two within 1 s, for good", async () => {
    const { owner: ana, friend: ben, friendId: benId } = await shareAcrossProcesses('ana', 'ben', 'show-file');
    const { anaClient, benClients, clients, closes } = connectBoth('show-file', ana, ben);
    try {
      await Promise.all(clients.map((client) => waitSynced(client, 10_000)));
      anaClient.doc.getArray<string>('strips').push(['kick']);
      await waitFor("Ben sees Ana's edit on both processes", () =>
        benClients.every((client) => client.doc.getArray('strips').length === 1),
      );
      const before = performance.now();
      const revoked = await api(a.base, 'DELETE', `/api/documents/show-file/shares/${benId}`, undefined, {
        cookie: ana,
      });
      assert.is(revoked.status, 204);
      await waitFor("Ben's sockets on B and C closed", () => closes.every((seen) => seen.codes.length > 0), 2000);
      for (const [i, seen] of closes.entries()) {
        assert.is(seen.codes[0], AccessCloseCode.revoked, `process ${i + 1}: the close code`);
        const after = seen.at[0]! - before;
        assert.ok(after < 1000, `process ${i + 1}: closed ${after.toFixed(0)} ms after the revoke was asked`);
      }
      assert.ok(anaClient.provider.wsconnected, "Ana's socket stays");
      for (const server of servers)
        assert.is(await upgradeStatus(server, 'show-file', { cookie: ben }, server.base), 403, 'refused everywhere');
    } finally {
      destroyClients(clients);
    }
  });

  /** `owner` (on A) befriends `friend` (asked on B, accepted on C) and shares a new document with them. */
  async function shareAcrossProcesses(owner: string, friend: string, docId: string) {
    const ownerCookie = await signIn(a, `${owner}@example.com`);
    const friendCookie = await signIn(a, `${friend}@example.com`);
    await api(a.base, 'POST', '/api/friends', { email: `${friend}@example.com` }, { cookie: ownerCookie });
    const incoming = (await api(b.base, 'GET', '/api/friends', undefined, { cookie: friendCookie })).body.incoming;
    await api(c.base, 'POST', `/api/friends/${incoming[0].id}/accept`, undefined, { cookie: friendCookie });
    const friendId = (await api(a.base, 'GET', '/api/me', undefined, { cookie: friendCookie })).body.id as string;
    await api(a.base, 'PUT', `/api/documents/${docId}`, meta('Friday show'), { cookie: ownerCookie });
    const shared = await api(
      a.base,
      'POST',
      `/api/documents/${docId}/shares`,
      { email: `${friend}@example.com` },
      { cookie: ownerCookie },
    );
    assert.is(shared.status, 201);
    return { owner: ownerCookie, friend: friendCookie, friendId };
  }

  /** The owner's client on A, the friend's on B and C, and the close codes the friend's see. */
  function connectBoth(docId: string, ownerCookie: string, friendCookie: string) {
    const anaClient = connectAs(a, docId, { cookie: ownerCookie });
    const benClients = [connectAs(b, docId, { cookie: friendCookie }), connectAs(c, docId, { cookie: friendCookie })];
    const clients: TestClient[] = [anaClient, ...benClients];
    return { anaClient, benClients, clients, closes: benClients.map(closeCodes) };
  }

  // Regression: the per-IP verify limit was a WindowCounter in each process, so three processes
  // behind a load balancer let one machine try three times as many PINs.
  test('the per-IP PIN-verify limit holds across processes: 50 tries spread over three, the 51st refused on each', async () => {
    clock.now += 16 * 60_000; // past the window of the sign-ins above (same address)
    const tries = (server: AccountServer) =>
      api(server.base, 'POST', '/api/auth/verify', { email: 'mallory@example.com', pin: '000000' });
    for (let n = 0; n < PIN_VERIFY_LIMIT_PER_IP.count; n++) {
      const answer = await tries(servers[n % servers.length]!);
      assert.not.equal(answer.status, 429, `try ${n + 1} refused too early`);
    }
    for (const server of servers) {
      const refused = await tries(server);
      assert.is(refused.status, 429, server.base);
      assert.is(refused.body.error, 'too-many-attempts');
    }
    clock.now += PIN_VERIFY_LIMIT_PER_IP.windowMs;
    assert.is.not((await tries(b)).status, 429, 'allowed again once the window has passed');
  });

  // Regression: a revoke's control message lost with Redis (published just before a restart,
  // or while it was away) was never replayed: the friend kept a live socket on the other
  // processes. Now every process re-checks its connections against the store when it finds
  // Redis restarted. Here the share goes from PostgreSQL with no message at all, the limit case.
  test("after a Redis restart every process re-checks access: a share gone from the store closes the friend's sockets", async () => {
    const { owner: ana, friend: ben, friendId: benId } = await shareAcrossProcesses('ann', 'bob', 'lost-revoke');
    const { anaClient, clients, closes } = connectBoth('lost-revoke', ana, ben);
    const anaCloses = closeCodes(anaClient);
    const db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    try {
      await Promise.all(clients.map((client) => waitSynced(client, 10_000)));
      await db.query('DELETE FROM shares WHERE doc_id = $1 AND account_id = $2', ['lost-revoke', benId]);
      await redis.restart();
      await waitFor("Ben's sockets on B and C closed", () => closes.every((seen) => seen.codes.length > 0), 10_000);
      for (const [i, seen] of closes.entries())
        assert.is(seen.codes[0], AccessCloseCode.revoked, `process ${i + 2}: the close code`);
      await new Promise((next) => setTimeout(next, 200));
      assert.equal(anaCloses.codes, [], "Ana's socket stays");
    } finally {
      await db.end();
      destroyClients(clients);
    }
  });

  // Regression: a revoke whose control message Redis never took (the revoking process cut off
  // from Redis past its client's retries, ~10 s) was lost for good: the other processes saw no
  // Redis restart, so nothing made them re-check, and the friend kept live sockets. Now the
  // message is kept and sent again once the revoking process reaches Redis.
  test("a revoke made while its process is cut off from Redis still closes the friend's sockets once it is back", async () => {
    const { owner: ana, friend: ben, friendId: benId } = await shareAcrossProcesses('amy', 'bill', 'cut-off-revoke');
    const { anaClient, clients, closes } = connectBoth('cut-off-revoke', ana, ben);
    const anaCloses = closeCodes(anaClient);
    // A fourth process that reaches Redis through a plug that can be pulled.
    const plug = await startOfflineProxy(new URL(redis.url));
    const relay = await startTestRelay({
      databaseUrl,
      redisUrl: `redis://127.0.0.1:${new URL(plug.url).port}`,
      // Its sign-in limiter reports every lost Redis connection: expected here, not worth a stack each.
      accounts: { smtpUrl: `smtp://127.0.0.1:${mailbox.port}`, now: () => clock.now, logError: () => {} },
    });
    const d = `http://127.0.0.1:${relay.running.port}`;
    try {
      await Promise.all(clients.map((client) => waitSynced(client, 10_000)));
      plug.setOffline(true);
      const revoked = await api(d, 'DELETE', `/api/documents/cut-off-revoke/shares/${benId}`, undefined, {
        cookie: ana,
      });
      assert.is(revoked.status, 204);
      // Past the Redis client's retries (20 reconnects, ~10.5 s): the publish has failed.
      await new Promise((next) => setTimeout(next, 12_000));
      assert.ok(
        closes.every((seen) => seen.codes.length === 0),
        'nothing else told the other processes (the check is meaningful)',
      );
      plug.setOffline(false);
      const back = performance.now();
      await waitFor("Ben's sockets on B and C closed", () => closes.every((seen) => seen.codes.length > 0), 5000);
      for (const [i, seen] of closes.entries()) {
        assert.is(seen.codes[0], AccessCloseCode.revoked, `process ${i + 2}: the close code`);
        const after = seen.at[0]! - back;
        assert.ok(after < 3000, `process ${i + 2}: closed ${after.toFixed(0)} ms after Redis was reachable again`);
      }
      await new Promise((next) => setTimeout(next, 200));
      assert.equal(anaCloses.codes, [], "Ana's socket stays");
    } finally {
      destroyClients(clients);
      await relay.close();
      await plug.close();
    }
  });

  // Regression: a revoke whose process died between its commit and its control message (or
  // whose message was dropped past the retry queue's bound) was never heard of by the other
  // processes. Now each re-checks its connections against the store periodically.
  test("a share gone from the store with no message at all: the periodic re-check closes the friend's socket", async () => {
    const { owner: ana, friend: ben, friendId: benId } = await shareAcrossProcesses('ada', 'bo', 'silent-revoke');
    const relay = await startTestRelay({
      databaseUrl,
      redisUrl: redis.url,
      accounts: { smtpUrl: `smtp://127.0.0.1:${mailbox.port}`, now: () => clock.now, accessRecheckMs: 300 },
    });
    const e: AccountServer = {
      ...a,
      relay,
      base: `http://127.0.0.1:${relay.running.port}`,
      close: () => relay.close(),
    };
    const anaClient = connectAs(e, 'silent-revoke', { cookie: ana });
    const benClient = connectAs(e, 'silent-revoke', { cookie: ben });
    const [anaCloses, benCloses] = [closeCodes(anaClient), closeCodes(benClient)];
    const db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    try {
      await Promise.all([anaClient, benClient].map((client) => waitSynced(client, 10_000)));
      await db.query('DELETE FROM shares WHERE doc_id = $1 AND account_id = $2', ['silent-revoke', benId]);
      await waitFor("Ben's socket closed", () => benCloses.codes.length > 0, 3000);
      assert.is(benCloses.codes[0], AccessCloseCode.revoked);
      await new Promise((next) => setTimeout(next, 700)); // two more walks
      assert.equal(anaCloses.codes, [], "Ana's socket stays");
    } finally {
      await db.end();
      destroyClients([anaClient, benClient]);
      await relay.close();
    }
  });

  test.run();
}

function meta(name: string) {
  return { name, kind: 'console-config', tags: [], notes: '', roomProfile: 'Stage A S6', updatedAt: 1 };
}

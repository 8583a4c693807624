/**
 * Scale-out failures (issue 16): three real server processes on one real PostgreSQL and one
 * real Redis, real y-websocket clients on real ports. Convergence across processes, SIGKILL of
 * a process mid-stream over 5 rounds with 0 acknowledged updates lost.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startPostgres } from '../../support/postgres-server.ts';
import { redisOrSkip } from '../../support/redis-server.ts';
import { roamingClient, startCluster, storedStrips, trackAcks } from '../../support/relay-cluster.ts';
import { connectClient, destroyClients, stateOf, waitFor, waitSynced } from '../../support/relay-harness.ts';

const postgres = await startPostgres();
const redis = postgres ? await redisOrSkip('scale-out') : null;
if (postgres && !redis) await postgres.stop();

if (postgres && redis) {
  test.after(async () => {
    await redis.stop();
    await postgres.stop();
  });

  test('three processes on one PostgreSQL and one Redis: clients of one document spread over them converge', async () => {
    const databaseUrl = await postgres.freshSchemaUrl();
    const cluster = await startCluster(3, { MIXDESK_DATABASE_URL: databaseUrl, MIXDESK_REDIS_URL: redis.url });
    const clients = Array.from({ length: 6 }, (_, i) => connectClient(cluster.syncBases[i % 3]!, 'three-doc'));
    clients.forEach(trackAcks);
    try {
      await Promise.all(clients.map((client) => waitSynced(client, 10_000)));
      for (let n = 0; n < 20; n++)
        clients.forEach((client, i) => client.doc.getArray<string>('strips').push([`c${i}-${n}`]));
      await waitFor(
        'every edit on every client',
        () => clients.every((client) => client.doc.getArray('strips').length === 120),
        10_000,
      );
      const state = stateOf(clients[0]!.doc);
      for (const client of clients) assert.is(stateOf(client.doc), state);
      // A newcomer on each process loads the same state (from PostgreSQL or the process's memory).
      const fresh = cluster.syncBases.map((base) => connectClient(base, 'three-doc'));
      fresh.forEach(trackAcks);
      try {
        await Promise.all(fresh.map((client) => waitSynced(client, 10_000)));
        for (const client of fresh) assert.is(client.doc.getArray('strips').length, 120);
      } finally {
        destroyClients(fresh);
      }
      assert.is((await storedStrips(databaseUrl, 'three-doc')).length, 120);
    } finally {
      destroyClients(clients);
      await cluster.stop();
    }
  });

  test('SIGKILL of one process mid-stream, 5 rounds: clients move on, 0 acknowledged updates lost', async () => {
    const databaseUrl = await postgres.freshSchemaUrl();
    const cluster = await startCluster(3, { MIXDESK_DATABASE_URL: databaseUrl, MIXDESK_REDIS_URL: redis.url });
    const clients = Array.from({ length: 6 }, (_, i) => roamingClient(cluster.syncBases, 'kill-doc', i));
    const trackers = clients.map(trackAcks);
    let editing: NodeJS.Timeout | null = null;
    try {
      await Promise.all(clients.map((client) => waitSynced(client, 10_000)));
      let n = 0;
      editing = setInterval(() => trackers.forEach((tracker, i) => tracker.push(`c${i}-${n++}`)), 50);
      const restarting: Promise<void>[] = [];
      const rounds: { round: number; killed: number; acknowledged: number }[] = [];
      for (let round = 0; round < 5; round++) {
        const victim = round % 3;
        await new Promise((next) => setTimeout(next, 700));
        const before = trackers.reduce((sum, tracker) => sum + tracker.acknowledged().length, 0);
        await restarting[victim];
        await cluster.kill(victim);
        await new Promise((next) => setTimeout(next, 700));
        // Back in the background: the next round goes on meanwhile.
        restarting[victim] = cluster.restart(victim);
        rounds.push({ round: round + 1, killed: victim, acknowledged: before });
      }
      await Promise.all(restarting);
      clearInterval(editing);
      editing = null;
      // Everything pushed is eventually acknowledged (clients re-send what was not).
      await waitFor(
        'every pushed update acknowledged',
        () => trackers.every((tracker) => tracker.acknowledged().length === tracker.pushed()),
        20_000,
      );
      const acknowledged = trackers.flatMap((tracker) => tracker.acknowledged());
      const onEvery = cluster.syncBases.map((base) => connectClient(base, 'kill-doc'));
      onEvery.forEach(trackAcks);
      try {
        await Promise.all(onEvery.map((client) => waitSynced(client, 10_000)));
        const lost: string[] = [];
        await waitFor(
          'every process holds every acknowledged update',
          () => onEvery.every((client) => client.doc.getArray('strips').length >= acknowledged.length),
          10_000,
        ).catch(() => {});
        for (const client of onEvery) {
          const have = new Set(client.doc.getArray<string>('strips').toArray());
          lost.push(...acknowledged.filter((item) => !have.has(item)));
        }
        const stored = new Set(await storedStrips(databaseUrl, 'kill-doc'));
        const lostInStore = acknowledged.filter((item) => !stored.has(item));
        console.log(
          `scale-out SIGKILL: rounds ${rounds.length}, updates acknowledged ${acknowledged.length} ` +
            `(at each kill: ${rounds.map((r) => r.acknowledged).join(', ')}), lost on processes ${lost.length}, ` +
            `lost in PostgreSQL ${lostInStore.length}`,
        );
        assert.equal(lostInStore, [], 'acknowledged but not in PostgreSQL');
        assert.equal(lost, [], 'acknowledged but missing on a process');
        const total = trackers.reduce((sum, tracker) => sum + tracker.pushed(), 0);
        await waitFor(
          'every client and process converged',
          () => [...onEvery, ...clients].every((client) => client.doc.getArray('strips').length === total),
          10_000,
        );
        const state = stateOf(onEvery[0]!.doc);
        for (const client of [...onEvery, ...clients]) assert.is(stateOf(client.doc), state);
      } finally {
        destroyClients(onEvery);
      }
    } finally {
      if (editing) clearInterval(editing);
      destroyClients(clients);
      await cluster.stop();
    }
  });

  test.run();
}

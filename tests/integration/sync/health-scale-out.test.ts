/**
 * /healthz and /readyz of a scaled-out process (PostgreSQL + Redis, both real): Redis stopped
 * makes both 503 naming redis and they come back with it; PostgreSQL not answering (its
 * postmaster paused, so new connections hang) is reported within the health timeout and
 * recovers once it answers again.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { HEALTH_CACHE_MS } from '../../../sync-server/health/server-health.ts';
import { getJson, pollUntil } from '../../support/health-poll.ts';
import { startTestRelay } from '../../support/relay-harness.ts';
import { scaleOutServicesOrSkip } from '../../support/scale-out-services.ts';

const services = await scaleOutServicesOrSkip('health-scale-out');

if (services) {
  const { postgres, redis } = services;
  test('Redis stopped: /healthz and /readyz 503 naming redis; Redis back: 200 again', async () => {
    const relay = await startTestRelay({ databaseUrl: await postgres.freshSchemaUrl(), redisUrl: redis.url });
    try {
      const port = relay.running.port;
      const healthy = await getJson(port, '/healthz');
      assert.is(healthy.status, 200);
      assert.is(healthy.body.store?.kind, 'postgres');
      assert.is(healthy.body.store?.ok, true);
      assert.type(healthy.body.store?.latencyMs, 'number');
      assert.is(healthy.body.fanout?.kind, 'redis');
      assert.is(healthy.body.fanout?.ok, true);
      assert.is(healthy.body.fanout?.subscribed, true);
      assert.is((await getJson(port, '/readyz')).status, 200);

      await redis.stop();
      const down = await pollUntil(port, '/healthz', (status) => status !== 200);
      assert.is(down.status, 503);
      assert.is(down.body.fanout?.kind, 'redis');
      assert.is(down.body.fanout?.ok, false);
      assert.ok(down.body.fanout?.error, 'says why');
      assert.is(down.body.store?.ok, true, 'the database is fine');
      const notReady = await getJson(port, '/readyz');
      assert.is(notReady.status, 503);
      assert.match(String(notReady.body.reason), /redis/);

      await redis.restart();
      assert.is((await pollUntil(port, '/healthz', (status) => status === 200)).status, 200, 'healthy again');
      assert.is((await pollUntil(port, '/readyz', (status) => status === 200)).status, 200, 'ready again');
    } finally {
      await relay.close();
    }
  });

  test('PostgreSQL not answering: /healthz 503 naming postgres within the timeout; answering again: 200', async () => {
    const url = await postgres.freshSchemaUrl();
    const relay = await startTestRelay({ databaseUrl: url, redisUrl: redis.url });
    const admin = new pg.Client({ connectionString: postgres.url });
    await admin.connect();
    const dataDir = (
      await admin.query<{ setting: string }>("SELECT setting FROM pg_settings WHERE name = 'data_directory'")
    ).rows[0]!.setting;
    const postmaster = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    try {
      const port = relay.running.port;
      assert.is((await getJson(port, '/healthz')).status, 200);
      // The pool's open connections are closed and the postmaster paused: a new connection hangs.
      await admin.query(
        'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND datname IS NOT NULL',
      );
      process.kill(postmaster, 'SIGSTOP');
      await new Promise((next) => setTimeout(next, HEALTH_CACHE_MS));
      const started = Date.now();
      const down = await getJson(port, '/healthz');
      assert.ok(Date.now() - started < 2500, `answered in ${Date.now() - started} ms, bounded by the 1 s check`);
      assert.is(down.status, 503);
      assert.is(down.body.store?.kind, 'postgres');
      assert.is(down.body.store?.ok, false);
      assert.match(down.body.store?.error ?? '', /no answer within 1000 ms/);
      assert.is((await getJson(port, '/readyz')).status, 200, 'still takes traffic: clients keep their edits and wait');
      process.kill(postmaster, 'SIGCONT');
      assert.is((await pollUntil(port, '/healthz', (status) => status === 200)).status, 200, 'healthy again');
    } finally {
      process.kill(postmaster, 'SIGCONT');
      await admin.end().catch(() => {});
      await relay.close();
    }
  });

  test.after(() => services.stop());
  test.run();
}

/**
 * ServerHealth and boundedProbe: a /healthz flood asks the database once per cache period, a
 * database that hangs is reported within the timeout and is not handed a second query while
 * the first still hangs, and /readyz follows shutdown and the Redis subscription.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { alwaysOkProbe, boundedProbe } from '../../../sync-server/health/health-probe.ts';
import { ServerHealth } from '../../../sync-server/health/server-health.ts';

test('a flood of /healthz asks the store once per cache period, concurrent requests sharing one check', async () => {
  let asked = 0;
  let clock = 0;
  const health = new ServerHealth({
    startedAt: 0,
    now: () => clock,
    cacheMs: 1000,
    store: boundedProbe('postgres', async () => void asked++, 1000),
    fanout: alwaysOkProbe('local'),
  });
  const answers = await Promise.all(Array.from({ length: 500 }, () => health.report()));
  assert.is(asked, 1, 'one check for 500 concurrent requests');
  assert.ok(answers.every((answer) => answer.ok && answer.store.kind === 'postgres'));
  clock = 999;
  await health.report();
  assert.is(asked, 1, 'still cached');
  clock = 1000;
  const later = await health.report();
  assert.is(asked, 2, 'asked again once the cache expired');
  assert.is(later.uptimeSeconds, 1);
});

test('a store that fails or hangs makes the report not ok, with the reason and within the timeout', async () => {
  let clock = 0;
  let mode: 'fail' | 'hang' | 'ok' = 'fail';
  let asked = 0;
  const hanging: (() => void)[] = [];
  const store = boundedProbe(
    'postgres',
    () => {
      asked++;
      if (mode === 'fail') return Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:5432'));
      if (mode === 'hang') return new Promise<void>((done) => hanging.push(done));
      return Promise.resolve();
    },
    100,
  );
  const health = new ServerHealth({
    startedAt: 0,
    now: () => clock,
    cacheMs: 1000,
    store,
    fanout: alwaysOkProbe('local'),
  });
  const failed = await health.report();
  assert.is(failed.ok, false);
  assert.is(failed.store.ok, false);
  assert.match(failed.store.error ?? '', /ECONNREFUSED/);

  mode = 'hang';
  clock += 1000;
  const started = performance.now();
  const hung = await health.report();
  assert.ok(performance.now() - started < 1000, 'answered near the 100 ms timeout, not after the hang');
  assert.is(hung.ok, false);
  assert.match(hung.store.error ?? '', /no answer within 100 ms/);
  clock += 1000;
  const again = await health.report();
  assert.is(asked, 2, 'no second query while the first still hangs');
  assert.match(again.store.error ?? '', /still waiting/);

  mode = 'ok';
  for (const done of hanging) done();
  await new Promise((next) => setTimeout(next, 0));
  clock += 1000;
  assert.is((await health.report()).ok, true, 'recovers once the database answers');
});

test('/readyz: not ready while shutting down or while the Redis reader is not subscribed', () => {
  let subscribed = false;
  const health = new ServerHealth({
    startedAt: 0,
    store: alwaysOkProbe('sqlite'),
    fanout: alwaysOkProbe('redis'),
    fanoutSubscribed: () => subscribed,
  });
  assert.equal(health.readiness(), { ready: false, reason: 'redis: not subscribed (reconnecting)' });
  subscribed = true;
  assert.equal(health.readiness(), { ready: true });
  health.beginShutdown();
  assert.equal(health.readiness(), { ready: false, reason: 'shutting down' });
});

test.run();

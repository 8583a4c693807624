/**
 * Behind a reverse proxy (MIXDESK_TRUST_PROXY=1) the per-address PIN limit counts each client by
 * the address the proxy appended to X-Forwarded-For, not every client as the proxy's one
 * address; without the setting the header is not believed (a client could pick any address).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { PIN_SEND_LIMITS } from '../../../sync-server/accounts/pin-sign-in.ts';
import { api, startAccountServer } from '../../support/account-harness.ts';

const LIMIT = PIN_SEND_LIMITS.perIp[0]!.count;

/** `count` PIN requests for distinct addresses with this X-Forwarded-For; their statuses. */
async function askPins(base: string, forwardedFor: string, count: number, from = 0): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = from; i < from + count; i++) {
    const asked = await api(
      base,
      'POST',
      '/api/auth/pin',
      { email: `user${i}@example.com` },
      { headers: { 'X-Forwarded-For': forwardedFor } },
    );
    statuses.push(asked.status);
  }
  return statuses;
}

test('with MIXDESK_TRUST_PROXY the PIN limit per address counts the proxy-appended X-Forwarded-For address', async () => {
  const server = await startAccountServer({ relay: { trustProxy: true } });
  try {
    // The client claims 198.51.100.7; the proxy appended the address it really saw, last.
    const first = await askPins(server.base, '198.51.100.7, 203.0.113.1', LIMIT + 1);
    assert.equal(first.slice(0, LIMIT), Array(LIMIT).fill(202));
    assert.is(first[LIMIT], 429, 'the limit holds for that client');
    assert.equal(
      await askPins(server.base, '203.0.113.2', 1, 100),
      [202],
      'another client behind the proxy is not affected',
    );
    assert.equal(
      await askPins(server.base, '203.0.113.2, 203.0.113.1', 1, 200),
      [429],
      'a forged earlier entry changes nothing',
    );
  } finally {
    await server.close();
  }
});

test('without MIXDESK_TRUST_PROXY, X-Forwarded-For is ignored', async () => {
  const server = await startAccountServer();
  try {
    await askPins(server.base, '203.0.113.1', LIMIT);
    assert.equal(await askPins(server.base, '203.0.113.99', 1, 100), [429], 'one peer, one limit, whatever it claims');
  } finally {
    await server.close();
  }
});

test.run();

/**
 * Friend requests are limited per account over a day (429 with a JSON error and Retry-After;
 * cancelling does not give a request back), and `mixdesk documents` lists an account's
 * documents with a personal API token, run as a real child process against the real server.
 */
import { execFile } from 'node:child_process';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { FRIEND_REQUEST_LIMIT } from '../../../sync-server/accounts/friend-routes.ts';
import { api, signIn, startAccountServer } from '../../support/account-harness.ts';
import { cliArgs } from '../../support/cli.ts';

/** Runs the CLI without blocking this process (the server under test lives in it). */
function runCli(args: string[], env: Record<string, string> = {}): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      cliArgs(...args),
      { env: { ...process.env, MIXDESK_TOKEN: '', MIXDESK_SERVER: '', ...env }, timeout: 60_000 },
      (error, out, err) => resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, out, err }),
    );
  });
}

test('friend requests: at most 20 a day per account, 429 with a JSON error; a cancelled request still counts; a day later it works again', async () => {
  const server = await startAccountServer();
  try {
    const ana = await signIn(server, 'ana@example.com');
    for (let i = 0; i < FRIEND_REQUEST_LIMIT.count; i++) {
      const sent = await api(server.base, 'POST', '/api/friends', { email: `friend${i}@example.com` }, { cookie: ana });
      assert.is(sent.status, 202, `request ${i + 1}`);
    }
    const outgoing = (await api(server.base, 'GET', '/api/friends', undefined, { cookie: ana })).body.outgoing;
    assert.is(
      (await api(server.base, 'DELETE', `/api/friends/${outgoing[0].id}`, undefined, { cookie: ana })).status,
      204,
    );
    const refused = await api(server.base, 'POST', '/api/friends', { email: 'one-more@example.com' }, { cookie: ana });
    assert.is(refused.status, 429);
    assert.is(refused.body.error, 'too-many-requests');
    assert.match(refused.body.message, /At most 20 friend requests a day/);
    assert.ok(Number(refused.headers.get('retry-after')) > 0, 'Retry-After says when');
    const ben = await signIn(server, 'ben@example.com');
    assert.is(
      (await api(server.base, 'POST', '/api/friends', { email: 'one-more@example.com' }, { cookie: ben })).status,
      202,
      'the limit is per account',
    );
    server.clock.now += FRIEND_REQUEST_LIMIT.windowMs + 1000;
    assert.is(
      (await api(server.base, 'POST', '/api/friends', { email: 'one-more@example.com' }, { cookie: ana })).status,
      202,
      'a day later',
    );
  } finally {
    await server.close();
  }
});

test('mixdesk documents lists the account and what is shared with it, with the token from MIXDESK_TOKEN or --token; a revoked token is refused', async () => {
  const server = await startAccountServer();
  try {
    const ana = await signIn(server, 'ana@example.com');
    const ben = await signIn(server, 'ben@example.com');
    const meta = { kind: 'console-config', tags: ['live'], notes: '', roomProfile: 'Stage A S6', updatedAt: 1 };
    await api(server.base, 'PUT', '/api/documents/friday-show', { ...meta, name: 'Friday show' }, { cookie: ana });
    await api(server.base, 'PUT', '/api/documents/bens-mix', { ...meta, name: "Ben's mix" }, { cookie: ben });
    await api(server.base, 'POST', '/api/friends', { email: 'ben@example.com' }, { cookie: ana });
    const incoming = (await api(server.base, 'GET', '/api/friends', undefined, { cookie: ben })).body.incoming;
    await api(server.base, 'POST', `/api/friends/${incoming[0].id}/accept`, undefined, { cookie: ben });
    await api(server.base, 'POST', '/api/documents/bens-mix/shares', { email: 'ana@example.com' }, { cookie: ben });
    const created = (await api(server.base, 'POST', '/api/tokens', { name: 'cli' }, { cookie: ana })).body;

    const listed = await runCli(['documents', '--server', server.base], { MIXDESK_TOKEN: created.token });
    assert.is(listed.code, 0, listed.err);
    assert.match(listed.out, /Your documents \(1\):\n.*Friday show .*friday-show/);
    assert.match(listed.out, /Shared with you \(1\):\n.*Ben's mix .*from ben@example\.com, read-only/);
    assert.not.match(listed.out, new RegExp(created.token), 'the token is never printed');

    const json = await runCli(['documents', '--server', server.base, '--token', created.token, '--json']);
    assert.is(json.code, 0, json.err);
    assert.equal(
      (JSON.parse(json.out) as { documents: { id: string }[] }).documents.map((d) => d.id),
      ['friday-show'],
    );

    const missing = await runCli(['documents', '--server', server.base]);
    assert.is(missing.code, 2);
    assert.match(missing.err, /no API token/);

    await api(server.base, 'DELETE', `/api/tokens/${created.id}`, undefined, { cookie: ana });
    const revoked = await runCli(['documents', '--server', server.base], { MIXDESK_TOKEN: created.token });
    assert.is(revoked.code, 1);
    assert.match(revoked.err, /refused the token/);
  } finally {
    await server.close();
  }
});

test.run();

/**
 * A revoke that lands while the friend's WebSocket upgrade is being authorized: the share was
 * still there when the access was read, so the upgrade would be accepted after the revoke had
 * already looked for (and not found) connections to close.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import WebSocket from 'ws';
import {
  AccessCloseCode,
  SESSION_COOKIE,
  SqliteAccountStore,
  type AccountStore,
} from '../../../sync-server/accounts/index.ts';
import { api, signIn, startAccountServer } from '../../support/account-harness.ts';

/**
 * The real SQLite store; `duringAuthorization` runs once, right after the store has answered
 * "shared" for an account and before that answer reaches the relay: the race, made certain.
 */
function racyStore(path: string): { store: AccountStore; duringAuthorization: { run: (() => Promise<void>) | null } } {
  const inner = new SqliteAccountStore(path, randomUUID);
  const hook: { run: (() => Promise<void>) | null } = { run: null };
  const store = new Proxy(inner, {
    get(target, prop) {
      if (prop === 'documentAccess')
        return async (docId: string, accountId: string | null) => {
          const answer = await target.documentAccess(docId, accountId);
          const run = hook.run;
          if (run && answer.kind === 'shared') {
            hook.run = null;
            await run();
          }
          return answer;
        };
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { store, duringAuthorization: hook };
}

/** Opens a raw upgrade; resolves with what became of it within `ms`: refused (status), closed (code) or still open. */
function fateOfUpgrade(url: string, headers: Record<string, string>, ms: number): Promise<string> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { headers });
    const timer = setTimeout(() => {
      ws.terminate();
      resolve('still open');
    }, ms);
    ws.on('unexpected-response', (_req, res) => {
      clearTimeout(timer);
      resolve(`refused ${res.statusCode}`);
      ws.terminate();
    });
    ws.on('close', (code) => {
      clearTimeout(timer);
      resolve(`closed ${code}`);
    });
    ws.on('error', () => {});
  });
}

test('Regression: a share revoked while the friend connects (between authorization and registration) still cuts them off within 1 s', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mixdesk-race-'));
  const { store, duringAuthorization } = racyStore(join(dir, 'accounts.sqlite'));
  const server = await startAccountServer({ accounts: { store } });
  try {
    const ana = await signIn(server, 'ana@example.com');
    const ben = await signIn(server, 'ben@example.com');
    await api(server.base, 'POST', '/api/friends', { email: 'ben@example.com' }, { cookie: ana });
    const request = (await api(server.base, 'GET', '/api/friends', undefined, { cookie: ben })).body.incoming[0];
    await api(server.base, 'POST', `/api/friends/${request.id}/accept`, undefined, { cookie: ben });
    const benId = (await api(server.base, 'GET', '/api/me', undefined, { cookie: ben })).body.id;
    const meta = { name: 'Show', kind: 'console-config', tags: [], notes: '', roomProfile: '', updatedAt: 1 };
    await api(server.base, 'PUT', '/api/documents/race-doc', meta, { cookie: ana });
    await api(server.base, 'POST', '/api/documents/race-doc/shares', { email: 'ben@example.com' }, { cookie: ana });

    let revokeStatus = 0;
    duringAuthorization.run = async () => {
      revokeStatus = (
        await api(server.base, 'DELETE', `/api/documents/race-doc/shares/${benId}`, undefined, { cookie: ana })
      ).status;
    };
    const fate = await fateOfUpgrade(
      `ws://127.0.0.1:${server.relay.running.port}/sync/race-doc`,
      { Origin: server.base, Cookie: `${SESSION_COOKIE}=${ben}` },
      1000,
    );
    assert.is(revokeStatus, 204, 'the revoke ran inside the handshake');
    assert.ok(
      fate === 'refused 403' || fate === `closed ${AccessCloseCode.revoked}`,
      `Ben must not stay connected after the revoke; the upgrade was ${fate}`,
    );
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();

import { test } from 'uvu';
import WebSocket from 'ws';
import * as assert from 'uvu/assert';
import * as authProtocol from 'y-protocols/auth';
import type { IncomingMessage } from 'node:http';
import {
  messageAuth,
  READ_ONLY_REASON,
  sameOriginAuthenticate,
  type AuthDecision,
} from '../../../sync-server/relay/index.ts';
import { tryUpgrade } from '../../support/http-probe.ts';
import { connectClient, destroyClients, startTestRelay, waitFor, waitSynced } from '../../support/relay-harness.ts';

test('bad document ids are refused at the upgrade with 400 and say what is wrong', async () => {
  const relay = await startTestRelay();
  try {
    const port = relay.running.port;
    const dot = await tryUpgrade(port, '/sync/bad.id');
    assert.is(dot.status, 400);
    assert.match(dot.body, "contains '.'");
    const long = await tryUpgrade(port, `/sync/${'a'.repeat(129)}`);
    assert.is(long.status, 400);
    assert.match(long.body, '129 characters');
    assert.is((await tryUpgrade(port, '/sync/')).status, 400);
    assert.is((await tryUpgrade(port, '/elsewhere')).status, 404);
    assert.is((await tryUpgrade(port, `/sync/${'a'.repeat(128)}`)).status, 101);
    assert.ok(relay.logs.some((r) => r.event === 'refused' && r.code === 400));
  } finally {
    await relay.close();
  }
});

test("by default a page from the server's own origin and non-browser clients are let in, other origins get 403", async () => {
  const relay = await startTestRelay();
  try {
    const port = relay.running.port;
    const host = `127.0.0.1:${port}`;
    assert.is((await tryUpgrade(port, '/sync/doc', { Origin: `http://${host}` })).status, 101);
    assert.is((await tryUpgrade(port, '/sync/doc')).status, 101);
    const foreign = await tryUpgrade(port, '/sync/doc', { Origin: 'https://evil.example' });
    assert.is(foreign.status, 403);
    assert.is((await tryUpgrade(port, '/sync/doc', { Origin: 'not a url' })).status, 403);
    assert.is((await fetch(`http://${host}/healthz`)).status, 200);
  } finally {
    await relay.close();
  }
});

test('a read-only connection receives every update, is told it is read-only, and its own edits are dropped', async () => {
  const viewerAuth = ({ request: req }: { request: IncomingMessage }): AuthDecision =>
    new URL(req.url ?? '/', 'http://x').searchParams.get('role') === 'viewer' ? 'read-only' : 'read-write';
  const relay = await startTestRelay({
    hooks: {
      onAuthenticate: (context) => (sameOriginAuthenticate(context) === 'refuse' ? 'refuse' : viewerAuth(context)),
    },
  });
  const editor = connectClient(relay.syncBase, 'ro-doc');
  const viewer = connectClient(relay.syncBase, 'ro-doc', { connect: false, params: { role: 'viewer' } });
  let deniedReason = '';
  viewer.provider.messageHandlers[messageAuth] = (_encoder, decoder) => {
    authProtocol.readAuthMessage(decoder, viewer.doc, (_doc, reason) => {
      deniedReason = reason;
    });
  };
  viewer.provider.connect();
  const later = connectClient(relay.syncBase, 'ro-doc', { connect: false });
  try {
    await Promise.all([waitSynced(editor), waitSynced(viewer)]);
    await waitFor('read-only notice', () => deniedReason === READ_ONLY_REASON);
    editor.doc.getArray<string>('strips').push(['from editor']);
    await waitFor("viewer receives the editor's update", () => viewer.doc.getArray('strips').length === 1);
    viewer.doc.getArray<string>('strips').push(['from viewer']);
    editor.doc.getArray<string>('strips').push(['second from editor']);
    await waitFor('viewer receives the second update', () => viewer.doc.getArray('strips').length === 3);
    await new Promise((next) => setTimeout(next, 150));
    assert.equal(editor.doc.getArray('strips').toArray(), ['from editor', 'second from editor']);
    later.provider.connect();
    await waitSynced(later);
    assert.equal(
      later.doc.getArray('strips').toArray(),
      ['from editor', 'second from editor'],
      'the dropped edit was not stored either',
    );
  } finally {
    destroyClients([editor, viewer, later]);
    await relay.close();
  }
});

test('hooks run in order: connect, authenticate, load, change, disconnect, store on unload', async () => {
  const calls: string[] = [];
  const relay = await startTestRelay({
    hooks: {
      onConnect: ({ docId }) => {
        calls.push(`connect ${docId}`);
      },
      onAuthenticate: () => {
        calls.push('authenticate');
        return 'read-write';
      },
      onLoadDocument: ({ document }) => {
        calls.push('load');
        if (!document.getMap('meta').has('created')) document.getMap('meta').set('created', 'by hook');
      },
      onChange: ({ update }) => {
        calls.push(`change ${update.byteLength > 0}`);
      },
      onDisconnect: ({ code }) => {
        calls.push(`disconnect ${code}`);
      },
      onStoreDocument: ({ document }) => {
        calls.push(`store ${document.getArray('strips').length}`);
      },
    },
    relay: { unloadAfterMs: 50 },
  });
  const client = connectClient(relay.syncBase, 'hooked');
  try {
    await waitSynced(client);
    assert.is(client.doc.getMap('meta').get('created'), 'by hook', 'changes made in onLoadDocument reach clients');
    client.doc.getArray<string>('strips').push(['s']);
    await waitFor('onChange', () => calls.includes('change true'));
    client.provider.destroy();
    await waitFor('document stored on unload', () => calls.some((c) => c.startsWith('store')));
    assert.equal(calls.slice(0, 3), ['connect hooked', 'authenticate', 'load']);
    assert.ok(calls.indexOf('store 1') > calls.findIndex((c) => c.startsWith('disconnect')));
  } finally {
    client.doc.destroy();
    await relay.close();
  }
});

test('an onConnect hook that throws refuses the connection with 403 and its message', async () => {
  const relay = await startTestRelay({
    hooks: {
      onConnect: () => {
        throw new Error('maintenance');
      },
    },
  });
  try {
    const answer = await tryUpgrade(relay.running.port, '/sync/doc');
    assert.is(answer.status, 403);
    assert.match(answer.body, 'maintenance');
  } finally {
    await relay.close();
  }
});

test('a failing onLoadDocument closes that connection with 1011 and the next connection loads again', async () => {
  let failures = 1;
  const relay = await startTestRelay({
    hooks: {
      onLoadDocument: () => {
        if (failures-- > 0) throw new Error('backend down');
      },
    },
  });
  try {
    const ws = new WebSocket(`${relay.syncBase}/flaky`);
    const code = await new Promise<number>((done) => ws.once('close', (c) => done(c)));
    assert.is(code, 1011);
    assert.ok(relay.logs.some((r) => r.event === 'error' && r.reason?.includes('backend down')));
    const client = connectClient(relay.syncBase, 'flaky');
    await waitSynced(client);
    destroyClients([client]);
  } finally {
    await relay.close();
  }
});

test.run();

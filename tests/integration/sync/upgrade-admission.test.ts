/**
 * Upgrade admission (sync-server/relay/upgrade-admission.ts): a crowd connecting at once does
 * not hold the relay's event loop, every socket of it still opens, and the queue is ordered,
 * skips sockets that went away and is bounded.
 */
import { spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { makeUpgradeAdmission, UPGRADES_PER_TURN } from '../../../sync-server/relay/upgrade-admission.ts';
import { startTestRelay } from '../../support/relay-harness.ts';

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Opens `count` WebSockets at once from another process (so their work is not this loop's) and reports how many opened. */
function crowd(url: string, count: number): Promise<number> {
  const script = `
    const WebSocket = require('ws');
    let opened = 0, settled = 0;
    const sockets = [];
    for (let i = 0; i < ${count}; i++) {
      const ws = new WebSocket(${JSON.stringify(url)} + '/crowd-' + (i % 100));
      sockets.push(ws);
      const done = (ok) => { opened += ok; if (++settled === ${count}) { console.log('OPENED ' + opened); for (const s of sockets) s.terminate(); } };
      ws.once('open', () => done(1));
      ws.once('error', () => done(0));
    }`;
  const child = spawn(process.execPath, ['-e', script], { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  return new Promise((resolve) => child.on('exit', () => resolve(Number(/OPENED (\d+)/.exec(out)?.[1] ?? -1))));
}

// Regression: upgrades arriving in one burst were all started in the poll that read them, so
// 300 sockets connecting at once held the event loop for all 300 handshakes, authentications
// and opening frames while every other client waited.
test('300 sockets connecting at once all open, at most UPGRADES_PER_TURN started per event-loop turn', async () => {
  let thisTurn = 0;
  let most = 0;
  let ticking = true;
  const tick = () => {
    most = Math.max(most, thisTurn);
    thisTurn = 0;
    if (ticking) setImmediate(tick);
  };
  const relay = await startTestRelay({
    hooks: { onConnect: () => void thisTurn++ },
    relay: { logger: () => {}, unloadAfterMs: 60_000 },
  });
  try {
    await crowd(relay.syncBase, 20); // warm the code paths
    thisTurn = 0;
    const delay = monitorEventLoopDelay({ resolution: 1 });
    delay.enable();
    tick();
    const opened = await crowd(relay.syncBase, 300);
    ticking = false;
    delay.disable();
    assert.is(opened, 300);
    console.log(
      `  most upgrades started in one turn: ${most}; longest event-loop delay: ${(delay.max / 1e6).toFixed(1)} ms`,
    );
    assert.ok(most <= UPGRADES_PER_TURN, `${most} upgrades started in one event-loop turn`);
  } finally {
    ticking = false;
    await relay.close();
  }
});

/** A stand-in socket: the admission only listens for errors and reads `destroyed`. */
const fakeSocket = () =>
  Object.assign(new EventEmitter(), { destroyed: false }) as unknown as Duplex & { destroyed: boolean };
const fakeRequest = (n: number) => ({ url: `/sync/d${n}` }) as IncomingMessage;

test('upgrades past the per-turn budget start in later turns, in order; gone sockets are skipped; the queue is bounded', async () => {
  const started: string[] = [];
  const refused: string[] = [];
  const admission = makeUpgradeAdmission(
    (request) => started.push(request.url!),
    (request) => refused.push(request.url!),
    3,
    4,
  );
  const sockets = Array.from({ length: 9 }, fakeSocket);
  sockets.forEach((socket, n) => admission.admit(fakeRequest(n), socket, Buffer.alloc(0)));
  assert.equal(started, ['/sync/d0', '/sync/d1', '/sync/d2'], 'three start in the turn they arrive');
  assert.equal(refused, ['/sync/d7', '/sync/d8'], 'past four waiting, refused at once');
  assert.is(admission.waiting(), 4);
  sockets[4]!.destroyed = true; // the client went away while waiting
  assert.ok(sockets[4]!.listenerCount('error') > 0, 'a waiting socket has an error listener');
  await turn(); // this turn's budget went to the three that started at once
  assert.is(started.length, 3);
  await turn();
  assert.equal(started.slice(3), ['/sync/d3', '/sync/d5', '/sync/d6']);
  assert.is(admission.waiting(), 0);
  await turn();
  await turn();
  // A lone connection in a quiet turn starts at once.
  admission.admit(fakeRequest(99), fakeSocket(), Buffer.alloc(0));
  assert.is(started[started.length - 1], '/sync/d99');
});

test.run();

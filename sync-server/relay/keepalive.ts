/**
 * Keepalive: every connection is pinged once per interval, and one that has not answered the
 * previous ping by then is dropped (a peer gone without a close: a laptop lid, a dead NAT entry).
 *
 * The connections are pinged in KEEPALIVE_GROUPS groups, one group per slice of the interval,
 * not all in one task: a single sweep wrote one ping per connection at once and then read the
 * pongs back in a burst, which at 500 connections held the event loop for milliseconds every
 * interval and at ten thousand for a large part of a second, delaying every update in flight.
 */
import type { WebSocket } from 'ws';

/** Groups pinged in turn; each gets its ping one slice (interval / groups) after the previous. */
export const KEEPALIVE_GROUPS = 10;

export interface Keepalive {
  /** Starts watching a connection (call when it opens). */
  add(ws: WebSocket): void;
  /** Stops watching it (call when it closes). */
  remove(ws: WebSocket): void;
  stop(): void;
}

export function startKeepalive(intervalMs: number): Keepalive {
  const groups = Array.from({ length: KEEPALIVE_GROUPS }, () => new Set<WebSocket>());
  const answered = new WeakSet<WebSocket>();
  const groupOf = new WeakMap<WebSocket, Set<WebSocket>>();
  let next = 0;
  let added = 0;
  const timer = setInterval(
    () => {
      const group = groups[next]!;
      next = (next + 1) % groups.length;
      for (const ws of group) {
        if (!answered.has(ws)) {
          group.delete(ws);
          ws.terminate();
          continue;
        }
        answered.delete(ws);
        ws.ping();
      }
    },
    Math.max(1, Math.floor(intervalMs / KEEPALIVE_GROUPS)),
  );
  timer.unref();
  const onPong = function (this: WebSocket) {
    answered.add(this);
  };
  return {
    add(ws) {
      // Round robin keeps the groups even as connections come and go.
      const group = groups[added++ % groups.length]!;
      group.add(ws);
      groupOf.set(ws, group);
      answered.add(ws);
      ws.on('pong', onPong);
    },
    remove(ws) {
      groupOf.get(ws)?.delete(ws);
      groupOf.delete(ws);
    },
    stop() {
      clearInterval(timer);
    },
  };
}

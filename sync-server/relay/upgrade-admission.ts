/**
 * Upgrade admission: how many WebSocket upgrades the relay starts per event-loop turn.
 *
 * Why: a connection costs the relay a fraction of a millisecond to start (the handshake, the
 * authentication hooks, a document load, the opening frames), and a crowd connecting at once
 * arrives in one poll of the event loop: 250 sockets in one burst held it for 50-100 ms
 * (bench:hostile's sockets attack), and every other client waited that long. Here at most
 * `perTurn` upgrades start in one turn; the rest wait in order for the next turns, with the
 * other clients' messages read in between. One connection now and then starts at once.
 *
 * Bounded: past `maxWaiting` waiting upgrades a new one is refused at once (503), and a socket
 * that closes while it waits is skipped. A waiting socket has an error listener, so a reset
 * from the client cannot surface as an unhandled 'error' event.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';

export interface UpgradeAdmission {
  /** Starts the upgrade now, or after those waiting before it. */
  admit(request: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Upgrades waiting for their turn. */
  waiting(): number;
}

/** A few milliseconds of work per turn on a slow machine; thousands of upgrades a second when idle. */
export const UPGRADES_PER_TURN = 16;
/** Far more than a studio connects at once; a flood past it gets 503 rather than memory. */
export const MAX_WAITING_UPGRADES = 10_000;

type Upgrade = [request: IncomingMessage, socket: Duplex, head: Buffer];

export function makeUpgradeAdmission(
  start: (...upgrade: Upgrade) => void,
  refuse: (request: IncomingMessage, socket: Duplex) => void,
  perTurn = UPGRADES_PER_TURN,
  maxWaiting = MAX_WAITING_UPGRADES,
): UpgradeAdmission {
  const queue: Upgrade[] = [];
  let head = 0;
  // A turn of the event loop is a poll (I/O callbacks: an upgrade may start there at once) and
  // then the check phase (setImmediate: waiting upgrades start there). The two counts keep any
  // poll and the check phase either side of it to `perTurn` starts together.
  /** Upgrades started in the last check phase. */
  let inCheck = 0;
  /** Upgrades started at once since then (in the poll that follows it). */
  let inPoll = 0;
  let turnScheduled = false;

  const nextTurn = () => {
    turnScheduled = false;
    const budget = perTurn - inPoll;
    inCheck = 0;
    while (head < queue.length && inCheck < budget) {
      const upgrade = queue[head]!;
      queue[head++] = undefined as unknown as Upgrade; // let the waiting request go
      if (upgrade[1].destroyed) continue;
      inCheck++;
      start(...upgrade);
    }
    inPoll = 0;
    if (head === queue.length) {
      queue.length = 0;
      head = 0;
    }
    scheduleTurn();
  };

  const scheduleTurn = () => {
    if (turnScheduled || (inCheck === 0 && inPoll === 0 && head === queue.length)) return;
    turnScheduled = true;
    setImmediate(nextTurn);
  };

  return {
    admit(request, socket, bytes) {
      socket.on('error', () => {}); // a reset while waiting (or later) is the client's business
      if (head === queue.length && inCheck + inPoll < perTurn) {
        inPoll++;
        scheduleTurn();
        start(request, socket, bytes);
        return;
      }
      if (queue.length - head >= maxWaiting) {
        refuse(request, socket);
        return;
      }
      queue.push([request, socket, bytes]);
      scheduleTurn();
    },
    waiting: () => queue.length - head,
  };
}

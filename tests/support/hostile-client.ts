/**
 * Raw y-websocket frames for hostile-client tests: a plain `ws` socket that speaks the relay's
 * protocol byte by byte (so it can lie), and the frame builders it sends.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import WebSocket from 'ws';
import * as Y from 'yjs';

export interface RawClient {
  ws: WebSocket;
  /** Every binary frame received so far. */
  received: Uint8Array[];
  /** Resolves with the close code. */
  closed: Promise<number>;
  send(frame: Uint8Array | string): void;
}

/** Opens a raw socket to `<syncBase>/<docId>` (with extra upgrade `headers`) and resolves once it is open. */
export function openRaw(syncBase: string, docId: string, headers: Record<string, string> = {}): Promise<RawClient> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${syncBase}/${docId}`, { headers });
    const received: Uint8Array[] = [];
    const closed = new Promise<number>((done) => ws.once('close', (code) => done(code)));
    ws.on('message', (data: Buffer) => received.push(new Uint8Array(data)));
    ws.once('open', () => {
      ws.on('error', () => {});
      resolve({
        ws,
        received,
        closed,
        send(frame) {
          if (ws.readyState === ws.OPEN) ws.send(frame, { binary: typeof frame !== 'string' });
        },
      });
    });
    ws.once('error', reject);
  });
}

/** The close code, or a failure naming `what` when the socket is still open after `timeoutMs`. */
export function closedWithin(
  client: RawClient,
  timeoutMs: number,
  what = 'the connection to be closed',
): Promise<number> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    client.closed,
    new Promise<never>((_, fail) => {
      timer = setTimeout(() => fail(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)), timeoutMs);
    }),
  ]).finally(() => clearTimeout(timer));
}

function frame(write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder();
  write(encoder);
  return encoding.toUint8Array(encoder);
}

/** `[0 sync][2 update]<update>` */
export function updateFrame(update: Uint8Array): Uint8Array {
  return frame((e) => {
    encoding.writeVarUint(e, 0);
    syncProtocol.writeUpdate(e, update);
  });
}

export interface RawPresence {
  clientId: number;
  clock: number;
  json: string;
}

/** `[1 awareness]<update>` with the given entries, the state JSON written as is. */
export function presenceFrame(entries: RawPresence[]): Uint8Array {
  return frame((e) => {
    encoding.writeVarUint(e, 1);
    encoding.writeVarUint8Array(
      e,
      frame((inner) => {
        encoding.writeVarUint(inner, entries.length);
        for (const { clientId, clock, json } of entries) {
          encoding.writeVarUint(inner, clientId);
          encoding.writeVarUint(inner, clock);
          encoding.writeVarString(inner, json);
        }
      }),
    );
  });
}

/** The presence entries of every awareness frame `client` received, in order. */
export function receivedPresence(client: RawClient): { clientId: number; state: unknown }[] {
  const out: { clientId: number; state: unknown }[] = [];
  for (const data of client.received) {
    const decoder = decoding.createDecoder(data);
    if (decoding.readVarUint(decoder) !== 1) continue;
    const inner = decoding.createDecoder(decoding.readVarUint8Array(decoder));
    const count = decoding.readVarUint(inner);
    for (let i = 0; i < count; i++) {
      const clientId = decoding.readVarUint(inner);
      decoding.readVarUint(inner);
      out.push({ clientId, state: JSON.parse(decoding.readVarString(inner)) as unknown });
    }
  }
  return out;
}

/** `[[[…]]]` nested `depth` deep. */
export function nestedJson(depth: number): string {
  return '['.repeat(depth) + ']'.repeat(depth);
}

/** One valid frame of each kind (sync step 1, step 2, update, awareness), to be damaged. */
export function validMessages(): Uint8Array[] {
  const doc = new Y.Doc();
  doc.getArray<string>('strips').push(['x', 'y']);
  doc.getMap('keys').set('k', 'v');
  const frames: Uint8Array[] = [];
  const frame = (write: (e: encoding.Encoder) => void) => {
    const e = encoding.createEncoder();
    write(e);
    frames.push(encoding.toUint8Array(e));
  };
  frame((e) => {
    encoding.writeVarUint(e, 0);
    syncProtocol.writeSyncStep1(e, doc);
  });
  frame((e) => {
    encoding.writeVarUint(e, 0);
    syncProtocol.writeSyncStep2(e, doc);
  });
  frame((e) => {
    encoding.writeVarUint(e, 0);
    syncProtocol.writeUpdate(e, Y.encodeStateAsUpdate(doc));
  });
  const awareness = new awarenessProtocol.Awareness(doc);
  awareness.setLocalState({ user: { name: 'fuzz' } });
  frame((e) => {
    encoding.writeVarUint(e, 1);
    encoding.writeVarUint8Array(e, awarenessProtocol.encodeAwarenessUpdate(awareness, [doc.clientID]));
  });
  awareness.destroy();
  return frames;
}

/** One malformed frame: random bytes, a truncated valid frame, a corrupted valid frame, or a lying length. */
export function malformedFrame(random: () => number, valid: Uint8Array[]): Uint8Array | string {
  const pick = <T>(list: T[]): T => list[Math.floor(random() * list.length)]!;
  const base = pick(valid);
  switch (Math.floor(random() * 6)) {
    case 0:
      return Uint8Array.from({ length: Math.floor(random() * 64) }, () => Math.floor(random() * 256));
    case 1:
      return base.slice(0, 1 + Math.floor(random() * (base.length - 1)));
    case 2: {
      const copy = base.slice();
      for (let i = 0; i < 1 + random() * 4; i++) copy[Math.floor(random() * copy.length)] = Math.floor(random() * 256);
      return copy;
    }
    case 3:
      return Uint8Array.from([0, Math.floor(random() * 3), 0xff, 0xff, 0xff, 0xff, 0x0f, 1, 2, 3]);
    case 4:
      return Uint8Array.from([4 + Math.floor(random() * 250)]);
    default:
      return random() < 0.5 ? 'not binary' : new Uint8Array(0);
  }
}

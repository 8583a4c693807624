/**
 * makeRelay: the y-websocket relay at `/sync/<docId>`, to be attached to an HTTP server's
 * `upgrade` event. It validates the document id, runs onConnect/onAuthenticate before the
 * WebSocket handshake (refusals are plain HTTP answers: 400 bad id, 403 refused, 404 other
 * path, 503 closing), loads documents on first use through DocPersistence, and unloads them
 * `unloadAfterMs` after their last connection closed.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { parseSyncPath } from './doc-id.ts';
import { InProcessFanout, type Fanout } from './fanout.ts';
import { sameOriginAuthenticate, type AccessLevel, type RelayHooks, type UpgradeContext } from './hooks.ts';
import { startKeepalive } from './keepalive.ts';
import { jsonLineLogger, type RelayLogger } from './logger.ts';
import { DEFAULT_PENDING_LIMITS, type PendingLimits } from './pending-guard.ts';
import type { DocPersistence } from './persistence.ts';
import { presenceIdentity } from './presence-identity.ts';
import { DEFAULT_PRESENCE_LIMITS, type PresenceLimits } from './presence-update.ts';
import { CloseCode } from './protocol.ts';
import { DEFAULT_RATE_LIMIT, RelayConnection, type RateLimit } from './relay-connection.ts';
import { RelayDocument, type DocumentServices } from './relay-document.ts';
import { StoreCheck } from './store-check.ts';
import { DEFAULT_UPDATE_LIMITS, type UpdateLimits } from './update-slices.ts';
import { makeUpgradeAdmission } from './upgrade-admission.ts';

export interface RelayOptions {
  /** Where documents live; the relay closes it when it closes. */
  persistence: DocPersistence;
  hooks?: RelayHooks;
  /** Defaults to an InProcessFanout. */
  fanout?: Fanout;
  /** Defaults to one JSON line per record on stdout. */
  logger?: RelayLogger;
  /** How long a document with no connection stays in memory (default 30 s). */
  unloadAfterMs?: number;
  /** Largest accepted frame (default 16 MiB); larger ones close the connection with 1009. */
  maxMessageBytes?: number;
  rateLimit?: Partial<RateLimit>;
  /** Presence (awareness) bounds per connection and per state. */
  presenceLimits?: Partial<PresenceLimits>;
  /** How much unintegrated (pending) update data a document may hold, and for how long. */
  pendingLimits?: Partial<PendingLimits>;
  /** Structs per update, and per event-loop turn when a large one is applied in slices. */
  updateLimits?: Partial<UpdateLimits>;
  /** WebSocket ping interval to drop dead peers (default 30 s). */
  pingIntervalMs?: number;
  /**
   * With a store shared by several processes: how often each loaded document is compared with
   * the store and repaired from it (store-check.ts). Default: never (one process, nothing to miss).
   */
  storeCheckIntervalMs?: number;
}

export interface Relay {
  /** Handler for `server.on('upgrade', …)`. */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Ids of the documents currently in memory. */
  loadedDocuments(): string[];
  /** Number of open connections. */
  connectionCount(): number;
  /** The open connections, each as its document and upgrade request (to re-check their access). */
  connections(): UpgradeContext[];
  /**
   * Closes the connections to `docId` whose upgrade request `which` picks (access revoked):
   * `code` 4400-4499 tells a stock y-websocket client not to reconnect. Returns how many closed.
   */
  closeConnections(docId: string, which: (context: UpgradeContext) => boolean, code: number, reason: string): number;
  /**
   * Applies to the loaded copy of `docId` what the store holds and it lacks (the fan-out may
   * have missed updates another process stored: `why` says how it knows), sending what was
   * new to its connections. Resolves false when the document is not loaded (its next load
   * reads the store anyway).
   */
  repair(docId: string, why: string): Promise<boolean>;
  /** Closes every connection (1001, clients reconnect), stores and unloads every document, closes persistence. */
  close(): Promise<void>;
}

export const MAX_MESSAGE_BYTES = 16 * 1024 * 1024;
/** How long a client that broke the protocol has to read the close frame before its socket is dropped. */
const PROTOCOL_ERROR_GRACE_MS = 1000;

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  403: 'Forbidden',
  404: 'Not Found',
  503: 'Service Unavailable',
};

function refuseUpgrade(socket: Duplex, status: number, reason: string): void {
  const body = `${reason}\n`;
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? 'Error'}\r\nContent-Type: text/plain; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

export function makeRelay(options: RelayOptions): Relay {
  const log = options.logger ?? jsonLineLogger;
  const hooks = options.hooks ?? {};
  const authenticate = hooks.onAuthenticate ?? sameOriginAuthenticate;
  const unloadAfterMs = options.unloadAfterMs ?? 30_000;
  const rateLimit = { ...DEFAULT_RATE_LIMIT, ...options.rateLimit };
  const updateLimits = { ...DEFAULT_UPDATE_LIMITS, ...options.updateLimits };
  const processTag = `${process.pid.toString(36)}.${Date.now().toString(36)}`;
  const services: DocumentServices = {
    persistence: options.persistence,
    fanout: options.fanout ?? new InProcessFanout(),
    hooks,
    log,
    relayOrigin: `${processTag}:relay`,
    presenceLimits: { ...DEFAULT_PRESENCE_LIMITS, ...options.presenceLimits },
    pendingLimits: { ...DEFAULT_PENDING_LIMITS, ...options.pendingLimits },
  };
  // No permessage-deflate (ws's default, said here because wire-frame.ts relies on it): shared
  // frames are written beside ws, which is sound only while ws never queues a frame.
  const wss = new WebSocketServer({
    noServer: true,
    perMessageDeflate: false,
    maxPayload: options.maxMessageBytes ?? MAX_MESSAGE_BYTES,
  });
  const documents = new Map<string, Promise<RelayDocument>>();
  const unloading = new Map<string, Promise<void>>();
  const unloadTimers = new Map<string, NodeJS.Timeout>();
  const connections = new Set<RelayConnection>();
  /** Open connections per document, counted from the handshake (before the document is loaded). */
  const users = new Map<string, number>();
  const upgradeRequests = new WeakMap<RelayConnection, IncomingMessage>();
  let serial = 0;
  let closing = false;

  async function repair(docId: string, why: string): Promise<boolean> {
    const loading = documents.get(docId);
    if (!loading) return false;
    const document = await loading;
    const changed = await document.repairFromStore();
    if (changed) log({ event: 'repaired', docId, reason: why });
    return true;
  }

  const storeCheck =
    options.storeCheckIntervalMs === undefined
      ? null
      : new StoreCheck(
          {
            loaded: () => [...documents.keys()],
            fingerprint: async (docId) => {
              const size = await options.persistence.logSize(docId);
              return `${size.updates}/${size.bytes}`;
            },
            repair: async (docId) => void (await repair(docId, 'periodic check against the store')),
            onError: (docId, error) =>
              log({ event: 'error', docId, reason: `checking against the store failed: ${String(error)}` }),
          },
          options.storeCheckIntervalMs,
        );

  const keepalive = startKeepalive(options.pingIntervalMs ?? 30_000);

  function getDocument(docId: string): Promise<RelayDocument> {
    const timer = unloadTimers.get(docId);
    if (timer) {
      clearTimeout(timer);
      unloadTimers.delete(docId);
    }
    let loading = documents.get(docId);
    if (!loading) {
      const previous = unloading.get(docId) ?? Promise.resolve();
      loading = previous.then(() => RelayDocument.load(docId, services, () => dropBroken(docId)));
      documents.set(docId, loading);
      loading.catch(() => documents.delete(docId));
    }
    return loading;
  }

  /** Takes a document out of memory; a later connection loads it again from storage. */
  function unload(docId: string): Promise<void> {
    const loading = documents.get(docId);
    if (!loading) return unloading.get(docId) ?? Promise.resolve();
    documents.delete(docId);
    const done = loading
      .then(
        (doc) => doc.unload(),
        () => {},
      )
      .finally(() => {
        if (unloading.get(docId) === done) unloading.delete(docId);
      });
    unloading.set(docId, done);
    return done;
  }

  /** A document failed (storage, or its own handling): close its connections and drop it from memory. */
  function dropBroken(docId: string): void {
    void documents.get(docId)?.then(
      (doc) => doc.closeAll(CloseCode.internalError, 'document failure'),
      () => {},
    );
    void unload(docId);
  }

  function scheduleUnload(docId: string): void {
    if (closing || unloadTimers.has(docId)) return;
    const timer = setTimeout(() => {
      unloadTimers.delete(docId);
      if ((users.get(docId) ?? 0) === 0) void unload(docId);
    }, unloadAfterMs);
    unloadTimers.set(docId, timer);
  }

  function attach(
    ws: WebSocket,
    request: IncomingMessage,
    docId: string,
    access: AccessLevel,
    identity: string | null,
  ): void {
    const n = ++serial;
    const connection = new RelayConnection(
      `${processTag}:${n}`,
      n,
      docId,
      access,
      ws,
      request.socket,
      rateLimit,
      log,
      updateLimits,
      identity,
    );
    connections.add(connection);
    upgradeRequests.set(connection, request);
    users.set(docId, (users.get(docId) ?? 0) + 1);
    keepalive.add(ws);
    log({ event: 'connect', docId, connection: n, access, remote: request.socket.remoteAddress ?? '' });
    getDocument(docId).then(
      (document) => connection.attach(document),
      (error: unknown) =>
        connection.close(CloseCode.internalError, `loading the document failed: ${String(error)}`, true),
    );
    /** Socket callbacks run outside any try: an error in them is logged and closes this connection only. */
    const contained =
      <A extends unknown[]>(what: string, handler: (...args: A) => void) =>
      (...args: A) => {
        try {
          handler(...args);
        } catch (error) {
          log({ event: 'error', docId, connection: n, reason: `${what} failed: ${String(error)}` });
          connection.close(CloseCode.internalError, `${what} failed`, false);
        }
      };
    ws.on(
      'message',
      contained('handling a frame', (data: Buffer, isBinary: boolean) =>
        connection.receive(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), isBinary),
      ),
    );
    ws.on('error', (error: Error & { code?: string }) => {
      log({ event: 'error', docId, connection: n, reason: `${error.code ?? 'socket error'}: ${error.message}` });
      // A frame ws refused (over maxPayload, bad opcode, bad UTF-8): ws has written its close
      // frame (1009, 1002...) and would then read and throw away everything the client still
      // sends until it answers the close: up to 16 MB per oversized frame, which under
      // bench:hostile's oversized attack was the honest clients' p99. Instead the socket stops
      // being read (the client's sends stall in TCP flow control, costing the relay nothing) and
      // is dropped after a grace period in which the client reads the close frame and its code.
      if (error.code?.startsWith('WS_ERR_'))
        setImmediate(() => {
          request.socket.pause();
          setTimeout(() => ws.terminate(), PROTOCOL_ERROR_GRACE_MS).unref();
        });
    });
    ws.on(
      'close',
      contained('closing', (code: number, reasonBuffer: Buffer) => {
        keepalive.remove(ws);
        connection.socketClosed();
        connections.delete(connection);
        const left = (users.get(docId) ?? 1) - 1;
        if (left > 0) users.set(docId, left);
        else users.delete(docId);
        const reason = reasonBuffer.toString();
        if (left <= 0) scheduleUnload(docId);
        log({ event: 'disconnect', docId, connection: n, code, reason, durationMs: Date.now() - connection.openedAt });
        Promise.resolve(hooks.onDisconnect?.({ docId, connectionId: connection.id, access, code, reason })).catch(
          (error) => log({ event: 'error', docId, connection: n, reason: `onDisconnect failed: ${String(error)}` }),
        );
      }),
    );
  }

  async function upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const parsed = parseSyncPath(request.url);
    const refuse = (status: number, reason: string, docId?: string) => {
      log({ event: 'refused', docId, code: status, reason, remote: request.socket.remoteAddress ?? '' });
      refuseUpgrade(socket, status, reason);
    };
    if (parsed.kind === 'not-sync') return refuse(404, 'WebSocket connections are served at /sync/<docId> only');
    if (parsed.kind === 'bad-doc-id') return refuse(400, `bad document id: ${parsed.reason}`);
    if (closing) return refuse(503, 'relay is shutting down', parsed.docId);
    const context = { docId: parsed.docId, request };
    let access: AccessLevel;
    let identity: string | null;
    try {
      await hooks.onConnect?.(context);
      const decision = await authenticate(context);
      if (decision === 'refuse') return refuse(403, 'connection refused by authentication', parsed.docId);
      access = decision;
      identity = presenceIdentity(await hooks.identify?.(context), request.url);
    } catch (error) {
      return refuse(403, `connection refused: ${error instanceof Error ? error.message : String(error)}`, parsed.docId);
    }
    if (closing) return refuse(503, 'relay is shutting down', parsed.docId);
    wss.handleUpgrade(request, socket, head, (ws) => attach(ws, request, parsed.docId, access, identity));
  }

  const admission = makeUpgradeAdmission(
    (request, socket, head) =>
      void upgrade(request, socket, head).catch((error) => {
        log({ event: 'error', reason: `upgrade failed: ${String(error)}` });
        socket.destroy();
      }),
    (request, socket) => {
      log({
        event: 'refused',
        code: 503,
        reason: 'too many connections waiting',
        remote: request.socket.remoteAddress ?? '',
      });
      refuseUpgrade(socket, 503, 'too many connections waiting; try again');
    },
  );

  return {
    handleUpgrade: admission.admit,
    loadedDocuments: () => [...documents.keys()],
    repair,
    connectionCount: () => connections.size,
    connections() {
      const open: UpgradeContext[] = [];
      for (const connection of connections) {
        const request = upgradeRequests.get(connection);
        if (!connection.closed && request) open.push({ docId: connection.docId, request });
      }
      return open;
    },
    closeConnections(docId, which, code, reason) {
      let closed = 0;
      for (const connection of connections) {
        const request = upgradeRequests.get(connection);
        if (connection.docId !== docId || connection.closed || !request || !which({ docId, request })) continue;
        connection.close(code, reason, false);
        closed++;
      }
      return closed;
    },
    async close() {
      if (closing) return;
      closing = true;
      keepalive.stop();
      storeCheck?.stop();
      for (const timer of unloadTimers.values()) clearTimeout(timer);
      unloadTimers.clear();
      for (const connection of connections) connection.close(CloseCode.goingAway, 'relay shutting down', false);
      await Promise.all([...documents.keys()].map((docId) => unload(docId)));
      await Promise.all([...unloading.values()]);
      for (const ws of wss.clients) ws.terminate();
      await new Promise<void>((done) => wss.close(() => done()));
      await options.persistence.close();
    },
  };
}

/**
 * Test harness for the relay: the real server (startServer) on port 0 with a temp data dir and
 * real SQLite, and real y-websocket providers (WebSocketPolyfill from 'ws').
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { startServer, type RunningServer, type ServerOptions } from '../../sync-server/server.ts';
import type { RelayLogRecord } from '../../sync-server/relay/index.ts';

export interface TestRelay {
  running: RunningServer;
  /** ws://127.0.0.1:<port>/sync (the provider appends /<docId>). */
  syncBase: string;
  dataDir: string;
  /** Every log record the relay wrote. */
  logs: RelayLogRecord[];
  close(): Promise<void>;
}

// Each y-websocket provider adds a process 'exit' listener; tests run dozens at once.
process.setMaxListeners(100);

export function tempDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'mixdesk-relay-'));
}

/** Starts the real server in this process; `removeDataDir` on close unless a dataDir was given. */
export async function startTestRelay(options: Partial<ServerOptions> = {}): Promise<TestRelay> {
  const ownDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? tempDataDir();
  const logs: RelayLogRecord[] = [];
  const running = await startServer({
    port: 0,
    host: '127.0.0.1',
    dataDir,
    staticDir: join(dataDir, 'no-static'),
    ...options,
    relay: { logger: (record) => logs.push(record), unloadAfterMs: 200, ...options.relay },
  });
  return {
    running,
    dataDir,
    logs,
    syncBase: `ws://127.0.0.1:${running.port}/sync`,
    async close() {
      await running.close();
      if (ownDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface TestClient {
  doc: Y.Doc;
  provider: WebsocketProvider;
}

/** A real y-websocket client on `docId`; `connect: false` leaves it offline. */
export function connectClient(
  syncBase: string,
  docId: string,
  options: { connect?: boolean; doc?: Y.Doc; params?: Record<string, string> } = {},
): TestClient {
  const doc = options.doc ?? new Y.Doc();
  const provider = new WebsocketProvider(syncBase, docId, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    connect: options.connect ?? true,
    disableBc: true,
    maxBackoffTime: 300,
    ...(options.params ? { params: options.params } : {}),
  });
  return { doc, provider };
}

export function destroyClients(clients: TestClient[]): void {
  for (const { provider, doc } of clients) {
    provider.destroy();
    doc.destroy();
  }
}

/** Polls `check` until it is true; fails with `what` after `timeoutMs`. */
export async function waitFor(what: string, check: () => boolean, timeoutMs = 5000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((next) => setTimeout(next, 10));
  }
}

export function waitSynced(client: TestClient, timeoutMs = 5000): Promise<void> {
  return waitFor('provider synced', () => client.provider.synced, timeoutMs);
}

/** The document's full state as comparable bytes (state vector + content snapshot). */
export function stateOf(doc: Y.Doc): string {
  return JSON.stringify(doc.toJSON()) + Buffer.from(Y.encodeStateVector(doc)).toString('base64');
}

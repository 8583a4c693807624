/**
 * The one Mixdesk server process: the built PWA, GET /healthz and (from the relay issue on)
 * the y-websocket relay at /sync/<docId>, all on one origin so the service worker, IndexedDB
 * and the relay share it.
 */
import { createServer, type Server } from 'node:http';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { makeStaticHandler } from './static-files.ts';
import { openAccounts, type Accounts, type AccountsOptions } from './accounts/index.ts';
import { createRelay, SqlitePersistence, type DocPersistence, type Relay, type RelayHooks, type RelayOptions } from './relay/index.ts';

export interface ServerOptions {
  /** TCP port; 0 picks a free one (tests). */
  port: number;
  /** Host to bind; defaults to all interfaces. */
  host?: string;
  /** Folder for durable server state (the relay's SQLite database). */
  dataDir: string;
  /** The built PWA. */
  staticDir: string;
  /** Relay hooks (auth, load/store, change). Default: same-origin authentication, no other hooks. */
  hooks?: RelayHooks;
  /** Document storage for the relay; default SqlitePersistence at `<dataDir>/relay.sqlite`. Closed by close(). */
  persistence?: DocPersistence;
  /** Relay tuning and logging (grace period before unload, limits, logger, fan-out). */
  relay?: Omit<RelayOptions, 'persistence' | 'hooks'>;
  /** Accounts (the /api/ routes and document access at the relay); `false` turns them off. */
  accounts?: Omit<AccountsOptions, 'dataDir' | 'persistence'> | false;
}

export interface RunningServer {
  url: string;
  port: number;
  server: Server;
  /** The y-websocket relay served at /sync/<docId>. */
  relay: Relay;
  /** The account system, unless turned off. */
  accounts: Accounts | null;
  /** Stops accepting connections, flushes state, and resolves when everything is closed. */
  close(): Promise<void>;
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  mkdirSync(options.dataDir, { recursive: true });
  const serveStatic = makeStaticHandler(resolve(options.staticDir));
  const startedAt = Date.now();

  const server = createServer((req, res) => {
    if (req.url === '/healthz') {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
      res.end(JSON.stringify({ ok: true, uptimeSeconds: Math.round((Date.now() - startedAt) / 1000) }));
      return;
    }
    if (accounts?.api(req, res)) return;
    serveStatic(req, res);
  });

  const persistence = options.persistence ?? new SqlitePersistence({ file: join(options.dataDir, 'relay.sqlite') });
  const accounts = options.accounts === false ? null : openAccounts({ ...options.accounts, dataDir: options.dataDir, persistence });
  const hooks = accounts ? accounts.relayHooks(options.hooks) : options.hooks;
  const relay = createRelay({ ...options.relay, persistence, ...(hooks ? { hooks } : {}) });
  accounts?.attachRelay(relay);
  server.on('upgrade', (req, socket, head) => relay.handleUpgrade(req, socket, head));

  try {
    await new Promise<void>((done, fail) => {
      server.once('error', fail);
      server.listen(options.port, options.host, () => done());
    });
  } catch (error) {
    await relay.close();
    await accounts?.close();
    throw error;
  }
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return {
    url: `http://localhost:${port}`,
    port,
    server,
    relay,
    accounts,
    close: async () => {
      const closed = new Promise<void>((done) => server.close(() => done()));
      await relay.close();
      await accounts?.close();
      server.closeAllConnections();
      await closed;
    },
  };
}

/**
 * The one Mixdesk server process: the built PWA, GET /healthz and /readyz (health/), POST
 * /csp-report and the y-websocket relay at /sync/<docId>, all on one origin so the service
 * worker, IndexedDB and the relay share it.
 *
 * Every request is first checked against the allowed hosts (DNS rebinding), and every
 * upgrade or state-changing request against the allowed origins; every answer carries the
 * security headers (sync-server/http/security-headers.ts, docs/server.md).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { mkdirSync } from 'node:fs';
import type { Duplex } from 'node:stream';
import { join, resolve } from 'node:path';
import { makeStaticHandler } from './static-files.ts';
import { allowedHosts, parseOriginList, type AllowedHosts } from './http/allowed-hosts.ts';
import { handleCspReport } from './http/csp-report.ts';
import { jsonLineHttpLogger, type HttpLogger } from './http/http-log.ts';
import { CSP_REPORT_PATH, securityHeaders } from './http/security-headers.ts';
import { checkSqliteFile } from './relay/sqlite-file-check.ts';
import type { RedisStreamFanout, RedisStreamFanoutOptions } from './relay/redis-stream-fanout.ts';
import { RetryingPersistence } from './relay/retrying-persistence.ts';
import { jsonLineLogger, type RelayLogger } from './relay/logger.ts';
import { allowedOriginAuthenticate } from './relay/hooks.ts';
import { openAccounts, type Accounts, type AccountsOptions } from './accounts/index.ts';
import type { openPostgresStores } from './postgres/postgres-stores.ts';
import { alwaysOkProbe, boundedProbe, type HealthProbe } from './health/health-probe.ts';
import { ServerHealth } from './health/server-health.ts';
import { postgresProbe, sqliteProbe } from './health/store-probes.ts';
import {
  makeRelay,
  SqlitePersistence,
  type DocPersistence,
  type Relay,
  type RelayHooks,
  type RelayOptions,
} from './relay/index.ts';

/** Bound when no host is given: reachable from this machine only. */
export const DEFAULT_HOST = '127.0.0.1';

export interface ServerOptions {
  /** TCP port; 0 picks a free one (tests). */
  port: number;
  /** Address to bind (HOST); default 127.0.0.1. 0.0.0.0 opens it to the network. */
  host?: string;
  /** Origins allowed besides the server's own loopback URLs (MIXDESK_ORIGINS). */
  origins?: readonly string[];
  /** Serve the build's source maps (MIXDESK_SOURCEMAPS=1); otherwise .map is 404. */
  sourceMaps?: boolean;
  /** The server is reached over https, TLS terminated in front of it (MIXDESK_TLS=1): send HSTS. */
  tls?: boolean;
  /** Believe X-Forwarded-Proto from a proxy in front (MIXDESK_TRUST_PROXY=1). */
  trustProxy?: boolean;
  /** Folder for durable server state (the relay's SQLite database). */
  dataDir: string;
  /** The built PWA. */
  staticDir: string;
  /** Relay hooks (auth, load/store, change). Default authentication: the allowed origins, no other hooks. */
  hooks?: RelayHooks;
  /** Document storage for the relay; default SqlitePersistence at `<dataDir>/relay.sqlite`. Closed by close(). */
  persistence?: DocPersistence;
  /**
   * MIXDESK_DATABASE_URL (postgres://...): keep documents and accounts in PostgreSQL instead of
   * the SQLite files in `dataDir` (a `persistence` or accounts `store` given here still wins).
   */
  databaseUrl?: string;
  /**
   * Redis for the fan-out between several server processes (MIXDESK_REDIS_URL, docs/server.md);
   * without it (and without relay.fanout) one process fans out in memory.
   */
  redisUrl?: string;
  /** Tuning of the Redis fan-out (stream lengths, read sizes); tests shrink the streams. */
  redisStream?: Omit<RedisStreamFanoutOptions, 'url' | 'onGap' | 'onError'>;
  /** Relay tuning and logging (grace period before unload, limits, logger, fan-out). */
  relay?: Omit<RelayOptions, 'persistence' | 'hooks'>;
  /** Where refused requests, CSP reports and HTTP failures are logged; default JSON lines on stdout. */
  httpLogger?: HttpLogger;
  /** Accounts (the /api/ routes and document access at the relay); `false` turns them off. */
  accounts?: Omit<AccountsOptions, 'dataDir' | 'persistence'> | false;
}

export interface RunningServer {
  url: string;
  port: number;
  server: Server;
  /** The y-websocket relay served at /sync/<docId>. */
  relay: Relay;
  /** Origins whose pages may use the relay and post here. */
  readonly origins: readonly string[];
  /**
   * Allows one more origin from now on, as if it were in MIXDESK_ORIGINS (a proxy put in front
   * while running; the browser tests' offline proxy for WebKit). Throws on a malformed origin.
   */
  allowOrigin(origin: string): void;
  /** The account system, unless turned off. */
  accounts: Accounts | null;
  /** What /healthz and /readyz answer; `health.beginShutdown()` starts a drain (/readyz 503). */
  health: ServerHealth;
  /** Stops accepting connections, flushes state, and resolves when everything is closed (/readyz 503 from the start). */
  close(): Promise<void>;
}

const LOCAL_BINDS = new Set(['127.0.0.1', 'localhost', '::1', '0.0.0.0', '::']);

/** A database or Redis that has not answered a health check within this is reported down. */
const HEALTH_TIMEOUT_MS = 1000;

function pathOf(req: IncomingMessage): string {
  const url = req.url ?? '/';
  const query = url.indexOf('?');
  return query < 0 ? url : url.slice(0, query);
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res
    .writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', ...headers })
    .end(JSON.stringify(body));
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  mkdirSync(options.dataDir, { recursive: true });
  const bindHost = options.host ?? DEFAULT_HOST;
  const log = options.httpLogger ?? jsonLineHttpLogger;
  const serveStatic = makeStaticHandler(resolve(options.staticDir), {
    serveSourceMaps: options.sourceMaps ?? false,
    onError: (error, path) =>
      log({ event: 'error', path, reason: error instanceof Error ? error.message : String(error) }),
  });
  const startedAt = Date.now();
  // Known once listening (port 0 picks one); no request arrives before that.
  const origins = [...(options.origins ?? [])];
  let allowed: AllowedHosts = allowedHosts({ port: options.port, bindHost, origins });

  /** Why a request may not go on (undefined: it may): a Host not ours, or a foreign Origin on an unsafe request. */
  const refusal = (req: IncomingMessage, unsafe: boolean): string | undefined => {
    if (!allowed.isAllowedHost(req.headers.host)) return 'host not allowed';
    const origin = req.headers.origin;
    if (unsafe && origin !== undefined && !allowed.isAllowedOrigin(origin)) return 'origin not allowed';
    return undefined;
  };
  const logRefusal = (req: IncomingMessage, reason: string) =>
    log({
      event: 'refused',
      code: 403,
      reason,
      method: req.method,
      path: pathOf(req).slice(0, 200),
      host: req.headers.host?.slice(0, 200),
      origin: req.headers.origin?.slice(0, 200),
      remote: req.socket.remoteAddress,
    });

  const server = createServer((req, res) => {
    const unsafe = req.method !== 'GET' && req.method !== 'HEAD';
    const refused = refusal(req, unsafe);
    const host = refused === 'host not allowed' ? undefined : req.headers.host;
    for (const [name, value] of Object.entries(securityHeaders(req, host, options))) res.setHeader(name, value);
    if (refused) {
      logRefusal(req, refused);
      json(res, 403, { error: refused });
      return;
    }
    const path = pathOf(req);
    if (path === '/healthz' || path === '/readyz') {
      if (unsafe) {
        json(res, 405, { error: 'method not allowed' }, { Allow: 'GET, HEAD' });
        return;
      }
      if (path === '/readyz') {
        const readiness = health.readiness();
        json(res, readiness.ready ? 200 : 503, readiness);
        return;
      }
      health.report().then(
        (report) => json(res, report.ok ? 200 : 503, report),
        (error: unknown) => json(res, 500, { ok: false, error: String(error) }),
      );
      return;
    }
    if (path === CSP_REPORT_PATH) {
      if (req.method !== 'POST') {
        json(res, 405, { error: 'method not allowed' }, { Allow: 'POST' });
        return;
      }
      handleCspReport(req, res, log);
      return;
    }
    if (accounts?.api(req, res)) return;
    serveStatic(req, res);
  });

  const refuseUpgrade = (req: IncomingMessage, socket: Duplex, reason: string) => {
    logRefusal(req, reason);
    const body = JSON.stringify({ error: reason });
    socket.once('error', () => socket.destroy());
    socket.end(
      `HTTP/1.1 403 Forbidden\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  };

  const relayLog = options.relay?.logger ?? jsonLineLogger;
  // A gap the fan-out reports is repaired from the store once the relay exists (a document
  // loaded before then reads the store anyway).
  let repairGap = (_docId: string): void => {};
  // Redis first: when it does not answer, start-up fails before anything else is opened.
  const fanout =
    options.redisUrl && !options.relay?.fanout
      ? await redisFanout(options.redisUrl, relayLog, (docId) => repairGap(docId), options.redisStream)
      : null;
  if (fanout) {
    try {
      await fanout.ready();
    } catch (error) {
      await fanout.close();
      throw error;
    }
  }
  let postgres: Awaited<ReturnType<typeof openPostgresStores>> | null = null;
  try {
    // Loaded only when configured, like the Redis client: the embedded default never loads pg.
    postgres = options.databaseUrl
      ? await (await import('./postgres/postgres-stores.ts')).openPostgresStores(options.databaseUrl, options)
      : null;
  } catch (error) {
    await fanout?.close();
    throw error;
  }
  let persistence =
    options.persistence ?? (postgres?.persistence ? retryingPostgres(postgres.persistence, relayLog) : undefined);
  if (!persistence) {
    const file = join(options.dataDir, 'relay.sqlite');
    checkSqliteFile(file);
    persistence = new SqlitePersistence({ file });
  }
  const baseHooks: RelayHooks = {
    ...options.hooks,
    onAuthenticate:
      options.hooks?.onAuthenticate ?? allowedOriginAuthenticate((origin) => allowed.isAllowedOrigin(origin)),
  };
  const storeProbe: HealthProbe = postgres
    ? postgresProbe(postgres.pool, HEALTH_TIMEOUT_MS)
    : options.persistence
      ? alwaysOkProbe('custom')
      : sqliteProbe(join(options.dataDir, 'relay.sqlite'), HEALTH_TIMEOUT_MS);
  const health = new ServerHealth({
    startedAt,
    store: storeProbe,
    fanout: fanout
      ? boundedProbe('redis', () => fanout.ping(), HEALTH_TIMEOUT_MS)
      : alwaysOkProbe(options.relay?.fanout ? 'custom' : 'local'),
    ...(fanout ? { fanoutSubscribed: () => fanout.isSubscribed() } : {}),
  });
  let accounts: Accounts | null;
  try {
    accounts =
      options.accounts === false
        ? null
        : openAccounts({
            store: postgres?.accountStore ?? undefined,
            trustProxy: options.trustProxy ?? false,
            ...(postgres ? { secret: postgres.secret } : {}),
            ...(options.redisUrl ? { redisUrl: options.redisUrl } : {}),
            ...options.accounts,
            dataDir: options.dataDir,
            persistence,
          });
  } catch (error) {
    // A bad accounts setting (e.g. MIXDESK_SMTP_URL): close what is open, so the process exits
    // with its one-line message instead of being held up by the store's threads and timers.
    await persistence.close();
    await postgres?.pool.end();
    await fanout?.close();
    throw error;
  }
  // Accounts decide for documents an account owns and defer to the base decision for the rest.
  const hooks = accounts ? accounts.relayHooks(baseHooks) : baseHooks;
  const relay = makeRelay({
    // Processes sharing a store check their loaded documents against it now and then (store-check.ts).
    ...(fanout ? { storeCheckIntervalMs: STORE_CHECK_INTERVAL_MS } : {}),
    ...options.relay,
    ...(fanout ? { fanout } : {}),
    persistence,
    hooks,
  });
  repairGap = (docId) => {
    relay
      .repair(docId, 'fan-out gap: updates from other processes may be missing')
      .catch((error: unknown) =>
        relayLog({ event: 'error', docId, reason: `repairing a fan-out gap failed: ${String(error)}` }),
      );
  };
  accounts?.attachRelay(relay, fanout ?? undefined);
  server.on('upgrade', (req, socket, head) => {
    const refused = refusal(req, true);
    if (refused) refuseUpgrade(req, socket, refused);
    else relay.handleUpgrade(req, socket, head);
  });

  try {
    await new Promise<void>((done, fail) => {
      server.once('error', fail);
      server.listen(options.port, bindHost, () => done());
    });
  } catch (error) {
    await relay.close();
    await accounts?.close();
    await postgres?.pool.end();
    await fanout?.close();
    throw error;
  }
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  allowed = allowedHosts({ port, bindHost, origins });
  const urlHost = LOCAL_BINDS.has(bindHost) ? 'localhost' : bindHost.includes(':') ? `[${bindHost}]` : bindHost;
  return {
    url: `http://${urlHost}:${port}`,
    port,
    server,
    relay,
    get origins() {
      return allowed.origins;
    },
    allowOrigin(origin: string) {
      origins.push(...parseOriginList(origin));
      allowed = allowedHosts({ port, bindHost, origins });
    },
    accounts,
    health,
    close: async () => {
      health.beginShutdown();
      const closed = new Promise<void>((done) => server.close(() => done()));
      await relay.close();
      await accounts?.close();
      await postgres?.pool.end();
      await fanout?.close();
      server.closeAllConnections();
      await closed;
    },
  };
}

/** ERROR lines about an unreachable Redis at most every 10 s: ioredis retries every second. */
const REDIS_ERROR_LOG_INTERVAL_MS = 10_000;

/** Storage failures retried, at most one log line per 10 s (an outage fails every try). */
const STORAGE_RETRY_LOG_INTERVAL_MS = 10_000;

/** PostgreSQL behind RetryingPersistence: a short database outage leaves clients "waiting to upload", not dropped. */
function retryingPostgres(persistence: DocPersistence, log: RelayLogger): DocPersistence {
  let lastLoggedAt = 0;
  return new RetryingPersistence(persistence, {
    onRetry: (error, what) => {
      const now = Date.now();
      if (now - lastLoggedAt < STORAGE_RETRY_LOG_INTERVAL_MS) return;
      lastLoggedAt = now;
      log({ event: 'error', reason: `postgres: ${what} failed, retrying: ${String(error)}` });
    },
  });
}

/**
 * How often a process that shares its store checks each loaded document against it: the safety
 * net under the fan-out's own gap reports (store-check.ts). 30 s: a missed update no gap report
 * caught reaches this process's clients within half a minute, for one small aggregate query per
 * document per interval.
 */
const STORE_CHECK_INTERVAL_MS = 30_000;

/**
 * The Redis Streams fan-out, logging through the relay's logger. A gap (updates this process may
 * have missed: a trimmed or lost stream, another process's failed publish) goes to `onGap`,
 * which repairs the document from the store.
 */
async function redisFanout(
  url: string,
  log: RelayLogger,
  onGap: (docId: string) => void,
  tuning: ServerOptions['redisStream'] = {},
): Promise<RedisStreamFanout> {
  // Imported here, not at the top: a server without Redis (the default) never loads ioredis.
  const { RedisStreamFanout } = await import('./relay/redis-stream-fanout.ts');
  let lastErrorAt = 0;
  return new RedisStreamFanout({
    ...tuning,
    url,
    onGap: (docId) => {
      log({ event: 'error', docId, reason: 'fan-out gap: updates from other processes may be missing' });
      onGap(docId);
    },
    onError: (error) => {
      const now = Date.now();
      if (now - lastErrorAt < REDIS_ERROR_LOG_INTERVAL_MS) return;
      lastErrorAt = now;
      log({ event: 'error', reason: `redis: ${error.message}` });
    },
  });
}

/**
 * openPgPool: the one connection pool of a PostgreSQL deployment (MIXDESK_DATABASE_URL), shared
 * by the relay's DocPersistence and the AccountStore.
 *
 * Bounded: at most `max` connections per process (PostgreSQL's default max_connections is 100,
 * and a deployment runs several processes), a statement timeout so one stuck query cannot hold
 * a connection for ever, and a connect timeout so a database that does not answer fails the
 * start-up with a clear line instead of hanging it.
 *
 * BIGINT (int8) columns come back as JS numbers: Mixdesk keeps epoch-ms times and row ids in
 * them, all far below 2^53, and the stores' contracts speak numbers (pg's default is a string).
 */
import pg from 'pg';

export interface PgPoolOptions {
  /** Connections per process (default 10). */
  max?: number;
  /** A query running longer than this is cancelled by the server (default 30 s). */
  statementTimeoutMs?: number;
  /** Time to get a connection (a new one or a free one of the pool) before failing (default 5 s). */
  connectTimeoutMs?: number;
}

const INT8_OID = 20;

/** pg's parsers, except int8 parsed to a number (see the header). */
const types: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID && format !== 'binary'
      ? (value: string) => Number(value)
      : pg.types.getTypeParser(oid, format ?? 'text')) as pg.CustomTypesConfig['getTypeParser'],
};

/**
 * Where `url` points, for messages: host, port and database, never the user or the password.
 * Returns '(unparseable URL)' rather than echoing a URL it cannot read (it may hold a password).
 */
export function describeDatabaseUrl(url: string): string {
  try {
    const parsed = new URL(url);
    const database = parsed.pathname.replace(/^\//, '');
    return `${parsed.hostname || 'localhost'}:${parsed.port || '5432'}${database ? `/${decodeURIComponent(database)}` : ''}`;
  } catch {
    return '(unparseable URL)';
  }
}

export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//i.test(url);
}

/** A pool on `url`. Connects lazily: call `checkPgReachable` to fail early. */
export function openPgPool(url: string, options: PgPoolOptions = {}): pg.Pool {
  if (!isPostgresUrl(url)) {
    throw new Error(
      `MIXDESK_DATABASE_URL must start with postgres:// or postgresql:// (got ${describeDatabaseUrl(url)})`,
    );
  }
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    statement_timeout: options.statementTimeoutMs ?? 30_000,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 5_000,
    idleTimeoutMillis: 30_000,
    types,
  });
  // An idle connection dropped by the server (restart, network) is reported here; the pool
  // replaces it on the next query, so this must not crash the process.
  pool.on('error', (error) =>
    console.error(`postgres: idle connection lost (${describeDatabaseUrl(url)}):`, error.message),
  );
  return pool;
}

/** Resolves once the database answers; otherwise rejects with a message naming its host (never the password). */
export async function checkPgReachable(pool: pg.Pool, url: string): Promise<void> {
  try {
    await pool.query('SELECT 1');
  } catch (error) {
    // An AggregateError (every address of a host refused) can have an empty message; its code says why.
    const reason =
      (error instanceof Error && (error.message || (error as NodeJS.ErrnoException).code)) || String(error);
    throw new Error(`cannot reach PostgreSQL at ${describeDatabaseUrl(url)}: ${reason}`);
  }
}

/** Runs `work` in one transaction on one connection: COMMIT when it resolves, ROLLBACK when it throws. */
export async function inTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  // A connection whose ROLLBACK failed is in an unknown state: the pool drops it instead of reusing it.
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch((rollbackError: Error) => {
      broken = rollbackError;
    });
    throw error;
  } finally {
    client.release(broken);
  }
}

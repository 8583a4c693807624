/**
 * The real server as a child process, for crash tests and benchmarks:
 *   MIXDESK_DATA=<dir> PORT=<n|0> [RELAY_LOG=silent] [RELAY_STREAM_MAXLEN=n] [RELAY_STORE_CHECK_MS=n] [MIXDESK_DATABASE_URL=postgres://...] [MIXDESK_REDIS_URL=redis://…] node --import tsx tests/support/relay-child.ts
 * prints `READY <port>` once listening; SIGTERM closes it cleanly (exit 0), after a drain of
 * MIXDESK_DRAIN_MS (default 0). With RELAY_GC=1 and --expose-gc, SIGUSR2 runs a full garbage
 * collection (memory tests).
 */
import { join } from 'node:path';
import { installProcessGuards } from '../../sync-server/process-guards.ts';
import { startServer } from '../../sync-server/server.ts';
import { parseDrainMs, shutDownOnSignals } from '../../sync-server/shutdown-on-signals.ts';
import { MemoryPersistence, silentLogger, SqlitePersistence } from '../../sync-server/relay/index.ts';

installProcessGuards();
const dataDir = process.env.MIXDESK_DATA ?? 'data';
const running = await startServer({
  port: Number(process.env.PORT ?? 0),
  host: '127.0.0.1',
  dataDir,
  databaseUrl: process.env.MIXDESK_DATABASE_URL || undefined,
  staticDir: join(dataDir, 'no-static'),
  relay: {
    ...(process.env.RELAY_LOG === 'silent' ? { logger: silentLogger } : {}),
    ...(process.env.RELAY_STORE_CHECK_MS ? { storeCheckIntervalMs: Number(process.env.RELAY_STORE_CHECK_MS) } : {}),
  },
  // Several processes on one Redis (as `mixdesk serve` reads it).
  redisUrl: process.env.MIXDESK_REDIS_URL || undefined,
  // Tests of the gap repair: a tiny stream (RELAY_STREAM_MAXLEN) and a quick store check (RELAY_STORE_CHECK_MS).
  ...(process.env.RELAY_STREAM_MAXLEN ? { redisStream: { maxLen: Number(process.env.RELAY_STREAM_MAXLEN) } } : {}),
  // For benchmarks that separate the relay's cost from the disk's: RELAY_PERSISTENCE=memory
  // (nothing durable) or RELAY_SQLITE_SYNC=FULL (fsync per group commit).
  ...(process.env.RELAY_PERSISTENCE === 'memory'
    ? { persistence: new MemoryPersistence() }
    : process.env.RELAY_SQLITE_SYNC === 'FULL'
      ? { persistence: new SqlitePersistence({ file: join(dataDir, 'relay.sqlite'), synchronous: 'FULL' }) }
      : {}),
});
// Memory tests (RELAY_GC=1, run with --expose-gc) ask for a full collection with SIGUSR2 before
// reading RSS, so garbage not yet collected is not mistaken for a leak.
const collect = (globalThis as { gc?: () => void }).gc;
if (process.env.RELAY_GC === '1' && collect) process.on('SIGUSR2', () => collect());
process.stdout.write(`READY ${running.port}\n`);
shutDownOnSignals(running, { name: 'relay child', drainMs: parseDrainMs(process.env.MIXDESK_DRAIN_MS) });

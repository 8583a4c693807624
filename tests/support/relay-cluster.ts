/**
 * Several real server processes (tests/support/relay-child.ts) on one PostgreSQL and one Redis,
 * as a scaled-out deployment runs them, and y-websocket clients that roam between them: a
 * client knows every process's URL (as a load balancer would) and, when its socket closes,
 * reconnects to the next one with the provider's own backoff.
 *
 * `trackAcks` counts what the relay acknowledged as durable to one client (the durable frame
 * of sync-server/relay/durable-ack.ts), per pushed item, so a crash test can check that every
 * acknowledged item survived.
 */
import { rmSync } from 'node:fs';
import * as decoding from 'lib0/decoding';
import * as Y from 'yjs';
import { MESSAGE_DURABLE } from '../../src/core/sync/durable-message.ts';
import { openPgPool } from '../../sync-server/postgres/pg-pool.ts';
import { PostgresPersistence } from '../../sync-server/relay/postgres-persistence.ts';
import { startPostgres, type PostgresServer } from './postgres-server.ts';
import { redisOrSkip, type TestRedis } from './redis-server.ts';
import { docFrom } from './relay-persistence-suite.ts';
import { connectClient, tempDataDir, type TestClient } from './relay-harness.ts';
import { killRelay, spawnRelay, type RelayProcess } from './relay-process.ts';

/** Three processes starting at once on a machine shared with other test runs can be slow to start. */
const START_TIMEOUT_MS = 60_000;

/** A real PostgreSQL and a real Redis for a scale-out suite, or null (having said so) when either is missing outside CI. */
export async function scaleOutServicesOrSkip(
  suiteName: string,
): Promise<{ postgres: PostgresServer; redis: TestRedis } | null> {
  const postgres = await startPostgres();
  if (!postgres) return null;
  const redis = await redisOrSkip(suiteName).catch(async (error: unknown) => {
    await postgres.stop();
    throw error;
  });
  if (redis) return { postgres, redis };
  await postgres.stop();
  return null;
}

export interface RelayCluster {
  processes: RelayProcess[];
  /** ws://127.0.0.1:<port>/sync of each process, in order. */
  syncBases: string[];
  /** SIGKILL of process `index`: it dies mid-whatever it was doing. */
  kill(index: number): Promise<void>;
  /** Starts process `index` again on its port (its clients may come back to it). */
  restart(index: number): Promise<void>;
  /** SIGTERM to every process still running, waits for them, removes their folders. */
  stop(): Promise<void>;
}

export async function startCluster(
  count: number,
  env: { MIXDESK_DATABASE_URL: string; MIXDESK_REDIS_URL: string } & NodeJS.ProcessEnv,
): Promise<RelayCluster> {
  const dirs = Array.from({ length: count }, () => tempDataDir());
  const childEnv = { RELAY_LOG: 'silent', ...env };
  const processes = await Promise.all(dirs.map((dir) => spawnRelay(dir, 0, childEnv, START_TIMEOUT_MS)));
  const alive = (p: RelayProcess) => p.child.exitCode === null && p.child.signalCode === null;
  return {
    processes,
    syncBases: processes.map((p) => `ws://127.0.0.1:${p.port}/sync`),
    kill: (index) => killRelay(processes[index]!),
    async restart(index) {
      processes[index] = await spawnRelay(dirs[index]!, processes[index]!.port, childEnv, START_TIMEOUT_MS);
    },
    async stop() {
      const running = processes.filter(alive);
      for (const p of running) p.child.kill('SIGTERM');
      await Promise.all(running.map((p) => p.exited));
      for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A real y-websocket client of `docId` on `bases[first]` that moves to the next base whenever its socket closes. */
export function roamingClient(bases: readonly string[], docId: string, first: number): TestClient {
  const client = connectClient(bases[first % bases.length]!, docId);
  let at = first;
  client.provider.on('connection-close', () => {
    at = (at + 1) % bases.length;
    client.provider.serverUrl = bases[at]!;
  });
  return client;
}

export interface AckTracker {
  /** Pushes `item` to the client's 'strips' array and remembers the clock that acknowledges it. */
  push(item: string): void;
  /** Items pushed so far that the relay acknowledged as durable. */
  acknowledged(): string[];
  pushed(): number;
}

/** Counts what the relay acknowledged to `client` (its durable frames), item by item. */
export function trackAcks(client: TestClient): AckTracker {
  const { doc, provider } = client;
  let confirmedClock = 0;
  const items: { item: string; endClock: number }[] = [];
  const handlers = provider.messageHandlers as Array<(...args: unknown[]) => void>;
  handlers[MESSAGE_DURABLE] = (_encoder: unknown, decoder: unknown) => {
    const stateVector = Y.decodeStateVector(decoding.readVarUint8Array(decoder as decoding.Decoder));
    confirmedClock = Math.max(confirmedClock, stateVector.get(doc.clientID) ?? 0);
  };
  return {
    push(item) {
      doc.getArray<string>('strips').push([item]);
      items.push({ item, endClock: Y.getState(doc.store, doc.clientID) });
    },
    acknowledged: () => items.filter((entry) => entry.endClock <= confirmedClock).map((entry) => entry.item),
    pushed: () => items.length,
  };
}

/** The 'strips' array of `docId` as PostgreSQL holds it (read through the PostgreSQL store). */
export async function storedStrips(databaseUrl: string, docId: string): Promise<string[]> {
  const pool = openPgPool(databaseUrl, { max: 1 });
  const persistence = new PostgresPersistence({ pool });
  try {
    return docFrom(await persistence.load(docId))
      .getArray<string>('strips')
      .toArray();
  } finally {
    await persistence.close();
    await pool.end();
  }
}

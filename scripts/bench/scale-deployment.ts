/**
 * The deployment bench:sync's scale-out mode measures (`--processes N --store sqlite|postgres`):
 * N real server processes (tests/support/relay-child.ts, compiled as `mixdesk serve` is), on the embedded SQLite store (one
 * process only: the file belongs to one server) or on one real PostgreSQL, with one real Redis
 * for the fan-out whenever there is more than one process. PostgreSQL and Redis come from the
 * test harnesses (temporary folders, free ports, loopback). CPU is read from /proc for every
 * server process and for the engines: PostgreSQL as its postmaster and every backend under it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compiledRelayChild } from './compiled-relay.ts';
import { startPostgres, type PostgresServer } from '../../tests/support/postgres-server.ts';
import { startRedis, type TestRedis } from '../../tests/support/redis-server.ts';

export type StoreKind = 'sqlite' | 'postgres';

export interface ScaleDeployment {
  /** One WebSocket URL per server process. */
  urls: string[];
  /** The server processes, in the order of `urls`. */
  pids: number[];
  /** CPU ticks (1/100 s) used so far by each engine, by name ('PostgreSQL', 'Redis'). */
  engineTicks(): Record<string, number>;
  stop(): Promise<void>;
}

/** utime + stime of one process in ticks, 0 when it has gone. */
export function cpuTicks(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]); // fields 14 and 15 of proc(5)
  } catch {
    return 0;
  }
}

function allPids(): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number);
}

function cmdline(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  } catch {
    return [];
  }
}

function parentOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return -1;
  }
}

/** PostgreSQL's postmaster on `port` and every process under it (its backends come and go). */
function postgresTicks(port: number): number {
  const pids = allPids();
  const postmaster = pids.find((pid) => {
    const args = cmdline(pid);
    const p = args.indexOf('-p');
    return p >= 0 && args[p + 1] === String(port) && (args[0] ?? '').endsWith('postgres');
  });
  if (postmaster === undefined) return 0;
  return pids
    .filter((pid) => pid === postmaster || parentOf(pid) === postmaster)
    .reduce((t, pid) => t + cpuTicks(pid), 0);
}

/** redis-server shows itself as `redis-server 127.0.0.1:<port>`. */
function redisTicks(port: number): number {
  const pid = allPids().find((p) => {
    const args = cmdline(p).join(' ');
    return args.startsWith('redis-server') && args.includes(`:${port}`);
  });
  return pid === undefined ? 0 : cpuTicks(pid);
}

function waitForReady(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`server did not start: ${out}`)), 30_000);
    const onData = (chunk: Buffer) => {
      out += chunk;
      const ready = /READY (\d+)/.exec(out);
      if (ready) {
        clearTimeout(timer);
        resolve(Number(ready[1]));
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`server exited with ${code}: ${out}`)));
  });
}

export async function startScaleDeployment(
  processes: number,
  store: StoreKind,
  root: string,
): Promise<ScaleDeployment> {
  if (store === 'sqlite' && processes > 1)
    throw new Error('--store sqlite runs one process: the SQLite file belongs to one server (use --store postgres)');
  const dataDirs: string[] = [];
  const children: ChildProcess[] = [];
  let postgres: PostgresServer | null = null;
  let redis: TestRedis | null = null;
  const stop = async () => {
    for (const child of children) child.kill('SIGTERM');
    await Promise.all(
      children.map(
        (child) =>
          new Promise<void>((done) => {
            if (child.exitCode !== null) return done();
            const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
            child.once('exit', () => {
              clearTimeout(timer);
              done();
            });
          }),
      ),
    );
    await redis?.stop();
    await postgres?.stop();
    for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
  };
  try {
    let databaseUrl: string | undefined;
    if (store === 'postgres') {
      postgres = await startPostgres();
      if (!postgres) throw new Error('--store postgres needs PostgreSQL (apt-get install postgresql)');
      databaseUrl = await postgres.freshSchemaUrl();
    }
    if (processes > 1) redis = await startRedis();
    const ports: number[] = [];
    const relayChild = await compiledRelayChild();
    for (let i = 0; i < processes; i++) {
      const dataDir = mkdtempSync(join(tmpdir(), 'mixdesk-bench-scale-'));
      dataDirs.push(dataDir);
      // Profiling: BENCH_RELAY_NODE_ARGS='--cpu-prof --cpu-prof-dir=prof' (as in the single-relay mode).
      const nodeArgs = process.env.BENCH_RELAY_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
      const child = spawn(process.execPath, [...nodeArgs, relayChild], {
        cwd: root,
        env: {
          ...process.env,
          MIXDESK_DATA: dataDir,
          PORT: '0',
          RELAY_LOG: process.env.BENCH_RELAY_LOG ?? 'silent',
          MIXDESK_DATABASE_URL: databaseUrl ?? '',
          MIXDESK_REDIS_URL: redis?.url ?? '',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      children.push(child);
      ports.push(await waitForReady(child));
      // Errors (and, with BENCH_RELAY_LOG=info, every log line) of a server show in the bench's output.
      child.stderr?.on('data', (d: Buffer) => process.stderr.write(d));
    }
    const pgPort = postgres?.port,
      redisPort = redis?.port;
    return {
      urls: ports.map((port) => `ws://127.0.0.1:${port}/sync`),
      pids: children.map((child) => child.pid!),
      engineTicks: () => ({
        ...(pgPort ? { PostgreSQL: postgresTicks(pgPort) } : {}),
        ...(redisPort ? { Redis: redisTicks(redisPort) } : {}),
      }),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

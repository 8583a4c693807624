/**
 * A real PostgreSQL for the tests: Debian's binaries (postgresql-15, or whichever version is
 * installed), a fresh cluster made by initdb in a temporary folder, started on a free port,
 * fsync on (durability is what the tests check), stopped and removed by stop().
 *
 * PostgreSQL refuses to run as root and the tests run as root here and in CI, so as root the
 * cluster belongs to an unprivileged system user (created once when missing) and its programs
 * run as that user (spawn's uid/gid, so the child we signal is postgres itself).
 *
 * Without the binaries `startPostgres` returns null after printing "skipped: no PostgreSQL here"
 * (a developer machine without PostgreSQL still passes `npm test`), except under CI=true, where
 * that is a failure: CI installs the package (.ci/run) and must run these suites.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

export interface PostgresServer {
  /** postgres://postgres@127.0.0.1:<port>/postgres (trust authentication: no password). */
  url: string;
  port: number;
  /**
   * A URL whose connections see only a new, empty schema (search_path), so each test starts
   * from nothing without the cost of a new database.
   */
  freshSchemaUrl(): Promise<string>;
  /** Takes the server down as a crash would (immediate shutdown); resolves once it has exited. */
  down(): Promise<void>;
  /** Starts it again after down(), on the same port and data folder (crash recovery); resolves once it accepts. */
  up(): Promise<void>;
  /** SIGQUIT (immediate shutdown), bounded wait, then SIGKILL; removes the cluster's folder. */
  stop(): Promise<void>;
}

const SYSTEM_USER = 'mixdesk-pg';
const START_TIMEOUT_MS = 20_000;
const STOP_TIMEOUT_MS = 10_000;

/** The bin folder of the newest PostgreSQL installed the Debian way, or null. */
function findBinDir(): string | null {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const versions = readdirSync(root)
    .filter((v) => /^\d+$/.test(v) && existsSync(join(root, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions.length > 0 ? join(root, versions[0]!, 'bin') : null;
}

/** uid/gid to run PostgreSQL as: ours unless we are root, then the system user (made when missing). */
function runAs(): { uid: number; gid: number } | null {
  if (process.getuid?.() !== 0) return null;
  const idOf = (flag: string) =>
    Number(execFileSync('id', [flag, SYSTEM_USER], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim());
  try {
    return { uid: idOf('-u'), gid: idOf('-g') };
  } catch {
    execFileSync('useradd', [
      '--system',
      '--no-create-home',
      '--user-group',
      '--shell',
      '/usr/sbin/nologin',
      SYSTEM_USER,
    ]);
    return { uid: idOf('-u'), gid: idOf('-g') };
  }
}

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const probe = createServer();
    probe.once('error', fail);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => done(port));
    });
  });
}

async function waitUntilAccepting(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`postgres exited with ${child.exitCode} while starting:\n${output()}`);
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 });
    try {
      await client.connect();
      await client.end();
      return;
    } catch {
      await client.end().catch(() => {});
    }
    if (Date.now() > deadline) {
      throw new Error(`postgres did not accept connections within ${START_TIMEOUT_MS / 1000} s:\n${output()}`);
    }
    await new Promise((next) => setTimeout(next, 100));
  }
}

/** Starts a cluster, or returns null (having said so) when PostgreSQL is not installed outside CI. */
export async function startPostgres(): Promise<PostgresServer | null> {
  const bin = findBinDir();
  if (!bin) {
    if (process.env.CI === 'true') {
      throw new Error('PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb); CI must run these suites');
    }
    console.log('skipped: no PostgreSQL here');
    return null;
  }
  const user = runAs();
  const dir = mkdtempSync(join(tmpdir(), 'mixdesk-pg-'));
  const dataDir = join(dir, 'data');
  if (user) chownSync(dir, user.uid, user.gid);
  chmodSync(dir, 0o700);
  const asUser = user ? { uid: user.uid, gid: user.gid } : {};
  // --no-sync: the cluster's creation need not survive a power loss; the server itself runs with fsync on.
  execFileSync(
    join(bin, 'initdb'),
    [
      '-D',
      dataDir,
      '-U',
      'postgres',
      '--auth=trust',
      '--encoding=UTF8',
      '--locale=C',
      '--no-sync',
      '--no-instructions',
    ],
    { ...asUser, cwd: dir, stdio: 'pipe', timeout: START_TIMEOUT_MS },
  );
  const port = await freePort();
  let output = '';
  const launch = () => {
    const started = spawn(
      join(bin, 'postgres'),
      ['-D', dataDir, '-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=on'],
      { ...asUser, cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    started.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    started.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    return { child: started, exited: new Promise<void>((done) => started.once('exit', () => done())) };
  };
  let { child, exited } = launch();
  // Should the test process end without stop() (a crash), PostgreSQL must not outlive it.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;

  /** Immediate shutdown (SIGQUIT, as a crash: no shutdown checkpoint), bounded wait, then SIGKILL. */
  const halt = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGQUIT');
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
  };
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    process.off('exit', killOnExit);
    await halt();
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    await waitUntilAccepting(url, child, () => output);
  } catch (error) {
    await stop();
    throw error;
  }

  let schemas = 0;
  return {
    url,
    port,
    async freshSchemaUrl() {
      const schema = `t${++schemas}`;
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      try {
        await admin.query(`CREATE SCHEMA ${schema}`);
      } finally {
        await admin.end();
      }
      return `${url}?options=${encodeURIComponent(`-c search_path=${schema}`)}`;
    },
    down: halt,
    async up() {
      if (child.exitCode === null && child.signalCode === null) return;
      ({ child, exited } = launch());
      await waitUntilAccepting(url, child, () => output);
    },
    stop,
  };
}

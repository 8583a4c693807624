/**
 * A real redis-server for one test file: no persistence (--save '' --appendonly no), loopback
 * only, a free port, its own temporary folder. `restart()` stops it and starts a fresh one on
 * the same port (everything in it lost, as after a crash without persistence), so clients
 * reconnect by themselves.
 *
 * Without redis-server on this machine `startRedis()` returns null and the caller skips (see
 * `redisOrSkip`), except under CI=true, where the missing package is a failure.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestRedis {
  port: number;
  url: string;
  /** Kills it (SIGKILL: nothing is saved anyway) and starts a new one on the same port. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

const START_TIMEOUT_MS = 10_000;

export function hasRedisServer(): boolean {
  return spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
}

/** The real redis-server, or null (after saying so) when it is not installed and this is not CI. */
export async function redisOrSkip(suiteName: string): Promise<TestRedis | null> {
  if (hasRedisServer()) return startRedis();
  if (process.env.CI === 'true') throw new Error(`${suiteName}: redis-server is missing on CI (.ci/run installs it)`);
  console.log(`${suiteName}: skipped: no redis-server here`);
  return null;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/** Sends PING on a raw socket; true when +PONG comes back. */
function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => done(data.toString().startsWith('+PONG')));
  });
}

export async function startRedis(): Promise<TestRedis> {
  const port = await freePort();
  let dir = '';
  let child: ChildProcess | null = null;
  let output = '';

  async function launch(): Promise<void> {
    dir = mkdtempSync(join(tmpdir(), 'mixdesk-redis-'));
    output = '';
    const started = spawn(
      'redis-server',
      ['--port', String(port), '--save', '', '--appendonly', 'no', '--dir', dir, '--bind', '127.0.0.1'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child = started;
    started.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    started.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const deadline = Date.now() + START_TIMEOUT_MS;
    while (!(await ping(port))) {
      if (started.exitCode !== null || Date.now() > deadline) {
        await halt();
        throw new Error(`redis-server did not answer PING on port ${port}:\n${output}`);
      }
      await new Promise((next) => setTimeout(next, 20));
    }
  }

  async function halt(): Promise<void> {
    const running = child;
    child = null;
    if (running && running.exitCode === null && running.signalCode === null) {
      const exited = new Promise((done) => running.once('exit', done));
      running.kill('SIGKILL');
      await exited;
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
  }

  // A failed or interrupted test file must not leave a redis-server behind.
  process.once('exit', () => {
    child?.kill('SIGKILL');
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  await launch();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    async restart() {
      await halt();
      await launch();
    },
    stop: halt,
  };
}

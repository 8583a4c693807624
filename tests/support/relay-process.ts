/**
 * Starts tests/support/relay-child.ts as a separate process and waits for its port; kills and
 * restarts it (crash tests), and reads what it stored.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { openSqliteSource } from '../../sync-server/postgres/sqlite-source.ts';
import { docFrom } from './relay-persistence-suite.ts';

export interface RelayProcess {
  child: ChildProcess;
  port: number;
  output: () => string;
  exited: Promise<number | null>;
}

const entry = fileURLToPath(new URL('./relay-child.ts', import.meta.url));

export function spawnRelay(
  dataDir: string,
  port = 0,
  env: NodeJS.ProcessEnv = {},
  startTimeoutMs = 15_000,
): Promise<RelayProcess> {
  const gc = env.RELAY_GC === '1' ? ['--expose-gc'] : [];
  const child = spawn(process.execPath, [...gc, '--import', 'tsx', entry], {
    env: { ...process.env, MIXDESK_DATA: dataDir, PORT: String(port), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`relay child did not start within ${startTimeoutMs / 1000} s:\n${output}`)),
      startTimeoutMs,
    );
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const ready = /READY (\d+)/.exec(output);
      if (ready) {
        clearTimeout(timer);
        resolve({ child, port: Number(ready[1]), output: () => output, exited });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`relay child exited with ${code}:\n${output}`));
    });
  });
}

/** SIGKILL: the relay dies at once, mid-whatever it was doing; resolves once it has exited. */
export async function killRelay(relay: RelayProcess): Promise<void> {
  relay.child.kill('SIGKILL');
  await relay.exited;
}

/** The relay started again on the same data folder and port, so its clients reconnect by themselves. */
export function restartRelay(relay: RelayProcess, dataDir: string): Promise<RelayProcess> {
  return spawnRelay(dataDir, relay.port);
}

/**
 * The Y.Array `name` of `docId` as the relay's store holds it: its SQLite file and what of its
 * update journal the file lacks (what a relay started now would load). Read-only, so it may be
 * read while the relay is down or running.
 */
export async function storedArray(dataDir: string, docId: string, name = 'strips'): Promise<string[]> {
  const source = openSqliteSource(dataDir);
  try {
    return docFrom(source.documentUpdates(docId)).getArray<string>(name).toArray();
  } finally {
    source.close();
  }
}

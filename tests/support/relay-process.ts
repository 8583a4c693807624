/** Starts tests/support/relay-child.ts as a separate process and waits for its port. */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface RelayProcess {
  child: ChildProcess;
  port: number;
  output: () => string;
  exited: Promise<number | null>;
}

const entry = fileURLToPath(new URL('./relay-child.ts', import.meta.url));

export function spawnRelay(dataDir: string, port = 0, env: NodeJS.ProcessEnv = {}): Promise<RelayProcess> {
  const gc = env.RELAY_GC === '1' ? ['--expose-gc'] : [];
  const child = spawn(process.execPath, [...gc, '--import', 'tsx', entry], {
    env: { ...process.env, MIXDESK_DATA: dataDir, PORT: String(port), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`relay child did not start within 15 s:\n${output}`)), 15_000);
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

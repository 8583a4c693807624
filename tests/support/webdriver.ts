/**
 * WebKit for browser tests: Debian's WebKitWebDriver (webkit2gtk-driver) driving WebKitGTK's
 * MiniBrowser on a private Xvfb display, spoken to over plain W3C WebDriver HTTP (fetch).
 * One WebKitWebDriver serves one session, so each profile gets its own driver and display;
 * MiniBrowser in --automation mode uses an ephemeral website-data store, so each session is a
 * fresh, independent profile (storage, service workers, caches).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';

const MINIBROWSER_CANDIDATES = [
  process.env.MINIBROWSER_PATH,
  '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser',
  '/usr/lib/aarch64-linux-gnu/webkit2gtk-4.1/MiniBrowser',
  '/usr/libexec/webkit2gtk-4.1/MiniBrowser',
];

function onPath(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`]).status === 0;
}

export function findMiniBrowser(): string | undefined {
  const listed = spawnSync('sh', ['-c', 'dpkg -L libwebkit2gtk-4.1-0 2>/dev/null | grep -m1 /MiniBrowser$'], {
    encoding: 'utf8',
  }).stdout?.trim();
  return [...MINIBROWSER_CANDIDATES, listed].find((p): p is string => !!p && existsSync(p));
}

/** What is missing to run WebKit tests here, or an empty list when everything is present. */
export function missingWebKitParts(): string[] {
  const missing: string[] = [];
  if (!onPath('WebKitWebDriver')) missing.push('WebKitWebDriver (apt-get install -y webkit2gtk-driver)');
  if (!onPath('Xvfb') || !onPath('xvfb-run')) missing.push('Xvfb (apt-get install -y xvfb)');
  if (!findMiniBrowser()) missing.push('MiniBrowser (apt-get install -y libwebkit2gtk-4.1-0, or set MINIBROWSER_PATH)');
  return missing;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** Starts Xvfb on a display it picks itself (-displayfd: no race with other test processes). */
function startXvfb(): Promise<{ display: string; process: ChildProcess }> {
  return new Promise((resolve, reject) => {
    const xvfb = spawn('Xvfb', ['-displayfd', '3', '-screen', '0', '1600x1280x24', '-nolisten', 'tcp'], {
      stdio: ['ignore', 'ignore', 'ignore', 'pipe'],
    });
    let out = '';
    xvfb.stdio[3]!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('\n')) resolve({ display: `:${out.trim()}`, process: xvfb });
    });
    xvfb.on('error', reject);
    xvfb.on('exit', (code) => reject(new Error(`Xvfb exited (${code}) before it was ready`)));
  });
}

export interface WebDriverSession {
  /** Sends one WebDriver command for this session; `path` is relative to /session/{id}. */
  command<T = unknown>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<T>;
  close(): Promise<void>;
}

export class WebDriverError extends Error {
  constructor(
    readonly error: string,
    message: string,
  ) {
    super(`${error}: ${message}`);
  }
}

async function call<T>(base: string, method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(method === 'POST' ? { body: JSON.stringify(body ?? {}) } : {}),
  });
  const json = (await response.json()) as { value: T & { error?: string; message?: string } };
  if (!response.ok)
    throw new WebDriverError(
      json.value?.error ?? String(response.status),
      `${json.value?.message ?? ''} (${method} ${path.replace(/^\/session\/[^/]+/, '')})`,
    );
  return json.value;
}

/** Starts Xvfb, WebKitWebDriver and one MiniBrowser session. */
export async function startWebKitSession(
  options: { acceptDialogs?: boolean; userAgent?: string } = {},
): Promise<WebDriverSession> {
  const binary = findMiniBrowser();
  if (!binary) throw new Error(`No WebKit here: ${missingWebKitParts().join('; ')}`);
  const xvfb = await startXvfb();
  const port = await freePort();
  const driver = spawn('WebKitWebDriver', [`--port=${port}`, '--host=127.0.0.1'], {
    env: { ...process.env, DISPLAY: xvfb.display },
    stdio: ['ignore', 'ignore', process.env.DEBUG_E2E ? 'inherit' : 'ignore'],
  });
  const base = `http://127.0.0.1:${port}`;
  const stop = () => {
    driver.kill('SIGTERM');
    xvfb.process.kill('SIGTERM');
  };
  try {
    const deadline = Date.now() + 20_000;
    for (;;) {
      try {
        if ((await call<{ ready: boolean }>(base, 'GET', '/status')).ready !== false) break;
      } catch {
        /* not listening yet */
      }
      if (Date.now() > deadline) throw new Error('WebKitWebDriver did not start within 20 s');
      await new Promise((r) => setTimeout(r, 100));
    }
    const created = await call<{ sessionId: string }>(base, 'POST', '/session', {
      capabilities: {
        alwaysMatch: {
          browserName: 'MiniBrowser',
          unhandledPromptBehavior: options.acceptDialogs ? 'accept' : 'dismiss and notify',
          'webkitgtk:browserOptions': {
            binary,
            args: [
              '--automation',
              '--autoplay-policy=allow',
              ...(options.userAgent ? [`--user-agent=${options.userAgent}`] : []),
            ],
          },
        },
      },
    });
    const sessionBase = `${base}/session/${created.sessionId}`;
    return {
      command: (method, path, body) => call(sessionBase, method, path, body),
      close: async () => {
        try {
          await call(base, 'DELETE', `/session/${created.sessionId}`);
        } catch {
          /* already gone */
        }
        stop();
      },
    };
  } catch (error) {
    stop();
    throw error;
  }
}

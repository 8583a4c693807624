/**
 * Starts the real Mixdesk server (as `npm start` does) on a free port over the built dist/,
 * with the real security headers and Content-Security-Policy. Every CSP violation report the
 * browser sends is collected, and close() fails the suite if there was any: the app must run
 * under the policy it ships with (every browser suite closes its server in its after-hook).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { silentLogger } from '../../sync-server/relay/index.ts';
import { startServer, type RunningServer, type ServerOptions } from '../../sync-server/server.ts';
import type { HttpLogger, HttpLogRecord } from '../../sync-server/http/http-log.ts';

/** Collects the server's CSP violation reports; `assertNone` throws listing them. */
export function cspViolationWatch(): { logger: HttpLogger; violations: HttpLogRecord[]; assertNone(): void } {
  const violations: HttpLogRecord[] = [];
  return {
    violations,
    logger: (record) => {
      if (record.event === 'csp-violation') violations.push(record);
      if (process.env.DEBUG_E2E) console.log('http:', JSON.stringify(record));
    },
    assertNone() {
      if (violations.length === 0) return;
      const lines = violations.map(
        (v) => `  ${v.directive} blocked ${v.blocked} in ${v.document}${v.source ? ` (${v.source}:${v.line})` : ''}`,
      );
      throw new Error(
        `the browser reported ${violations.length} Content-Security-Policy violation(s):\n${lines.join('\n')}`,
      );
    },
  };
}

/** Running app servers by URL, so a WebKit profile's offline proxy can be allowed as an origin (webkit.ts). */
const running = new Map<string, RunningServer>();

/** Allows `proxyOrigin` on the app server at `serverUrl`, if this process started one there. */
export function allowProxyOrigin(serverUrl: string, proxyOrigin: string): void {
  running.get(new URL(serverUrl).origin)?.allowOrigin(proxyOrigin);
}

export async function startAppServer(
  options: Partial<ServerOptions> = {},
): Promise<RunningServer & { dataDir: string; cspViolations: HttpLogRecord[] }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'mixdesk-data-'));
  const csp = cspViolationWatch();
  const server = await startServer({
    port: 0,
    host: '127.0.0.1',
    dataDir,
    // MIXDESK_DIST lets several builds be tested side by side (e.g. two engineers' work trees).
    staticDir: process.env.MIXDESK_DIST ?? fileURLToPath(new URL('../../dist', import.meta.url)),
    ...(process.env.DEBUG_E2E ? {} : { relay: { logger: silentLogger } }),
    httpLogger: csp.logger,
    ...options,
  });
  running.set(new URL(server.url).origin, server);
  return {
    ...server,
    dataDir,
    cspViolations: csp.violations,
    close: async () => {
      running.delete(new URL(server.url).origin);
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
      csp.assertNone();
    },
  };
}

/**
 * Takes back the violations a test caused on purpose (a worker injected from a blob: URL to make
 * the worker fail): those are the policy working. Anything else stays and fails the suite.
 */
export function forgiveInjectedBlobWorkers(violations: HttpLogRecord[]): void {
  for (let i = violations.length - 1; i >= 0; i--) {
    const v = violations[i]!;
    if (String(v.directive).startsWith('worker-src') && v.blocked === 'blob') violations.splice(i, 1);
  }
}

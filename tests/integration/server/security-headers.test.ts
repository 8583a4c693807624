/**
 * The security headers on every answer (page, asset, /healthz, 404, 403, 405, CSP report),
 * HSTS only over TLS, source maps only on request, and the bounded /csp-report endpoint.
 * docs/server.md lists the set.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type RunningServer, type ServerOptions } from '../../../sync-server/server.ts';
import { silentLogger } from '../../../sync-server/relay/index.ts';
import type { HttpLogRecord } from '../../../sync-server/http/http-log.ts';
import { MAX_CSP_REPORT_BYTES } from '../../../sync-server/http/csp-report.ts';
import { probe, type ProbeAnswer } from '../../support/http-probe.ts';

const root = mkdtempSync(join(tmpdir(), 'mixdesk-headers-'));
mkdirSync(join(root, 'dist', 'assets'), { recursive: true });
writeFileSync(join(root, 'dist', 'index.html'), '<!doctype html><title>Mixdesk</title>');
writeFileSync(join(root, 'dist', 'assets', 'app-abc123.js'), 'console.log(1);');
writeFileSync(join(root, 'dist', 'assets', 'app-abc123.js.map'), '{"version":3,"sources":["secret.ts"]}');
const logs: HttpLogRecord[] = [];
const start = (options: Partial<ServerOptions> = {}): Promise<RunningServer> =>
  startServer({
    port: 0,
    dataDir: mkdtempSync(join(root, 'data-')),
    staticDir: join(root, 'dist'),
    relay: { logger: silentLogger },
    httpLogger: (record) => logs.push(record),
    ...options,
  });
const server = await start();
const own = { Host: `localhost:${server.port}` };

function assertSecurityHeaders(answer: ProbeAnswer, what: string): void {
  const csp = String(answer.headers['content-security-policy']);
  for (const directive of [
    "default-src 'self'",
    "script-src 'self' 'wasm-unsafe-eval'",
    "worker-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "frame-ancestors 'none'",
    'report-uri /csp-report',
  ]) {
    assert.ok(csp.includes(directive), `${what}: CSP has ${directive}: ${csp}`);
  }
  assert.not.match(csp, 'unsafe-inline', `${what}: no inline script or style`);
  assert.not.match(csp, "'unsafe-eval'", `${what}: no eval`);
  assert.is(answer.headers['x-content-type-options'], 'nosniff', what);
  assert.is(answer.headers['referrer-policy'], 'no-referrer', what);
  assert.is(answer.headers['cross-origin-opener-policy'], 'same-origin', what);
  assert.is(answer.headers['x-frame-options'], 'DENY', what);
  assert.match(String(answer.headers['permissions-policy']), /camera=\(\).*microphone=\(\).*geolocation=\(\)/, what);
  assert.is(answer.headers['strict-transport-security'], undefined, `${what}: no HSTS over plain http`);
}

// Regression: no response carried a Content-Security-Policy, frame-ancestors, Referrer-Policy,
// Permissions-Policy or Cross-Origin-Opener-Policy, and /healthz and errors lacked nosniff.
test('every kind of answer carries the security headers', async () => {
  const answers: Array<[string, ProbeAnswer]> = [
    ['page', await probe(server.port, '/', { headers: own })],
    ['client route', await probe(server.port, '/doc/abc', { headers: own })],
    ['asset', await probe(server.port, '/assets/app-abc123.js', { headers: own })],
    ['/healthz', await probe(server.port, '/healthz', { headers: own })],
    ['404', await probe(server.port, '/assets/missing.js', { headers: own })],
    ['405', await probe(server.port, '/', { method: 'DELETE', headers: own })],
    ['403 foreign host', await probe(server.port, '/', { headers: { Host: 'evil.example' } })],
    [
      '403 foreign origin',
      await probe(server.port, '/csp-report', { method: 'POST', headers: { ...own, Origin: 'https://evil.example' } }),
    ],
    ['CSP report', await probe(server.port, '/csp-report', { method: 'POST', headers: own, body: '{}' })],
  ];
  assert.equal(
    answers.map(([, a]) => a.status),
    [200, 200, 200, 200, 404, 405, 403, 403, 204],
  );
  for (const [what, answer] of answers) assertSecurityHeaders(answer, what);
});

test("the relay's WebSocket is allowed exactly on the host the page came from", async () => {
  const csp = String((await probe(server.port, '/', { headers: own })).headers['content-security-policy']);
  assert.match(csp, `connect-src 'self' ws://localhost:${server.port} wss://localhost:${server.port}`);
});

test('HSTS only when the request came over TLS: MIXDESK_TLS, or a trusted proxy saying https', async () => {
  const tls = await start({ tls: true });
  const proxied = await start({ trustProxy: true });
  try {
    assert.is(
      (await probe(tls.port, '/healthz', { headers: { Host: `localhost:${tls.port}` } })).headers[
        'strict-transport-security'
      ],
      'max-age=31536000',
    );
    const viaProxy = (proto: string) =>
      probe(proxied.port, '/healthz', { headers: { Host: `localhost:${proxied.port}`, 'X-Forwarded-Proto': proto } });
    assert.is((await viaProxy('https')).headers['strict-transport-security'], 'max-age=31536000');
    assert.is((await viaProxy('http')).headers['strict-transport-security'], undefined);
    // An untrusted X-Forwarded-Proto is anyone's to send: ignored.
    const untrusted = await probe(server.port, '/healthz', { headers: { ...own, 'X-Forwarded-Proto': 'https' } });
    assert.is(untrusted.headers['strict-transport-security'], undefined);
  } finally {
    await tls.close();
    await proxied.close();
  }
});

// Regression: source maps (the app's full sources) were served to anyone.
test('source maps are 404 unless MIXDESK_SOURCEMAPS asks for them', async () => {
  assert.is((await probe(server.port, '/assets/app-abc123.js.map', { headers: own })).status, 404);
  const withMaps = await start({ sourceMaps: true });
  try {
    const map = await probe(withMaps.port, '/assets/app-abc123.js.map', {
      headers: { Host: `localhost:${withMaps.port}` },
    });
    assert.is(map.status, 200);
    assert.match(map.body, 'secret.ts');
  } finally {
    await withMaps.close();
  }
});

test('a CSP violation report is logged; an oversized one is refused before it is read', async () => {
  const report = {
    'csp-report': {
      'document-uri': 'http://localhost/',
      'violated-directive': 'script-src-elem',
      'effective-directive': 'script-src-elem',
      'blocked-uri': 'inline',
      'line-number': 3,
    },
  };
  const sent = await probe(server.port, '/csp-report', {
    method: 'POST',
    headers: { ...own, 'Content-Type': 'application/csp-report' },
    body: JSON.stringify(report),
  });
  assert.is(sent.status, 204);
  const logged = logs.find((r) => r.event === 'csp-violation');
  assert.ok(logged, 'the violation is logged');
  assert.is(logged!.directive, 'script-src-elem');
  assert.is(logged!.blocked, 'inline');
  const huge = await probe(server.port, '/csp-report', {
    method: 'POST',
    headers: { ...own, 'Content-Type': 'application/csp-report' },
    body: 'x'.repeat(MAX_CSP_REPORT_BYTES + 1),
  });
  assert.is(huge.status, 413);
  assert.is((await probe(server.port, '/csp-report', { headers: own })).status, 405);
  assert.is((await probe(server.port, '/healthz', { headers: own })).status, 200, 'still serving');
});

test.after(async () => {
  await server.close();
  rmSync(root, { recursive: true, force: true });
});
test.run();

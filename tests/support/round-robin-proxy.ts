/**
 * A tiny reverse proxy for the scale-out tests, doing what docs/operations.md asks of nginx or
 * Caddy in front of several Mixdesk processes: round robin with no sticky sessions, WebSocket
 * upgrades passed through (raw bytes both ways once upgraded), the client's Host kept and
 * X-Forwarded-For/-Proto/-Host added, and an active health check on /readyz every
 * `healthIntervalMs` so a process that is draining or not subscribed gets no new traffic.
 * A backend that refuses the connection is skipped for the next one (passive check).
 *
 * With `affinityPrefix: '/sync/'` (the recommended setup, document affinity) a request whose
 * path starts with it goes to the backend its path hashes to, the query string left out
 * (nginx `hash $uri consistent`): every client of a document on one process. The hash is
 * rendezvous hashing (what Caddy's hash policies use): when that backend is down the next one
 * in the path's own order takes it, and the other paths stay where they were.
 */
import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import { connect, type Socket } from 'node:net';

export interface RoundRobinProxy {
  port: number;
  /** http://127.0.0.1:<port>: the origin the backends must allow (MIXDESK_ORIGINS). */
  origin: string;
  setBackends(ports: number[]): void;
  /** Backend port of each upgrade in the order they came (tests check where clients landed). */
  readonly upgrades: number[];
  /** Backend port of each plain request in order. */
  readonly requests: number[];
  /** Waits until the health check has marked exactly these backends up. */
  waitHealthy(ports: number[], timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/** FNV-1a, 32 bits. */
function hash32(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return hash;
}

/** `backends` in `path`'s rendezvous order (highest hash of path and backend first). */
export function rendezvousOrder(path: string, backends: number[]): number[] {
  return backends
    .map((port) => ({ port, score: hash32(`${path}#${port}`) }))
    .sort((a, b) => b.score - a.score)
    .map(({ port }) => port);
}

export async function startRoundRobinProxy(
  options: { healthIntervalMs?: number; affinityPrefix?: string } = {},
): Promise<RoundRobinProxy> {
  let backends: number[] = [];
  const healthy = new Set<number>();
  let next = 0;
  const upgrades: number[] = [];
  const requests: number[] = [];
  const sockets = new Set<Socket>();

  /** The backends to try for `url`: healthy ones, by the path's hash or in round-robin order. */
  const order = (url = '/'): number[] => {
    const up = backends.filter((port) => healthy.has(port));
    if (up.length === 0) return [];
    const path = url.split('?')[0]!;
    if (options.affinityPrefix !== undefined && path.startsWith(options.affinityPrefix))
      return rendezvousOrder(path, up);
    const start = next++ % up.length;
    return [...up.slice(start), ...up.slice(0, start)];
  };
  const forwarded = (req: IncomingMessage) => ({
    'X-Forwarded-For': req.socket.remoteAddress ?? '',
    'X-Forwarded-Proto': 'http',
    'X-Forwarded-Host': req.headers.host ?? '',
  });

  const server: Server = createServer((req, res) => {
    const tryBackend = (candidates: number[]) => {
      const port = candidates[0];
      if (port === undefined) {
        res.writeHead(502, { 'Content-Type': 'text/plain' }).end('no backend available');
        return;
      }
      const upstream = request(
        { host: '127.0.0.1', port, method: req.method, path: req.url, headers: { ...req.headers, ...forwarded(req) } },
        (answer) => {
          requests.push(port);
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      upstream.on('error', (error: NodeJS.ErrnoException) => {
        if (error.code === 'ECONNREFUSED' && !res.headersSent) tryBackend(candidates.slice(1));
        else res.destroy();
      });
      req.pipe(upstream);
    };
    tryBackend(order(req.url));
  });

  server.on('upgrade', (req: IncomingMessage, client: Socket, head: Buffer) => {
    sockets.add(client);
    client.once('close', () => sockets.delete(client));
    client.on('error', () => client.destroy());
    const tryBackend = (candidates: number[]) => {
      const port = candidates[0];
      if (port === undefined) {
        client.end('HTTP/1.1 502 Bad Gateway\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
        return;
      }
      const upstream = connect(port, '127.0.0.1');
      sockets.add(upstream);
      upstream.once('close', () => sockets.delete(upstream));
      upstream.once('error', (error: NodeJS.ErrnoException) => {
        if (error.code === 'ECONNREFUSED' && upstream.bytesRead === 0) tryBackend(candidates.slice(1));
        else client.destroy();
      });
      upstream.once('connect', () => {
        upgrades.push(port);
        const lines = [`${req.method} ${req.url} HTTP/1.1`];
        for (let i = 0; i + 1 < req.rawHeaders.length; i += 2)
          lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
        for (const [name, value] of Object.entries(forwarded(req))) lines.push(`${name}: ${value}`);
        upstream.write(`${lines.join('\r\n')}\r\n\r\n`);
        if (head.length > 0) upstream.write(head);
        upstream.pipe(client).pipe(upstream);
        upstream.once('close', () => client.destroy());
        client.once('close', () => upstream.destroy());
      });
    };
    tryBackend(order(req.url));
  });

  const check = (port: number) =>
    new Promise<boolean>((done) => {
      const asked = request({ host: '127.0.0.1', port, path: '/readyz', timeout: 1000 }, (answer) => {
        answer.resume();
        done(answer.statusCode === 200);
      });
      asked.on('timeout', () => asked.destroy());
      asked.on('error', () => done(false));
      asked.end();
    });
  let checking = true;
  const healthLoop = (async () => {
    while (checking) {
      const results = await Promise.all(backends.map(async (port) => [port, await check(port)] as const));
      for (const [port, up] of results) {
        if (up) healthy.add(port);
        else healthy.delete(port);
      }
      await new Promise((next) => setTimeout(next, options.healthIntervalMs ?? 200));
    }
  })();

  await new Promise<void>((done) => server.listen(0, '127.0.0.1', () => done()));
  const port = (server.address() as { port: number }).port;
  return {
    port,
    origin: `http://127.0.0.1:${port}`,
    setBackends(ports) {
      backends = [...ports];
      for (const known of [...healthy]) if (!ports.includes(known)) healthy.delete(known);
    },
    upgrades,
    requests,
    async waitHealthy(ports, timeoutMs = 10_000) {
      const started = Date.now();
      const same = () => healthy.size === ports.length && ports.every((p) => healthy.has(p));
      while (!same()) {
        if (Date.now() - started > timeoutMs) {
          throw new Error(`backends up: [${[...healthy].join(', ')}], wanted [${ports.join(', ')}]`);
        }
        await new Promise((next) => setTimeout(next, 50));
      }
    },
    async close() {
      checking = false;
      await healthLoop;
      for (const socket of sockets) socket.destroy();
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
}

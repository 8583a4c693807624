/**
 * The one Mixdesk server process: the built PWA, GET /healthz and (from the relay issue on)
 * the y-websocket relay at /sync/<docId>, all on one origin so the service worker, IndexedDB
 * and the relay share it.
 */
import { createServer, type Server } from 'node:http';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { makeStaticHandler } from './static-files.ts';

export interface ServerOptions {
  /** TCP port; 0 picks a free one (tests). */
  port: number;
  /** Host to bind; defaults to all interfaces. */
  host?: string;
  /** Folder for durable server state (the relay's SQLite database). */
  dataDir: string;
  /** The built PWA. */
  staticDir: string;
}

export interface RunningServer {
  url: string;
  port: number;
  server: Server;
  /** Stops accepting connections, flushes state, and resolves when everything is closed. */
  close(): Promise<void>;
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  mkdirSync(options.dataDir, { recursive: true });
  const serveStatic = makeStaticHandler(resolve(options.staticDir));
  const startedAt = Date.now();

  const server = createServer((req, res) => {
    if (req.url === '/healthz') {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
      res.end(JSON.stringify({ ok: true, uptimeSeconds: Math.round((Date.now() - startedAt) / 1000) }));
      return;
    }
    serveStatic(req, res);
  });

  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(options.port, options.host, () => done());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return {
    url: `http://localhost:${port}`,
    port,
    server,
    close: () => new Promise<void>((done) => {
      server.closeAllConnections();
      server.close(() => done());
    }),
  };
}

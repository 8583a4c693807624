/**
 * Serves the built PWA (dist/) from the same origin as the relay.
 *
 * Caching follows what the service worker needs: hashed assets are immutable, while the
 * service worker, its manifest and index.html are revalidated on every load so an update
 * is seen at once. Client routes (no file extension) fall back to index.html.
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.json': 'application/json', '.webmanifest': 'application/manifest+json',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon', '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8', '.xml': 'application/xml', '.woff2': 'font/woff2', '.map': 'application/json',
};

export function makeStaticHandler(rootDir: string): (req: IncomingMessage, res: ServerResponse) => void {
  const root = normalize(rootDir);
  return (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') { res.writeHead(405, { Allow: 'GET, HEAD' }).end(); return; }
    let pathname: string;
    try { pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname); }
    catch { res.writeHead(400).end('Bad request path'); return; }
    let file = normalize(join(root, pathname));
    // Never serve anything outside the build folder, whatever the path says.
    if (file !== root && !file.startsWith(root + sep)) { res.writeHead(403).end(); return; }
    const isFile = existsSync(file) && statSync(file).isFile();
    if (!isFile) {
      if (extname(pathname) !== '') { res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found'); return; }
      file = join(root, 'index.html');
      if (!existsSync(file)) { res.writeHead(503, { 'Content-Type': 'text/plain' }).end('Mixdesk is not built: run `npm run build`.'); return; }
    }
    const size = statSync(file).size;
    const immutable = /[\\/]assets[\\/]/.test(file);
    res.writeHead(200, {
      'Content-Type': MIME[extname(file)] ?? 'application/octet-stream',
      'Content-Length': size,
      'Cache-Control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
      'X-Content-Type-Options': 'nosniff',
    });
    if (req.method === 'HEAD') { res.end(); return; }
    createReadStream(file).pipe(res);
  };
}

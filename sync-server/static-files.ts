/**
 * Serves the built PWA (dist/) from the same origin as the relay.
 *
 * Caching follows what the service worker needs: hashed assets are immutable, while the
 * service worker, its manifest and index.html are revalidated on every load so an update
 * is seen at once. Client routes (no file extension) fall back to index.html.
 *
 * A file is opened once and its size taken from the open descriptor, so a file deleted or
 * replaced meanwhile (`npm run build` while the server runs) is either served whole from the
 * descriptor or answered 404; it can never take the process down.
 */
import { open, type FileHandle } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { pipeline } from 'node:stream';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
  '.xml': 'application/xml',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

/** Errors that mean "there is no such file here" rather than "the server has a problem". */
const NOT_FOUND_CODES = new Set(['ENOENT', 'ENOTDIR', 'EISDIR', 'ENAMETOOLONG']);

export interface StaticOptions {
  /** Serve `.map` files (MIXDESK_SOURCEMAPS=1); otherwise they are 404 even if the build has them. */
  serveSourceMaps?: boolean;
  /** Told about failures other than a missing file (answered 500). */
  onError?: (error: unknown, path: string) => void;
}

interface OpenFile {
  handle: FileHandle;
  size: number;
}

/** Opens a regular file for reading; undefined when there is no regular file at `file`. */
async function openRegularFile(file: string): Promise<OpenFile | undefined> {
  let handle: FileHandle;
  try {
    handle = await open(file, 'r');
  } catch (error) {
    if (NOT_FOUND_CODES.has((error as NodeJS.ErrnoException).code ?? '')) return undefined;
    throw error;
  }
  try {
    const stat = await handle.stat();
    if (stat.isFile()) return { handle, size: stat.size };
  } catch (error) {
    await handle.close();
    throw error;
  }
  await handle.close();
  return undefined;
}

function plain(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' }).end(text);
}

export function makeStaticHandler(
  rootDir: string,
  options: StaticOptions = {},
): (req: IncomingMessage, res: ServerResponse) => void {
  const root = normalize(rootDir);

  async function serve(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> {
    const requested = normalize(join(root, pathname));
    // Never serve anything outside the build folder, whatever the path says.
    if (requested !== root && !requested.startsWith(root + sep)) {
      plain(res, 403, 'Forbidden');
      return;
    }
    const extension = extname(pathname);
    if (extension === '.map' && !options.serveSourceMaps) {
      plain(res, 404, 'Not found');
      return;
    }
    let file = requested;
    let opened = await openRegularFile(file);
    if (!opened) {
      if (extension !== '') {
        plain(res, 404, 'Not found');
        return;
      }
      file = join(root, 'index.html');
      opened = await openRegularFile(file);
      if (!opened) {
        plain(res, 503, 'Mixdesk is not built: run `npm run build`.');
        return;
      }
    }
    const { handle, size } = opened;
    const immutable = /[\\/]assets[\\/]/.test(file);
    res.writeHead(200, {
      'Content-Type': MIME[extname(file)] ?? 'application/octet-stream',
      'Content-Length': size,
      'Cache-Control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    });
    if (req.method === 'HEAD' || size === 0) {
      await handle.close();
      res.end();
      return;
    }
    // Reads the descriptor opened above: the size sent matches what is read, even if the path
    // has been deleted or replaced since. pipeline closes the file and the response on error.
    pipeline(handle.createReadStream({ start: 0, end: size - 1 }), res, (error) => {
      if (error && (error as NodeJS.ErrnoException).code !== 'ERR_STREAM_PREMATURE_CLOSE')
        options.onError?.(error, pathname);
    });
  }

  return (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' }).end('Method not allowed');
      return;
    }
    let pathname: string;
    try {
      pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    } catch {
      plain(res, 400, 'Bad request path');
      return;
    }
    serve(req, res, pathname).catch((error: unknown) => {
      options.onError?.(error, pathname);
      if (!res.headersSent) plain(res, 500, 'Internal server error');
      else res.destroy();
    });
  };
}

/**
 * The small HTTP vocabulary of the account API: bounded JSON bodies, JSON answers with no-store
 * caching, errors as `{error, message}`, the caller's address and browser, and the CSRF check.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isIP } from 'node:net';

/** A refusal with an HTTP status, a stable machine code and a sentence for people. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const DEFAULT_BODY_LIMIT = 16 * 1024;

/** Reads a JSON object body of at most `limit` bytes; anything else is a 4xx ApiError. */
export async function readJsonBody(req: IncomingMessage, limit = DEFAULT_BODY_LIMIT): Promise<Record<string, unknown>> {
  const type = req.headers['content-type'] ?? '';
  if (!/^application\/json\b/i.test(type))
    throw new ApiError(415, 'unsupported-media-type', 'Send the request body as application/json.');
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (declared > limit) throw new ApiError(413, 'too-large', `The request body may have at most ${limit} bytes.`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new ApiError(413, 'too-large', `The request body may have at most ${limit} bytes.`);
    chunks.push(chunk);
  }
  let value: unknown;
  try {
    value = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new ApiError(400, 'bad-json', 'The request body is not valid JSON.');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new ApiError(400, 'bad-json', 'The request body must be a JSON object.');
  return value as Record<string, unknown>;
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string | string[]> = {},
): void {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, {
    ...(text ? { 'Content-Type': 'application/json; charset=utf-8' } : {}),
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
    ...headers,
  });
  res.end(text);
}

export function sendError(res: ServerResponse, error: ApiError): void {
  sendJson(res, error.status, { error: error.code, message: error.message }, error.headers);
}

/**
 * The client's address, for the per-address limits and the audit log: the socket's peer, or,
 * with `trustProxy` (MIXDESK_TRUST_PROXY=1, a reverse proxy in front), the last address of
 * X-Forwarded-For: the one the proxy itself appended, which a client cannot forge (the ones
 * before it are whatever the client sent). Not an IP address: the socket's peer.
 */
export function clientIp(req: IncomingMessage, trustProxy = false): string {
  const peer = req.socket.remoteAddress ?? '';
  if (!trustProxy) return peer;
  const header = req.headers['x-forwarded-for'];
  const value = Array.isArray(header) ? header[header.length - 1] : header;
  if (!value || value.length > 4096) return peer;
  const last = value.slice(value.lastIndexOf(',') + 1).trim();
  return isIP(last) ? last : peer;
}

export function userAgentOf(req: IncomingMessage): string {
  return String(req.headers['user-agent'] ?? '').slice(0, 300);
}

/**
 * CSRF: a state-changing request must come from this server's own pages or from a non-browser
 * client. Browsers send Sec-Fetch-Site (modern ones) and Origin (every cross-origin and every
 * POST/DELETE fetch); when either says another site, the request is refused. A request with
 * neither header is not from a browser page and cannot carry a victim's cookie by accident.
 */
export function csrfProblem(req: IncomingMessage): string | null {
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin') return `Sec-Fetch-Site is '${site}'`;
  const origin = req.headers.origin;
  if (origin === undefined) return null;
  try {
    return new URL(origin).host === req.headers.host ? null : `Origin ${origin} is not this server`;
  } catch {
    return `Origin '${origin}' is not a URL`;
  }
}

/** Reads a string field, trimmed, of at most `max` characters. */
export function stringField(body: Record<string, unknown>, name: string, max: number, required = true): string {
  const value = body[name];
  if (value === undefined && !required) return '';
  if (typeof value !== 'string') throw new ApiError(400, 'bad-request', `'${name}' must be a string.`);
  if (value.length > max) throw new ApiError(400, 'bad-request', `'${name}' may have at most ${max} characters.`);
  return value.trim();
}

/**
 * The account API's router: a plain `(req, res) => boolean` handler for the server (true when
 * the request is under /api/ and was taken). It refuses cross-site state changes (CSRF) before
 * any route runs, resolves the caller's credentials for routes that need an account, and
 * answers every error as JSON `{error, message}` with no-store caching.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestInfo } from './audit-log.ts';
import type { Credentials, Principal } from './credentials.ts';
import { ApiError, clientIp, csrfProblem, readJsonBody, sendError, userAgentOf } from './http-json.ts';

export const API_PREFIX = '/api/';

/** Who may call a route: anyone, any signed-in caller (cookie or API token), or a browser session only. */
export type RouteAccess = 'anyone' | 'account' | 'session';

export interface RouteContext {
  req: IncomingMessage;
  res: ServerResponse;
  params: Record<string, string>;
  from: RequestInfo;
  /** Set for 'account' and 'session' routes. */
  principal: Principal;
  body(limit?: number): Promise<Record<string, unknown>>;
}

export interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** `/api/documents/:id/shares`: `:name` matches one path segment. */
  path: string;
  access: RouteAccess;
  handle(context: RouteContext): Promise<void>;
}

interface CompiledRoute extends Route {
  pattern: RegExp;
  names: string[];
}

function compile(route: Route): CompiledRoute {
  const names: string[] = [];
  const source = route.path
    .split('/')
    .map((segment) => {
      if (!segment.startsWith(':')) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      names.push(segment.slice(1));
      return '([^/]+)';
    })
    .join('/');
  return { ...route, pattern: new RegExp(`^${source}$`), names };
}

export function makeApiHandler(
  routes: Route[],
  credentials: Credentials,
  logError: (error: unknown) => void,
  /** Take the client's address from the proxy's X-Forwarded-For (http-json.ts clientIp). */
  trustProxy = false,
): (req: IncomingMessage, res: ServerResponse) => boolean {
  const compiled = routes.map(compile);

  async function serve(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const method = req.method ?? 'GET';
    const matching = compiled.map((route) => ({ route, match: route.pattern.exec(path) })).filter((m) => m.match);
    if (matching.length === 0) throw new ApiError(404, 'not-found', `There is no API at ${path}.`);
    const found = matching.find((m) => m.route.method === method || (method === 'HEAD' && m.route.method === 'GET'));
    if (!found) {
      throw new ApiError(405, 'method-not-allowed', `${method} is not allowed on ${path}.`, {
        Allow: [...new Set(matching.map((m) => m.route.method))].join(', '),
      });
    }
    if (method !== 'GET' && method !== 'HEAD') {
      const problem = csrfProblem(req);
      if (problem) throw new ApiError(403, 'cross-site-request', `Refused a cross-site request (${problem}).`);
    }
    const params: Record<string, string> = {};
    found.route.names.forEach((name, i) => {
      try {
        params[name] = decodeURIComponent(found.match![i + 1]!);
      } catch {
        throw new ApiError(400, 'bad-request', `The path segment for '${name}' is not valid.`);
      }
    });
    let principal: Principal | null = null;
    if (found.route.access !== 'anyone') {
      principal = await credentials.identify(req);
      if (!principal) throw new ApiError(401, 'signed-out', 'Sign in first.');
      if (found.route.access === 'session' && principal.kind !== 'session') {
        throw new ApiError(403, 'session-required', 'This needs a signed-in browser, not an API token.');
      }
    }
    await found.route.handle({
      req,
      res,
      params,
      principal: principal as Principal,
      from: { ip: clientIp(req, trustProxy), userAgent: userAgentOf(req) },
      body: (limit) => readJsonBody(req, limit),
    });
  }

  return (req, res) => {
    const path = (req.url ?? '/').split('?', 1)[0] ?? '/';
    if (!path.startsWith(API_PREFIX)) return false;
    serve(req, res, path).catch((error: unknown) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      if (!(error instanceof ApiError)) logError(error);
      sendError(
        res,
        error instanceof ApiError
          ? error
          : new ApiError(500, 'internal', 'Something went wrong on the server; it is logged.'),
      );
      // A refused upload is not read to the end; the connection closes after the answer.
      if (!req.complete) res.once('finish', () => req.destroy());
    });
    return true;
  };
}

/**
 * The session cookie: `__Host-mixdesk_session`, HttpOnly, Secure, SameSite=Strict, Path=/,
 * 7 days. The `__Host-` prefix makes the browser refuse it unless it is Secure, host-only
 * and Path=/, so no sibling subdomain can plant or shadow it. Browsers treat http://localhost
 * (and 127.0.0.1) as a secure context and keep Secure cookies there; any other plain-HTTP
 * host needs HTTPS in front of the server for accounts to work.
 */
import type { IncomingMessage } from 'node:http';

export const SESSION_COOKIE = '__Host-mixdesk_session';
export const SESSION_LIFETIME_MS = 7 * 24 * 3_600_000;

export function sessionCookie(value: string): string {
  return `${SESSION_COOKIE}=${value}; Max-Age=${SESSION_LIFETIME_MS / 1000}; Path=/; HttpOnly; Secure; SameSite=Strict`;
}

export function clearedSessionCookie(): string {
  return `${SESSION_COOKIE}=; Max-Age=0; Path=/; HttpOnly; Secure; SameSite=Strict`;
}

/** The session cookie's value from a request, or null. */
export function readSessionCookie(req: IncomingMessage): string | null {
  const header = req.headers.cookie;
  if (!header || header.length > 8192) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === SESSION_COOKIE) {
      const value = part.slice(eq + 1).trim();
      return /^[A-Za-z0-9_-]{20,100}$/.test(value) ? value : null;
    }
  }
  return null;
}

/** The token of an `Authorization: Bearer <token>` header, or null. */
export function readBearerToken(req: IncomingMessage): string | null {
  const match = /^Bearer\s+(mdk_[A-Za-z0-9_-]{20,100})\s*$/.exec(req.headers.authorization ?? '');
  return match?.[1] ?? null;
}

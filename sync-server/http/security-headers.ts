/**
 * The headers every HTTP response carries (pages, assets, /healthz, errors, refusals).
 *
 * The Content-Security-Policy is the one the app really runs under (the browser suites run
 * with it and fail on any violation report): scripts, workers and the AudioWorklet only from
 * this origin, WebAssembly compiled from bytes ('wasm-unsafe-eval', the metering core), no
 * inline script, the relay's WebSocket on this same host, audio files played from blob: URLs,
 * and no framing. docs/server.md lists the set; keep the two in step.
 */
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';

export const CSP_REPORT_PATH = '/csp-report';

export interface SecurityHeaderOptions {
  /** MIXDESK_TLS=1: the server is reached over https (TLS terminated in front of it). */
  tls?: boolean;
  /** MIXDESK_TRUST_PROXY=1: believe X-Forwarded-Proto from the proxy in front. */
  trustProxy?: boolean;
}

/** The policy for a page served to `host` (an allowed Host header, so safe to name; undefined on a refusal). */
export function contentSecurityPolicy(host: string | undefined): string {
  return [
    "default-src 'self'",
    "script-src 'self' 'wasm-unsafe-eval'",
    "worker-src 'self'",
    host ? `connect-src 'self' ws://${host} wss://${host}` : "connect-src 'self'",
    "img-src 'self' data: blob:",
    "media-src 'self' blob:",
    "style-src 'self'",
    "font-src 'self'",
    "manifest-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    `report-uri ${CSP_REPORT_PATH}`,
  ].join('; ');
}

/**
 * Features the app never uses; denied so that no injected script can ask for them. Only names
 * the browsers know: Chromium warns on every page about an unknown one ('bluetooth' is not a
 * policy-controlled feature there; Web Bluetooth always asks the user anyway).
 */
export const PERMISSIONS_POLICY = [
  'camera=()',
  'microphone=()',
  'geolocation=()',
  'display-capture=()',
  'payment=()',
  'usb=()',
  'serial=()',
  'hid=()',
  'midi=()',
  'accelerometer=()',
  'gyroscope=()',
  'magnetometer=()',
  'browsing-topics=()',
].join(', ');

/** Whether this request reached us over https, directly or (when trusted) through a proxy. */
export function cameOverTls(req: IncomingMessage, options: SecurityHeaderOptions): boolean {
  if (options.tls || (req.socket as TLSSocket).encrypted) return true;
  if (!options.trustProxy) return false;
  const forwarded = req.headers['x-forwarded-proto'];
  const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim().toLowerCase();
  return first === 'https';
}

export function securityHeaders(
  req: IncomingMessage,
  host: string | undefined,
  options: SecurityHeaderOptions,
): Record<string, string> {
  const headers: Record<string, string> = {
    'Content-Security-Policy': contentSecurityPolicy(host),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Permissions-Policy': PERMISSIONS_POLICY,
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'X-Frame-Options': 'DENY',
  };
  // HSTS over plain http would be ignored at best; announced only when the page really came over TLS.
  if (cameOverTls(req, options)) headers['Strict-Transport-Security'] = 'max-age=31536000';
  return headers;
}

/**
 * RelayHooks: how the host application takes part in the relay's life cycle, in the shape of
 * Hocuspocus's server hooks. Passed in at construction; every hook is optional and may be
 * async. A hook that throws is logged; in onConnect/onAuthenticate it refuses the connection.
 */
import type { IncomingMessage } from 'node:http';
import type * as Y from 'yjs';

/** What a connection may do: read-only connections receive everything, their updates are dropped. */
export type AccessLevel = 'read-write' | 'read-only';
export type AuthDecision = AccessLevel | 'refuse';

export interface UpgradeContext {
  docId: string;
  /** The HTTP upgrade request: headers (Origin, Cookie, Authorization) and URL query. */
  request: IncomingMessage;
}

export interface ConnectionContext {
  docId: string;
  /** Unique per relay process and connection. */
  connectionId: string;
  access: AccessLevel;
}

export interface RelayHooks {
  /** Before authentication; throw to refuse the upgrade (HTTP 403). */
  onConnect?(context: UpgradeContext): void | Promise<void>;
  /** Decides the access level; the default is `sameOriginAuthenticate`. */
  onAuthenticate?(context: UpgradeContext): AuthDecision | Promise<AuthDecision>;
  /**
   * Who the connection is (after onAuthenticate accepted it), e.g. an account id: the presence
   * client ids it introduces stay reserved to that identity for a while after it closes
   * (presence-identity.ts). Null or absent: the URL's presence key, if any, is used instead.
   */
  identify?(context: UpgradeContext): string | null | undefined | Promise<string | null | undefined>;
  /** After the stored state is applied; changes made to `document` here are persisted. */
  onLoadDocument?(context: { docId: string; document: Y.Doc }): void | Promise<void>;
  /** After an accepted update is durable and broadcast. `update` is the effective change. */
  onChange?(context: ConnectionContext & { update: Uint8Array }): void | Promise<void>;
  /** When a document leaves memory (grace period over, or relay closing), after its last write. */
  onStoreDocument?(context: { docId: string; document: Y.Doc }): void | Promise<void>;
  /** After a connection closed and its presence was removed. */
  onDisconnect?(context: ConnectionContext & { code: number; reason: string }): void | Promise<void>;
}

/**
 * Authentication until accounts exist, given the origins this server answers: read-write when
 * the request has no Origin header (non-browser clients: CLI, tests) or its Origin is one of
 * `isAllowedOrigin`'s; refuse every other origin. The server (sync-server/server.ts) uses this
 * with its allow-list (its own URLs plus MIXDESK_ORIGINS), after it has checked the Host.
 */
export function allowedOriginAuthenticate(
  isAllowedOrigin: (origin: string) => boolean,
): (context: UpgradeContext) => AuthDecision {
  return ({ request }) => {
    const origin = request.headers.origin;
    if (origin === undefined) return 'read-write';
    return isAllowedOrigin(origin) ? 'read-write' : 'refuse';
  };
}

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * The relay's default when it runs without the server's allow-list: read-write without an
 * Origin, or when the Origin is the same http origin as the Host AND that host is a loopback
 * name. Comparing Origin with Host alone let DNS rebinding in (a page on evil.example that
 * rebinds to this machine sends Origin and Host both evil.example); a rebound page can never
 * send Host: localhost.
 */
export function sameOriginAuthenticate({ request }: UpgradeContext): AuthDecision {
  const origin = request.headers.origin;
  if (origin === undefined) return 'read-write';
  try {
    const url = new URL(origin);
    return url.protocol === 'http:' && url.host === request.headers.host && LOOPBACK_NAMES.has(url.hostname)
      ? 'read-write'
      : 'refuse';
  } catch {
    return 'refuse';
  }
}

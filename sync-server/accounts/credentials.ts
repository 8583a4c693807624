/**
 * Credentials: who a request is. A browser carries the session cookie (one session per signed-in
 * device, revocable, listed as a device); the CLI carries a personal API token (`mdk_…`,
 * created in Settings, shown once). Both are 256 random bits stored only as SHA-256.
 */
import type { IncomingMessage } from 'node:http';
import type { Account, AccountStore, SessionRecord, TokenRecord } from './account-store.ts';
import type { RequestInfo } from './audit-log.ts';
import { randomToken, sha256 } from './secrets.ts';
import { readBearerToken, readSessionCookie, SESSION_LIFETIME_MS } from './session-cookie.ts';

/** The last-seen time of a session or token is written at most this often. */
const TOUCH_EVERY_MS = 60_000;
export const TOKEN_PREFIX = 'mdk_';

export type Principal =
  | { kind: 'session'; account: Account; session: SessionRecord }
  | { kind: 'token'; account: Account; token: TokenRecord };

export class Credentials {
  constructor(
    private readonly store: AccountStore,
    private readonly now: () => number,
  ) {}

  /** A new session for a signed-in device; the cookie value is returned once and never stored. */
  async createSession(account: Account, from: RequestInfo): Promise<{ cookieValue: string; session: SessionRecord }> {
    const now = this.now();
    const cookieValue = randomToken(32);
    const session: SessionRecord = {
      id: randomToken(12),
      secretHash: sha256(cookieValue),
      accountId: account.id,
      createdAt: now,
      lastSeenAt: now,
      expiresAt: now + SESSION_LIFETIME_MS,
      userAgent: from.userAgent,
      ip: from.ip,
    };
    await this.store.createSession(session);
    return { cookieValue, session };
  }

  async createToken(account: Account, name: string): Promise<{ token: string; record: TokenRecord }> {
    const token = TOKEN_PREFIX + randomToken(32);
    const record: TokenRecord = {
      id: randomToken(9),
      accountId: account.id,
      name,
      secretHash: sha256(token),
      createdAt: this.now(),
      lastUsedAt: null,
    };
    await this.store.createToken(record);
    return { token, record };
  }

  /** The account behind a request's cookie or bearer token, or null (unknown, expired, or account being deleted). */
  async identify(req: IncomingMessage): Promise<Principal | null> {
    const cookie = readSessionCookie(req);
    if (cookie) {
      const principal = await this.fromSession(cookie);
      if (principal) return principal;
    }
    const bearer = readBearerToken(req);
    return bearer ? this.fromToken(bearer) : null;
  }

  /** Just the account id, for the relay (same rules as identify). */
  async accountIdOf(req: IncomingMessage): Promise<string | null> {
    return (await this.identify(req))?.account.id ?? null;
  }

  private async fromSession(cookieValue: string): Promise<Principal | null> {
    const now = this.now();
    const session = await this.store.findSessionBySecret(sha256(cookieValue));
    if (!session || session.expiresAt <= now) return null;
    const account = await this.store.getAccount(session.accountId);
    if (!account || account.deletionRequestedAt !== null) return null;
    if (now - session.lastSeenAt > TOUCH_EVERY_MS) {
      await this.store.touchSession(session.id, now);
      session.lastSeenAt = now;
    }
    return { kind: 'session', account, session };
  }

  private async fromToken(token: string): Promise<Principal | null> {
    const now = this.now();
    const record = await this.store.findTokenBySecret(sha256(token));
    if (!record) return null;
    const account = await this.store.getAccount(record.accountId);
    if (!account || account.deletionRequestedAt !== null) return null;
    if (record.lastUsedAt === null || now - record.lastUsedAt > TOUCH_EVERY_MS) {
      await this.store.touchToken(record.id, now);
      record.lastUsedAt = now;
    }
    return { kind: 'token', account, token: record };
  }
}

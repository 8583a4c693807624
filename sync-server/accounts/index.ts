/**
 * Accounts for the Mixdesk server: email + one-time PIN sign-in, sessions and API tokens,
 * documents owned by accounts, friends, read-only shares enforced at the relay, Trash, export,
 * deletion and security activity. `openAccounts` builds it all; the server mounts `api` under
 * /api/, passes `relayHooks()` to the relay and calls `attachRelay` once the relay exists.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sameOriginAuthenticate, type DocPersistence, type Relay, type RelayHooks } from '../relay/index.ts';
import type { ControlChannel } from '../relay/control-channel.ts';
import type { AccountStore } from './account-store.ts';
import type { AccountsContext } from './accounts-context.ts';
import { exportRoutes } from './account-export.ts';
import { makeApiHandler } from './api-router.ts';
import { AuditLog } from './audit-log.ts';
import { authRoutes } from './auth-routes.ts';
import { Credentials } from './credentials.ts';
import { documentRoutes } from './document-routes.ts';
import { friendRoutes } from './friend-routes.ts';
import { runHousekeeping } from './housekeeping.ts';
import { makeMailer, type Mailer } from './mailer.ts';
import { MemoryAttemptLimiter } from './attempt-limiter.ts';
import { PIN_VERIFY_LIMIT_PER_IP, PinSignIn } from './pin-sign-in.ts';
import { RedisAttemptLimiter } from './redis-attempt-limiter.ts';
import { RelayAuthorization } from './relay-authorization.ts';
import { loadServerSecret } from './secrets.ts';
import { SqliteAccountStore } from './sqlite-account-store.ts';

export type { AccountStore } from './account-store.ts';
export { SqliteAccountStore } from './sqlite-account-store.ts';
export { TerminalMailer, SmtpMailer, type Mailer } from './mailer.ts';
export { AccessCloseCode } from './relay-authorization.ts';
export { SESSION_COOKIE } from './session-cookie.ts';

export interface AccountsOptions {
  /** MIXDESK_DATA: holds accounts.sqlite and the server secret. */
  dataDir: string;
  /** The relay's document storage (export reads it, purges clear it). */
  persistence: DocPersistence;
  /** MIXDESK_SMTP_URL; without it (and without `mailer`) PINs are printed on the terminal. */
  smtpUrl?: string;
  /** The From of PIN mails (MIXDESK_MAIL_FROM). */
  mailFrom?: string;
  mailer?: Mailer;
  /** The server secret; default `<dataDir>/account-secret` (PostgreSQL deployments share one from the database). */
  secret?: Buffer;
  /** Another AccountStore implementation; default SqliteAccountStore in `dataDir`. */
  store?: AccountStore;
  /** The clock (tests move it to check expiry and retention). */
  now?: () => number;
  /** Where unexpected errors go (default stderr). */
  logError?: (error: unknown) => void;
  /** A reverse proxy in front (MIXDESK_TRUST_PROXY=1): client addresses from its X-Forwarded-For. */
  trustProxy?: boolean;
  /** The deployment's Redis (MIXDESK_REDIS_URL): per-IP sign-in limits count there, for every process. */
  redisUrl?: string;
  /** Several processes: how often every connection's access is re-checked (default ACCESS_RECHECK_MS, 60 s). */
  accessRecheckMs?: number;
}

export interface Accounts {
  /** The /api/ handler: true when it took the request. */
  api(req: IncomingMessage, res: ServerResponse): boolean;
  /** `hooks` with onAuthenticate wrapped in document-ownership checks (its own decision becomes the base). */
  relayHooks(hooks?: RelayHooks): RelayHooks;
  /** `control`: the channel to the other relay processes (closes of revoked access reach them). */
  attachRelay(relay: Relay, control?: ControlChannel): void;
  /** Runs the purges and retention now (also runs hourly). */
  housekeeping(): Promise<{ documents: number; accounts: number }>;
  store: AccountStore;
  close(): Promise<void>;
}

const HOUR = 3_600_000;

export function openAccounts(options: AccountsOptions): Accounts {
  const now = options.now ?? Date.now;
  const logError = options.logError ?? ((error: unknown) => console.error('accounts:', error));
  // The mailer first: it checks the SMTP setting, which must fail before anything is opened.
  const mailer = options.mailer ?? makeMailer(options.smtpUrl, options.mailFrom);
  const store = options.store ?? new SqliteAccountStore(join(options.dataDir, 'accounts.sqlite'), randomUUID);
  const secret = options.secret ?? loadServerSecret(options.dataDir);
  const audit = new AuditLog(store, now);
  const credentials = new Credentials(store, now);
  const { count, windowMs } = PIN_VERIFY_LIMIT_PER_IP;
  const verifyAttempts = options.redisUrl
    ? new RedisAttemptLimiter({ url: options.redisUrl, name: 'pin-verify', limit: count, windowMs, onError: logError })
    : new MemoryAttemptLimiter(count, windowMs);
  const pins = new PinSignIn(store, mailer, secret, audit, now, logError, verifyAttempts);
  let relayAuth: RelayAuthorization | null = null;
  let context: AccountsContext | null = null;
  const ctx = (): AccountsContext => {
    if (!relayAuth) throw new Error('accounts: relayHooks() must be called before the API is used');
    return (context ??= { store, credentials, audit, now, relayAuth, pins, persistence: options.persistence });
  };
  let api: ((req: IncomingMessage, res: ServerResponse) => boolean) | null = null;
  const sweep = () =>
    runHousekeeping(ctx()).catch((error) => {
      logError(error);
      return { documents: 0, accounts: 0 };
    });
  let timer: NodeJS.Timeout | null = null;

  return {
    store,
    api(req, res) {
      const c = ctx();
      return (api ??= makeApiHandler(
        [...authRoutes(c), ...documentRoutes(c), ...friendRoutes(c), ...exportRoutes(c)],
        credentials,
        logError,
        options.trustProxy ?? false,
      ))(req, res);
    },
    relayHooks(hooks = {}) {
      relayAuth = new RelayAuthorization(store, credentials, hooks.onAuthenticate ?? sameOriginAuthenticate, logError);
      const auth = relayAuth;
      return {
        ...hooks,
        onAuthenticate: auth.onAuthenticate,
        identify: async (context) => auth.identify(context) ?? (await hooks.identify?.(context)),
      };
    },
    attachRelay(relay, control) {
      relayAuth?.attach(relay, control, options.accessRecheckMs);
      void sweep();
      timer = setInterval(() => void sweep(), HOUR);
      timer.unref();
    },
    housekeeping: () => runHousekeeping(ctx()),
    async close() {
      if (timer) clearInterval(timer);
      relayAuth?.detach();
      mailer.close();
      await verifyAttempts.close();
      await store.close();
    },
  };
}

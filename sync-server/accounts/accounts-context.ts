/** What the account API's route modules share: storage, credentials, the clock and the relay lever. */
import type { DocPersistence } from '../relay/index.ts';
import type { AccountStore } from './account-store.ts';
import type { AuditLog } from './audit-log.ts';
import type { Credentials } from './credentials.ts';
import type { PinSignIn } from './pin-sign-in.ts';
import type { RelayAuthorization } from './relay-authorization.ts';

export interface AccountsContext {
  store: AccountStore;
  credentials: Credentials;
  pins: PinSignIn;
  audit: AuditLog;
  relayAuth: RelayAuthorization;
  /** The relay's document storage: read by export, cleared by purges. */
  persistence: DocPersistence;
  now: () => number;
}

/** Trash and account deletion both wait this long before purging. */
export const PURGE_AFTER_MS = 30 * 24 * 3_600_000;

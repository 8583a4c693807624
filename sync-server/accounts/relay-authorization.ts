/**
 * RelayAuthorization: the relay's onAuthenticate hook for accounts, and the lever that cuts
 * live connections when access is taken away.
 *
 * A document no account owns keeps the behaviour it had before accounts (anonymous,
 * local-first use and link sharing): the base hook decides. A document of an account is
 * reachable only by its owner (with the base decision) and by the accounts it is shared with
 * (read-only); everyone else is refused at the HTTP upgrade, before any document data is sent.
 * The browser proves who it is with the session cookie (sent with the same-site WebSocket
 * upgrade), the CLI with `Authorization: Bearer`.
 */
import type { IncomingMessage } from 'node:http';
import type { AuthDecision, Relay, UpgradeContext } from '../relay/index.ts';
import type { AccountStore } from './account-store.ts';
import type { Credentials, Principal } from './credentials.ts';

/** Close codes for taken-away access. 44xx: the stock y-websocket client stops reconnecting. */
export const AccessCloseCode = {
  /** Share revoked, document in Trash or deleted, signed out: do not come back. */
  revoked: 4403,
  /** The document changed hands (it was attached to an account): reconnect and authenticate again. */
  reauthenticate: 4500,
} as const;

/** Who opened a connection, as recorded at its upgrade. */
interface ConnectionOwner {
  accountId: string;
  credential: string;
}

export class RelayAuthorization {
  private relay: Relay | null = null;
  private readonly owners = new WeakMap<IncomingMessage, ConnectionOwner>();

  constructor(
    private readonly store: AccountStore,
    private readonly credentials: Credentials,
    private readonly base: (context: UpgradeContext) => AuthDecision | Promise<AuthDecision>,
  ) {}

  /** The relay whose connections `close*` cuts (set once the relay exists). */
  attach(relay: Relay): void {
    this.relay = relay;
  }

  readonly onAuthenticate = async (context: UpgradeContext): Promise<AuthDecision> => {
    const decision = await this.base(context);
    if (decision === 'refuse') return 'refuse';
    // The common anonymous case costs one indexed lookup and no credential check.
    if ((await this.store.documentAccess(context.docId, null)).kind === 'unowned') return decision;
    const principal = await this.credentials.identify(context.request);
    if (!principal) return 'refuse';
    this.owners.set(context.request, { accountId: principal.account.id, credential: credentialId(principal) });
    const access = await this.store.documentAccess(context.docId, principal.account.id);
    if (access.kind === 'owner') return decision;
    if (access.kind === 'shared') return 'read-only';
    return 'refuse';
  };

  /** Closes `accountId`'s connections to `docId` (a revoked share). */
  closeAccount(docId: string, accountId: string, reason: string): number {
    return this.close(docId, (owner) => owner?.accountId === accountId, AccessCloseCode.revoked, reason);
  }

  /** Closes every connection to `docId` except the owner's (Trash), or every one (`ownerId` null: purge). */
  closeAllBut(docId: string, ownerId: string | null, reason: string): number {
    return this.close(
      docId,
      (owner) => ownerId === null || owner?.accountId !== ownerId,
      AccessCloseCode.revoked,
      reason,
    );
  }

  /** After a document was attached to `ownerId`: connections not known to be the owner's authenticate again. */
  reauthenticateAllBut(docId: string, ownerId: string): number {
    return this.close(
      docId,
      (owner) => owner?.accountId !== ownerId,
      AccessCloseCode.reauthenticate,
      'document attached to an account',
    );
  }

  /** Closes the connections opened with one session or token (signed out) on the given documents. */
  closeCredential(docIds: Iterable<string>, credential: string, reason: string): number {
    let closed = 0;
    for (const docId of docIds)
      closed += this.close(docId, (owner) => owner?.credential === credential, AccessCloseCode.revoked, reason);
    return closed;
  }

  private close(
    docId: string,
    which: (owner: ConnectionOwner | undefined) => boolean,
    code: number,
    reason: string,
  ): number {
    return this.relay?.closeConnections(docId, ({ request }) => which(this.owners.get(request)), code, reason) ?? 0;
  }
}

/** The id of the session or token behind a principal. */
export function credentialId(principal: Principal): string {
  return principal.kind === 'session' ? `session:${principal.session.id}` : `token:${principal.token.id}`;
}

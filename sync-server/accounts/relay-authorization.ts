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
import type { ControlChannel } from '../relay/control-channel.ts';
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

/** An upgrade between the start of its authorization and its registration with the relay. */
interface PendingUpgrade {
  request: IncomingMessage;
  /** Set by a close that matched it while it had no connection to close yet. */
  cut: { code: number; reason: string } | null;
}

/**
 * How long after authorizing an upgrade a close that landed meanwhile is still applied to it.
 * The relay registers the connection right after the handshake (same tick in practice); the
 * bound only keeps a stuck handshake from being watched for ever.
 */
const REGISTRATION_WATCH_MS = 2000;

/**
 * A close of connections as it travels to the other relay processes (ControlChannel): each
 * applies it to its own connections. `id` is the account (account, allBut, reauth) or the
 * credential (credential); `allBut` with a null id closes every connection (purge).
 */
interface CloseCommand {
  type: 'close-connections';
  op: 'account' | 'allBut' | 'reauth' | 'credential';
  docIds: string[];
  id: string | null;
  reason: string;
}

/**
 * How often, in a deployment of several processes, every connection is re-checked against the
 * store (recheckAll): a bound on how long a revoke whose message was never sent can be missed.
 * A walk costs a query or two per connection to an account's document, one per document
 * nobody owns, one at a time.
 */
export const ACCESS_RECHECK_MS = 60_000;

/** Documents per control message (ids are at most a few hundred bytes: well under the channel's 64 KiB). */
const CONTROL_BATCH_DOCS = 100;

/** A command from another process, checked field by field (it came over the network). */
function parseCloseCommand(message: string): CloseCommand | null {
  let value: unknown;
  try {
    value = JSON.parse(message);
  } catch {
    return null;
  }
  const c = value as Partial<CloseCommand> | null;
  if (
    c?.type !== 'close-connections' ||
    !['account', 'allBut', 'reauth', 'credential'].includes(c.op ?? '') ||
    !Array.isArray(c.docIds) ||
    !c.docIds.every((docId) => typeof docId === 'string') ||
    (c.id !== null && typeof c.id !== 'string') ||
    typeof c.reason !== 'string'
  )
    return null;
  return c as CloseCommand;
}

export class RelayAuthorization {
  private relay: Relay | null = null;
  private readonly owners = new WeakMap<IncomingMessage, ConnectionOwner>();
  /**
   * Upgrades of account documents being authorized or not yet registered, by document. A revoke
   * that lands in that window finds no connection to close; it marks the upgrade instead, which
   * is then refused, or closed as soon as the relay has registered it.
   */
  private readonly pending = new Map<string, Set<PendingUpgrade>>();

  constructor(
    private readonly store: AccountStore,
    private readonly credentials: Credentials,
    private readonly base: (context: UpgradeContext) => AuthDecision | Promise<AuthDecision>,
    /** Where a failed re-check of access goes (recheckAll). */
    private readonly onError: (error: unknown) => void = (error) => console.error('accounts:', error),
  ) {}

  private control: ControlChannel | null = null;
  private recheckTimer: NodeJS.Timeout | null = null;
  private rechecking: Promise<number> | null = null;

  /**
   * The relay whose connections `close*` cuts (set once the relay exists), and the channel to
   * the other relay processes of a scaled-out deployment: every close is sent there too, and
   * what they send is applied here, so a revoke reaches the friend's sockets on every process.
   * With a channel, every connection is also re-checked against the store every
   * `recheckEveryMs`: the one way a revoke reaches this process when the process that made it
   * died between its commit and its message (a message Redis did not take is sent again:
   * redis-stream-fanout.ts).
   */
  attach(relay: Relay, control?: ControlChannel, recheckEveryMs = ACCESS_RECHECK_MS): void {
    this.relay = relay;
    if (!control) return;
    this.control = control;
    control.onControl((message) => {
      const command = parseCloseCommand(message);
      if (command) this.run(command);
    });
    control.onControlGap(() => this.recheckInBackground());
    this.recheckTimer = setInterval(() => this.recheckInBackground(), recheckEveryMs);
    this.recheckTimer.unref();
  }

  /** Stops the periodic re-check. */
  detach(): void {
    if (this.recheckTimer) clearInterval(this.recheckTimer);
    this.recheckTimer = null;
  }

  /** recheckAll, unless one is running (a slow store must not pile walks up). */
  private recheckInBackground(): void {
    if (this.rechecking) return;
    this.rechecking = this.recheckAll();
    this.rechecking
      .catch((error: unknown) => {
        this.onError(error);
        return 0;
      })
      .finally(() => (this.rechecking = null))
      .catch(() => {});
  }

  /**
   * Closes what a lost close message would have closed: every open connection to an account's
   * document is checked against the store again (its session or token still valid, its
   * account still the owner or a friend shared with), one at a time so the database sees one
   * small query at a time. Run when the other processes' control messages may have been lost
   * (a Redis restart: ControlChannel.onControlGap), and every ACCESS_RECHECK_MS; a revoke made
   * meanwhile then still closes the friend's sockets, within the reconnect (or the period) plus
   * this walk instead of within a second.
   */
  async recheckAll(): Promise<number> {
    let closed = 0;
    // Asked once per walk: a busy document has many connections.
    const unowned = new Map<string, Promise<boolean>>();
    const isUnowned = (docId: string): Promise<boolean> => {
      let known = unowned.get(docId);
      if (!known) {
        known = this.store.documentAccess(docId, null).then((access) => access.kind === 'unowned');
        unowned.set(docId, known);
      }
      return known;
    };
    for (const { docId, request } of this.relay?.connections() ?? []) {
      const owner = this.owners.get(request);
      let verdict: { code: number; reason: string } | null = null;
      if (!owner) {
        // Connected while the document had no owner: it may have been attached to one since.
        if (!(await isUnowned(docId)))
          verdict = { code: AccessCloseCode.reauthenticate, reason: 'document attached to an account' };
      } else {
        const principal = await this.credentials.identify(request);
        if (!principal || credentialId(principal) !== owner.credential) {
          verdict = { code: AccessCloseCode.revoked, reason: 'signed out' };
        } else {
          const access = await this.store.documentAccess(docId, owner.accountId);
          if (access.kind !== 'owner' && access.kind !== 'shared')
            verdict = { code: AccessCloseCode.revoked, reason: 'access revoked' };
        }
      }
      if (verdict)
        closed +=
          this.relay?.closeConnections(docId, (context) => context.request === request, verdict.code, verdict.reason) ??
          0;
    }
    return closed;
  }

  /** Applies `command` here and sends it to the other processes; returns how many connections closed here. */
  private closeEverywhere(command: Omit<CloseCommand, 'type'>): number {
    const full: CloseCommand = { type: 'close-connections', ...command };
    // A sign-out covers every document of the account: sent in batches, each message small.
    for (let at = 0; at < full.docIds.length; at += CONTROL_BATCH_DOCS)
      this.control?.publishControl(JSON.stringify({ ...full, docIds: full.docIds.slice(at, at + CONTROL_BATCH_DOCS) }));
    return this.run(full);
  }

  private run(command: CloseCommand): number {
    const { docIds, id, reason } = command;
    let closed = 0;
    for (const docId of docIds) {
      if (command.op === 'account')
        closed += this.close(docId, (owner) => owner?.accountId === id, AccessCloseCode.revoked, reason);
      else if (command.op === 'allBut')
        closed += this.close(docId, (owner) => id === null || owner?.accountId !== id, AccessCloseCode.revoked, reason);
      else if (command.op === 'reauth')
        closed += this.close(docId, (owner) => owner?.accountId !== id, AccessCloseCode.reauthenticate, reason);
      else closed += this.close(docId, (owner) => owner?.credential === id, AccessCloseCode.revoked, reason);
    }
    return closed;
  }

  readonly onAuthenticate = async (context: UpgradeContext): Promise<AuthDecision> => {
    const upgrade: PendingUpgrade = { request: context.request, cut: null };
    let docPending = this.pending.get(context.docId);
    if (!docPending) this.pending.set(context.docId, (docPending = new Set()));
    docPending.add(upgrade);
    let decision: AuthDecision = 'refuse';
    try {
      decision = await this.authorize(context);
      // A close that matched while the access was being decided: the answer is already stale.
      if (upgrade.cut) decision = 'refuse';
      return decision;
    } finally {
      if (decision === 'refuse') this.forget(context.docId, upgrade);
      else this.watchRegistration(context.docId, upgrade);
    }
  };

  private async authorize(context: UpgradeContext): Promise<AuthDecision> {
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
  }

  /**
   * The relay's `identify` hook: the account behind a connection to an account's document, so
   * the presence ids that person introduces stay theirs after they leave (presence-identity.ts).
   * Account-less documents fall back to the connection's own presence key.
   */
  readonly identify = (context: UpgradeContext): string | null => {
    const owner = this.owners.get(context.request);
    return owner ? `account:${owner.accountId}` : null;
  };

  /** Keeps `upgrade` marked until the relay has registered it, then applies a close that landed meanwhile. */
  private watchRegistration(docId: string, upgrade: PendingUpgrade): void {
    const started = Date.now();
    const settle = () => {
      const cut = upgrade.cut;
      if (!cut) {
        this.forget(docId, upgrade);
        return;
      }
      const closed =
        this.relay?.closeConnections(docId, ({ request }) => request === upgrade.request, cut.code, cut.reason) ?? 0;
      if (closed > 0 || Date.now() - started > REGISTRATION_WATCH_MS) this.forget(docId, upgrade);
      else setTimeout(settle, 10);
    };
    // The relay attaches the connection in the handshake's callback, after this hook's promise settled.
    setImmediate(settle);
  }

  private forget(docId: string, upgrade: PendingUpgrade): void {
    const docPending = this.pending.get(docId);
    docPending?.delete(upgrade);
    if (docPending?.size === 0) this.pending.delete(docId);
  }

  /** Closes `accountId`'s connections to `docId` (a revoked share), on every process. */
  closeAccount(docId: string, accountId: string, reason: string): number {
    return this.closeEverywhere({ op: 'account', docIds: [docId], id: accountId, reason });
  }

  /** Closes every connection to `docId` except the owner's (Trash), or every one (`ownerId` null: purge). */
  closeAllBut(docId: string, ownerId: string | null, reason: string): number {
    return this.closeEverywhere({ op: 'allBut', docIds: [docId], id: ownerId, reason });
  }

  /** After a document was attached to `ownerId`: connections not known to be the owner's authenticate again. */
  reauthenticateAllBut(docId: string, ownerId: string): number {
    return this.closeEverywhere({
      op: 'reauth',
      docIds: [docId],
      id: ownerId,
      reason: 'document attached to an account',
    });
  }

  /** Closes the connections opened with one session or token (signed out) on the given documents. */
  closeCredential(docIds: Iterable<string>, credential: string, reason: string): number {
    return this.closeEverywhere({ op: 'credential', docIds: [...docIds], id: credential, reason });
  }

  private close(
    docId: string,
    which: (owner: ConnectionOwner | undefined) => boolean,
    code: number,
    reason: string,
  ): number {
    for (const upgrade of this.pending.get(docId) ?? [])
      if (which(this.owners.get(upgrade.request))) upgrade.cut ??= { code, reason };
    return this.relay?.closeConnections(docId, ({ request }) => which(this.owners.get(request)), code, reason) ?? 0;
  }
}

/** The id of the session or token behind a principal. */
export function credentialId(principal: Principal): string {
  return principal.kind === 'session' ? `session:${principal.session.id}` : `token:${principal.token.id}`;
}

/**
 * AccountStore: everything the server keeps about accounts, behind one interface so that a
 * second implementation (Postgres for a hosted deployment) can replace the embedded SQLite one.
 *
 * Contract (checked by tests/support/account-store-suite.ts against every implementation):
 * - Secrets never reach the store in clear: PINs, session ids and API tokens arrive already
 *   hashed (`*Hash` fields); the store only compares them for equality.
 * - Emails arrive normalised (trimmed, lower case); `email` is unique per account.
 * - Times are epoch milliseconds chosen by the caller (the store never reads a clock), so the
 *   caller's clock decides expiry and retention and tests can move it.
 * - Deleting an account removes its sessions, tokens, PINs, friendships and shares both ways;
 *   its documents' rows stay, marked purged, so their ids can never be claimed again.
 * - Every method may be called concurrently; each is atomic on its own.
 */

export interface Account {
  id: string;
  email: string;
  createdAt: number;
  /** When the user asked to delete the account; null when not scheduled. */
  deletionRequestedAt: number | null;
}

export interface PinRecord {
  email: string;
  pinHash: string;
  createdAt: number;
  expiresAt: number;
  /** Wrong tries so far. */
  failures: number;
}

export interface SessionRecord {
  /** Public id (shown in the devices list, used to sign one device out); not the secret. */
  id: string;
  /** SHA-256 of the cookie value. */
  secretHash: string;
  accountId: string;
  createdAt: number;
  lastSeenAt: number;
  expiresAt: number;
  userAgent: string;
  ip: string;
}

export interface TokenRecord {
  id: string;
  accountId: string;
  name: string;
  /** SHA-256 of the token. */
  secretHash: string;
  createdAt: number;
  lastUsedAt: number | null;
}

export type FriendshipStatus = 'pending' | 'accepted';

export interface Friendship {
  id: string;
  requesterId: string;
  requesterEmail: string;
  /** Friend requests go to an address, which may not have an account yet. */
  addresseeEmail: string;
  status: FriendshipStatus;
  createdAt: number;
  acceptedAt: number | null;
}

/** The metadata the server keeps of a document (never its content beyond the relay's log, never audio). */
export interface DocumentMetadata {
  id: string;
  name: string;
  kind: string;
  tags: string[];
  notes: string;
  roomProfile: string;
  updatedAt: number;
}

export interface OwnedDocument extends DocumentMetadata {
  ownerId: string;
  /** When moved to the server's Trash; null when not in Trash. */
  deletedAt: number | null;
  /** When purged (content deleted); the row stays so the id is never reused. */
  purgedAt: number | null;
}

export interface Share {
  docId: string;
  accountId: string;
  email: string;
  createdAt: number;
}

/** Who may reach a document on the relay. */
export type DocumentAccess =
  /** No account owns it: today's anonymous, link-shared behaviour. */
  | { kind: 'unowned' }
  | { kind: 'owner' }
  | { kind: 'shared' }
  /** Owned by someone else, or purged, or in Trash for a recipient. */
  | { kind: 'none' };

export interface AuditEntry {
  at: number;
  /** Null for events about an address with no account yet (a failed PIN). */
  accountId: string | null;
  email: string;
  event: AuditEvent;
  ip: string;
  userAgent: string;
  /** Short human-readable detail: a document name, a device, a friend's address. */
  detail: string;
}

export type AuditEvent =
  | 'pin-sent'
  | 'sign-in'
  | 'pin-failed'
  | 'new-device'
  | 'sign-out'
  | 'sign-out-everywhere'
  | 'token-created'
  | 'token-revoked'
  | 'friend-request'
  | 'share'
  | 'revoke'
  | 'export'
  | 'document-deleted'
  | 'document-restored'
  | 'document-purged'
  | 'account-deletion-requested'
  | 'account-deletion-cancelled';

export type PinSendKey = { email: string } | { ip: string };

export type ClaimResult = 'claimed' | 'updated' | 'owned-by-another';

export interface AccountStore {
  // Accounts
  findAccountByEmail(email: string): Promise<Account | null>;
  getAccount(id: string): Promise<Account | null>;
  /** Creates the account, or returns the existing one for that email. */
  ensureAccount(email: string, now: number): Promise<Account>;
  setDeletionRequested(accountId: string, at: number | null): Promise<void>;
  /** Accounts whose deletion was requested at or before `before`. */
  accountsDueForPurge(before: number): Promise<Account[]>;
  /** Removes the account and everything of it (see the contract above). */
  deleteAccount(accountId: string, now: number): Promise<void>;

  // One-time PINs: at most one live PIN per address (a new one replaces the old).
  putPin(pin: PinRecord): Promise<void>;
  getPin(email: string): Promise<PinRecord | null>;
  /** Counts a wrong try and returns the new count. */
  addPinFailure(email: string): Promise<number>;
  /** True when a PIN was deleted; with `pinHash`, only that PIN, so of two concurrent uses exactly one wins. */
  deletePin(email: string, pinHash?: string): Promise<boolean>;
  recordPinSend(email: string, ip: string, at: number): Promise<void>;
  countPinSends(key: PinSendKey, since: number): Promise<number>;
  /** Drops send records and PINs older than `before`. */
  prunePins(before: number): Promise<void>;

  // Sessions (one per signed-in device)
  createSession(session: SessionRecord): Promise<void>;
  findSessionBySecret(secretHash: string): Promise<SessionRecord | null>;
  touchSession(id: string, at: number): Promise<void>;
  listSessions(accountId: string): Promise<SessionRecord[]>;
  /** Deletes one session of the account; false when it is not there. */
  deleteSession(accountId: string, sessionId: string): Promise<boolean>;
  deleteAllSessions(accountId: string): Promise<void>;
  pruneSessions(before: number): Promise<void>;

  // Personal API tokens (CLI)
  createToken(token: TokenRecord): Promise<void>;
  findTokenBySecret(secretHash: string): Promise<TokenRecord | null>;
  touchToken(id: string, at: number): Promise<void>;
  listTokens(accountId: string): Promise<TokenRecord[]>;
  deleteToken(accountId: string, tokenId: string): Promise<boolean>;

  // Friends
  /** A new pending request, or the existing row between the two (either direction). */
  requestFriend(request: {
    id: string;
    requesterId: string;
    requesterEmail: string;
    addresseeEmail: string;
    createdAt: number;
  }): Promise<Friendship>;
  /** Every request and friendship the account takes part in (as requester, or by its email). */
  listFriendships(accountId: string, email: string): Promise<Friendship[]>;
  getFriendship(id: string): Promise<Friendship | null>;
  acceptFriendship(id: string, at: number): Promise<void>;
  deleteFriendship(id: string): Promise<void>;

  // Document ownership and metadata
  /** Records `ownerId` as owner (first claim wins) or updates the owner's metadata. */
  claimDocument(ownerId: string, metadata: DocumentMetadata): Promise<ClaimResult>;
  getDocument(id: string): Promise<OwnedDocument | null>;
  /** The account's documents that are not purged; `inTrash` picks Trash or the library. */
  listDocuments(ownerId: string, inTrash: boolean): Promise<OwnedDocument[]>;
  setDocumentDeleted(id: string, at: number | null): Promise<void>;
  /** Marks purged and drops its shares; the caller deletes the content. */
  markDocumentPurged(id: string, at: number): Promise<void>;
  /** Documents in Trash since at or before `before`, not yet purged. */
  documentsDueForPurge(before: number): Promise<OwnedDocument[]>;
  documentAccess(docId: string, accountId: string | null): Promise<DocumentAccess>;

  // Shares (read-only, to friends)
  addShare(share: { docId: string; accountId: string; createdAt: number }): Promise<void>;
  removeShare(docId: string, accountId: string): Promise<boolean>;
  listShares(docId: string): Promise<Share[]>;
  /** Documents shared with the account (not in Trash, not purged). */
  listSharedWith(accountId: string): Promise<(OwnedDocument & { ownerEmail: string; sharedAt: number })[]>;
  /** Removes every share from one account's documents to the other, both ways; returns the removed pairs. */
  removeSharesBetween(accountA: string, accountB: string): Promise<Share[]>;

  // Security activity
  appendAudit(entry: AuditEntry): Promise<void>;
  /** Newest first: the account's entries and those about its address before it had an account. */
  listAudit(accountId: string, email: string, limit: number): Promise<AuditEntry[]>;
  pruneAudit(before: number): Promise<void>;

  close(): Promise<void>;
}

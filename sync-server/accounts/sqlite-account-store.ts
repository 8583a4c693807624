/**
 * SqliteAccountStore: the embedded AccountStore, one SQLite file (`accounts.sqlite` in
 * MIXDESK_DATA) through better-sqlite3, parameterised statements only.
 *
 * Queries run synchronously on the main thread: each is a primary-key or indexed lookup of a
 * few rows (tens of microseconds), cheaper than handing them to a thread, and the relay's
 * authentication hook needs the answer before it can accept a connection anyway. WAL mode so
 * reads never wait on the occasional write.
 */
import Database from 'better-sqlite3';
import type {
  Account,
  AccountStore,
  AuditEntry,
  ClaimResult,
  DocumentAccess,
  DocumentMetadata,
  Friendship,
  OwnedDocument,
  PinRecord,
  PinSendKey,
  SessionRecord,
  Share,
  TokenRecord,
} from './account-store.ts';
import {
  toAccount,
  toAudit,
  toDocument,
  toFriendship,
  toPin,
  toSession,
  toShare,
  toToken,
  type AccountRow,
  type AuditRow,
  type DocumentRow,
  type FriendshipRow,
  type PinRow,
  type SessionRow,
  type ShareRow,
  type TokenRow,
} from './account-rows.ts';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS accounts (
  id TEXT PRIMARY KEY, email TEXT NOT NULL UNIQUE, created_at INTEGER NOT NULL, deletion_requested_at INTEGER
);
CREATE TABLE IF NOT EXISTS pins (
  email TEXT PRIMARY KEY, pin_hash TEXT NOT NULL, created_at INTEGER NOT NULL, expires_at INTEGER NOT NULL, failures INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS pin_sends (email TEXT NOT NULL, ip TEXT NOT NULL, at INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS pin_sends_email ON pin_sends (email, at);
CREATE INDEX IF NOT EXISTS pin_sends_ip ON pin_sends (ip, at);
CREATE TABLE IF NOT EXISTS sessions (
  id TEXT PRIMARY KEY, secret_hash TEXT NOT NULL UNIQUE, account_id TEXT NOT NULL, created_at INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL, expires_at INTEGER NOT NULL, user_agent TEXT NOT NULL, ip TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS sessions_account ON sessions (account_id);
CREATE TABLE IF NOT EXISTS tokens (
  id TEXT PRIMARY KEY, account_id TEXT NOT NULL, name TEXT NOT NULL, secret_hash TEXT NOT NULL UNIQUE,
  created_at INTEGER NOT NULL, last_used_at INTEGER
);
CREATE INDEX IF NOT EXISTS tokens_account ON tokens (account_id);
CREATE TABLE IF NOT EXISTS friendships (
  id TEXT PRIMARY KEY, requester_id TEXT NOT NULL, requester_email TEXT NOT NULL, addressee_email TEXT NOT NULL,
  status TEXT NOT NULL, created_at INTEGER NOT NULL, accepted_at INTEGER, UNIQUE (requester_id, addressee_email)
);
CREATE INDEX IF NOT EXISTS friendships_addressee ON friendships (addressee_email);
CREATE TABLE IF NOT EXISTS documents (
  id TEXT PRIMARY KEY, owner_id TEXT NOT NULL, name TEXT NOT NULL, kind TEXT NOT NULL, tags TEXT NOT NULL,
  notes TEXT NOT NULL, room_profile TEXT NOT NULL, updated_at INTEGER NOT NULL, deleted_at INTEGER, purged_at INTEGER
);
CREATE INDEX IF NOT EXISTS documents_owner ON documents (owner_id);
CREATE TABLE IF NOT EXISTS shares (
  doc_id TEXT NOT NULL, account_id TEXT NOT NULL, created_at INTEGER NOT NULL, PRIMARY KEY (doc_id, account_id)
);
CREATE INDEX IF NOT EXISTS shares_account ON shares (account_id);
CREATE TABLE IF NOT EXISTS audit (
  seq INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL, account_id TEXT, email TEXT NOT NULL, event TEXT NOT NULL,
  ip TEXT NOT NULL, user_agent TEXT NOT NULL, detail TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS audit_account ON audit (account_id, seq);
CREATE INDEX IF NOT EXISTS audit_email ON audit (email, seq);
CREATE INDEX IF NOT EXISTS audit_at ON audit (at);
`;

export class SqliteAccountStore implements AccountStore {
  private readonly db: Database.Database;
  private readonly newId: () => string;
  private readonly statements = new Map<string, Database.Statement<unknown[]>>();

  /** `newId` makes account ids (the service passes a random one). */
  constructor(file: string, newId: () => string) {
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(SCHEMA);
    this.newId = newId;
  }

  /** Statements are prepared once per SQL text (the texts are constants of this file). */
  private statement(sql: string): Database.Statement<unknown[]> {
    let prepared = this.statements.get(sql);
    if (!prepared) {
      prepared = this.db.prepare<unknown[]>(sql);
      this.statements.set(sql, prepared);
    }
    return prepared;
  }

  private one<R>(sql: string, ...params: unknown[]): R | undefined {
    return this.statement(sql).get(...params) as R | undefined;
  }

  private all<R>(sql: string, ...params: unknown[]): R[] {
    return this.statement(sql).all(...params) as R[];
  }

  private run(sql: string, ...params: unknown[]): number {
    return this.statement(sql).run(...params).changes;
  }

  // Accounts

  async findAccountByEmail(email: string): Promise<Account | null> {
    const row = this.one<AccountRow>('SELECT * FROM accounts WHERE email = ?', email);
    return row ? toAccount(row) : null;
  }

  async getAccount(id: string): Promise<Account | null> {
    const row = this.one<AccountRow>('SELECT * FROM accounts WHERE id = ?', id);
    return row ? toAccount(row) : null;
  }

  async ensureAccount(email: string, now: number): Promise<Account> {
    this.run(
      'INSERT INTO accounts (id, email, created_at) VALUES (?, ?, ?) ON CONFLICT (email) DO NOTHING',
      this.newId(),
      email,
      now,
    );
    return toAccount(this.one<AccountRow>('SELECT * FROM accounts WHERE email = ?', email)!);
  }

  async setDeletionRequested(accountId: string, at: number | null): Promise<void> {
    this.run('UPDATE accounts SET deletion_requested_at = ? WHERE id = ?', at, accountId);
  }

  async accountsDueForPurge(before: number): Promise<Account[]> {
    return this.all<AccountRow>(
      'SELECT * FROM accounts WHERE deletion_requested_at IS NOT NULL AND deletion_requested_at <= ?',
      before,
    ).map(toAccount);
  }

  async deleteAccount(accountId: string, now: number): Promise<void> {
    const account = await this.getAccount(accountId);
    if (!account) return;
    this.db.transaction(() => {
      this.run('DELETE FROM sessions WHERE account_id = ?', accountId);
      this.run('DELETE FROM tokens WHERE account_id = ?', accountId);
      this.run('DELETE FROM pins WHERE email = ?', account.email);
      this.run('DELETE FROM friendships WHERE requester_id = ? OR addressee_email = ?', accountId, account.email);
      this.run(
        'DELETE FROM shares WHERE account_id = ? OR doc_id IN (SELECT id FROM documents WHERE owner_id = ?)',
        accountId,
        accountId,
      );
      this.run(
        `UPDATE documents SET purged_at = ?, name = '', notes = '', tags = '[]', room_profile = '' WHERE owner_id = ? AND purged_at IS NULL`,
        now,
        accountId,
      );
      this.run('DELETE FROM audit WHERE account_id = ? OR email = ?', accountId, account.email);
      this.run('DELETE FROM accounts WHERE id = ?', accountId);
    })();
  }

  // PINs

  async putPin(pin: PinRecord): Promise<void> {
    this.run(
      `INSERT INTO pins (email, pin_hash, created_at, expires_at, failures) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT (email) DO UPDATE SET pin_hash = excluded.pin_hash, created_at = excluded.created_at,
      expires_at = excluded.expires_at, failures = excluded.failures`,
      pin.email,
      pin.pinHash,
      pin.createdAt,
      pin.expiresAt,
      pin.failures,
    );
  }

  async getPin(email: string): Promise<PinRecord | null> {
    const row = this.one<PinRow>('SELECT * FROM pins WHERE email = ?', email);
    return row ? toPin(row) : null;
  }

  async addPinFailure(email: string): Promise<number> {
    const row = this.one<{ failures: number }>(
      'UPDATE pins SET failures = failures + 1 WHERE email = ? RETURNING failures',
      email,
    );
    return row?.failures ?? 0;
  }

  async deletePin(email: string, pinHash?: string): Promise<boolean> {
    return pinHash === undefined
      ? this.run('DELETE FROM pins WHERE email = ?', email) > 0
      : this.run('DELETE FROM pins WHERE email = ? AND pin_hash = ?', email, pinHash) > 0;
  }

  async recordPinSend(email: string, ip: string, at: number): Promise<void> {
    this.run('INSERT INTO pin_sends (email, ip, at) VALUES (?, ?, ?)', email, ip, at);
  }

  async countPinSends(key: PinSendKey, since: number): Promise<number> {
    const row =
      'email' in key
        ? this.one<{ n: number }>('SELECT count(*) AS n FROM pin_sends WHERE email = ? AND at > ?', key.email, since)
        : this.one<{ n: number }>('SELECT count(*) AS n FROM pin_sends WHERE ip = ? AND at > ?', key.ip, since);
    return row?.n ?? 0;
  }

  async prunePins(before: number): Promise<void> {
    this.run('DELETE FROM pin_sends WHERE at < ?', before);
    this.run('DELETE FROM pins WHERE expires_at < ?', before);
  }

  // Sessions

  async createSession(s: SessionRecord): Promise<void> {
    this.run(
      `INSERT INTO sessions (id, secret_hash, account_id, created_at, last_seen_at, expires_at, user_agent, ip)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      s.id,
      s.secretHash,
      s.accountId,
      s.createdAt,
      s.lastSeenAt,
      s.expiresAt,
      s.userAgent,
      s.ip,
    );
  }

  async findSessionBySecret(secretHash: string): Promise<SessionRecord | null> {
    const row = this.one<SessionRow>('SELECT * FROM sessions WHERE secret_hash = ?', secretHash);
    return row ? toSession(row) : null;
  }

  async touchSession(id: string, at: number): Promise<void> {
    this.run('UPDATE sessions SET last_seen_at = ? WHERE id = ?', at, id);
  }

  async listSessions(accountId: string): Promise<SessionRecord[]> {
    return this.all<SessionRow>('SELECT * FROM sessions WHERE account_id = ? ORDER BY created_at', accountId).map(
      toSession,
    );
  }

  async deleteSession(accountId: string, sessionId: string): Promise<boolean> {
    return this.run('DELETE FROM sessions WHERE account_id = ? AND id = ?', accountId, sessionId) > 0;
  }

  async deleteAllSessions(accountId: string): Promise<void> {
    this.run('DELETE FROM sessions WHERE account_id = ?', accountId);
  }

  async pruneSessions(before: number): Promise<void> {
    this.run('DELETE FROM sessions WHERE expires_at < ?', before);
  }

  // Tokens

  async createToken(t: TokenRecord): Promise<void> {
    this.run(
      'INSERT INTO tokens (id, account_id, name, secret_hash, created_at, last_used_at) VALUES (?, ?, ?, ?, ?, ?)',
      t.id,
      t.accountId,
      t.name,
      t.secretHash,
      t.createdAt,
      t.lastUsedAt,
    );
  }

  async findTokenBySecret(secretHash: string): Promise<TokenRecord | null> {
    const row = this.one<TokenRow>('SELECT * FROM tokens WHERE secret_hash = ?', secretHash);
    return row ? toToken(row) : null;
  }

  async touchToken(id: string, at: number): Promise<void> {
    this.run('UPDATE tokens SET last_used_at = ? WHERE id = ?', at, id);
  }

  async listTokens(accountId: string): Promise<TokenRecord[]> {
    return this.all<TokenRow>('SELECT * FROM tokens WHERE account_id = ? ORDER BY created_at', accountId).map(toToken);
  }

  async deleteToken(accountId: string, tokenId: string): Promise<boolean> {
    return this.run('DELETE FROM tokens WHERE account_id = ? AND id = ?', accountId, tokenId) > 0;
  }

  // Friends

  async requestFriend(r: {
    id: string;
    requesterId: string;
    requesterEmail: string;
    addresseeEmail: string;
    createdAt: number;
  }): Promise<Friendship> {
    const existing = this.one<FriendshipRow>(
      `SELECT * FROM friendships WHERE (requester_id = ? AND addressee_email = ?)
        OR (requester_email = ? AND addressee_email = ?)`,
      r.requesterId,
      r.addresseeEmail,
      r.addresseeEmail,
      r.requesterEmail,
    );
    if (existing) return toFriendship(existing);
    this.run(
      `INSERT INTO friendships (id, requester_id, requester_email, addressee_email, status, created_at) VALUES (?, ?, ?, ?, 'pending', ?)`,
      r.id,
      r.requesterId,
      r.requesterEmail,
      r.addresseeEmail,
      r.createdAt,
    );
    return toFriendship(this.one<FriendshipRow>('SELECT * FROM friendships WHERE id = ?', r.id)!);
  }

  async listFriendships(accountId: string, email: string): Promise<Friendship[]> {
    return this.all<FriendshipRow>(
      'SELECT * FROM friendships WHERE requester_id = ? OR addressee_email = ? ORDER BY created_at',
      accountId,
      email,
    ).map(toFriendship);
  }

  async getFriendship(id: string): Promise<Friendship | null> {
    const row = this.one<FriendshipRow>('SELECT * FROM friendships WHERE id = ?', id);
    return row ? toFriendship(row) : null;
  }

  async acceptFriendship(id: string, at: number): Promise<void> {
    this.run(`UPDATE friendships SET status = 'accepted', accepted_at = ? WHERE id = ? AND status = 'pending'`, at, id);
  }

  async deleteFriendship(id: string): Promise<void> {
    this.run('DELETE FROM friendships WHERE id = ?', id);
  }

  // Documents

  async claimDocument(ownerId: string, m: DocumentMetadata): Promise<ClaimResult> {
    return this.db.transaction((): ClaimResult => {
      const current = this.one<{ owner_id: string; purged_at: number | null }>(
        'SELECT owner_id, purged_at FROM documents WHERE id = ?',
        m.id,
      );
      if (current && (current.owner_id !== ownerId || current.purged_at !== null)) return 'owned-by-another';
      const tags = JSON.stringify(m.tags);
      if (current) {
        this.run(
          'UPDATE documents SET name = ?, kind = ?, tags = ?, notes = ?, room_profile = ?, updated_at = ? WHERE id = ?',
          m.name,
          m.kind,
          tags,
          m.notes,
          m.roomProfile,
          m.updatedAt,
          m.id,
        );
        return 'updated';
      }
      this.run(
        `INSERT INTO documents (id, owner_id, name, kind, tags, notes, room_profile, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        m.id,
        ownerId,
        m.name,
        m.kind,
        tags,
        m.notes,
        m.roomProfile,
        m.updatedAt,
      );
      return 'claimed';
    })();
  }

  async getDocument(id: string): Promise<OwnedDocument | null> {
    const row = this.one<DocumentRow>('SELECT * FROM documents WHERE id = ?', id);
    return row ? toDocument(row) : null;
  }

  async listDocuments(ownerId: string, inTrash: boolean): Promise<OwnedDocument[]> {
    const sql = `SELECT * FROM documents WHERE owner_id = ? AND purged_at IS NULL AND deleted_at IS ${inTrash ? 'NOT NULL' : 'NULL'} ORDER BY updated_at DESC`;
    return this.all<DocumentRow>(sql, ownerId).map(toDocument);
  }

  async setDocumentDeleted(id: string, at: number | null): Promise<void> {
    this.run('UPDATE documents SET deleted_at = ? WHERE id = ? AND purged_at IS NULL', at, id);
  }

  async markDocumentPurged(id: string, at: number): Promise<void> {
    this.db.transaction(() => {
      this.run(
        `UPDATE documents SET purged_at = ?, name = '', notes = '', tags = '[]', room_profile = '' WHERE id = ?`,
        at,
        id,
      );
      this.run('DELETE FROM shares WHERE doc_id = ?', id);
    })();
  }

  async documentsDueForPurge(before: number): Promise<OwnedDocument[]> {
    return this.all<DocumentRow>(
      'SELECT * FROM documents WHERE deleted_at IS NOT NULL AND deleted_at <= ? AND purged_at IS NULL',
      before,
    ).map(toDocument);
  }

  async documentAccess(docId: string, accountId: string | null): Promise<DocumentAccess> {
    const row = this.one<{ owner_id: string; deleted_at: number | null; purged_at: number | null }>(
      'SELECT owner_id, deleted_at, purged_at FROM documents WHERE id = ?',
      docId,
    );
    if (!row) return { kind: 'unowned' };
    if (row.purged_at !== null || accountId === null) return { kind: 'none' };
    if (row.owner_id === accountId) return { kind: 'owner' };
    if (row.deleted_at !== null) return { kind: 'none' };
    const shared = this.one<{ n: number }>(
      'SELECT 1 AS n FROM shares WHERE doc_id = ? AND account_id = ?',
      docId,
      accountId,
    );
    return shared ? { kind: 'shared' } : { kind: 'none' };
  }

  // Shares

  async addShare(s: { docId: string; accountId: string; createdAt: number }): Promise<void> {
    this.run(
      'INSERT INTO shares (doc_id, account_id, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
      s.docId,
      s.accountId,
      s.createdAt,
    );
  }

  async removeShare(docId: string, accountId: string): Promise<boolean> {
    return this.run('DELETE FROM shares WHERE doc_id = ? AND account_id = ?', docId, accountId) > 0;
  }

  async listShares(docId: string): Promise<Share[]> {
    return this.all<ShareRow>(
      `SELECT s.doc_id, s.account_id, a.email, s.created_at FROM shares s JOIN accounts a ON a.id = s.account_id
        WHERE s.doc_id = ? ORDER BY s.created_at`,
      docId,
    ).map(toShare);
  }

  async listSharedWith(accountId: string): Promise<(OwnedDocument & { ownerEmail: string; sharedAt: number })[]> {
    return this.all<DocumentRow & { owner_email: string; shared_at: number }>(
      `SELECT d.*, a.email AS owner_email, s.created_at AS shared_at FROM shares s
        JOIN documents d ON d.id = s.doc_id JOIN accounts a ON a.id = d.owner_id
        WHERE s.account_id = ? AND d.deleted_at IS NULL AND d.purged_at IS NULL ORDER BY d.updated_at DESC`,
      accountId,
    ).map((r) => ({ ...toDocument(r), ownerEmail: r.owner_email, sharedAt: r.shared_at }));
  }

  async removeSharesBetween(accountA: string, accountB: string): Promise<Share[]> {
    return this.db.transaction(() => {
      const rows = this.all<ShareRow>(
        `SELECT s.doc_id, s.account_id, a.email, s.created_at FROM shares s JOIN documents d ON d.id = s.doc_id
          JOIN accounts a ON a.id = s.account_id
          WHERE (d.owner_id = ? AND s.account_id = ?) OR (d.owner_id = ? AND s.account_id = ?)`,
        accountA,
        accountB,
        accountB,
        accountA,
      );
      for (const r of rows) this.run('DELETE FROM shares WHERE doc_id = ? AND account_id = ?', r.doc_id, r.account_id);
      return rows.map(toShare);
    })();
  }

  // Audit

  async appendAudit(e: AuditEntry): Promise<void> {
    this.run(
      'INSERT INTO audit (at, account_id, email, event, ip, user_agent, detail) VALUES (?, ?, ?, ?, ?, ?, ?)',
      e.at,
      e.accountId,
      e.email,
      e.event,
      e.ip,
      e.userAgent,
      e.detail,
    );
  }

  async listAudit(accountId: string, email: string, limit: number): Promise<AuditEntry[]> {
    return this.all<AuditRow>(
      `SELECT * FROM audit WHERE account_id = ? OR (account_id IS NULL AND email = ?) ORDER BY seq DESC LIMIT ?`,
      accountId,
      email,
      limit,
    ).map(toAudit);
  }

  async pruneAudit(before: number): Promise<void> {
    this.run('DELETE FROM audit WHERE at < ?', before);
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}

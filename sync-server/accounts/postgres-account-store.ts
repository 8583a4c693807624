/**
 * PostgresAccountStore: the AccountStore of a scaled-out deployment (MIXDESK_DATABASE_URL), the
 * same tables as the SQLite store (account-rows.ts) in PostgreSQL, parameterised queries only.
 *
 * Every process of the deployment shares these rows, so "each method is atomic on its own" is
 * kept across processes, not just across calls of one process: read-then-write methods run in
 * a transaction that locks what they decide on (a row lock, or a transaction-level advisory lock
 * when the row may not exist yet), and inserts that could race use ON CONFLICT.
 */
import type pg from 'pg';
import { inTransaction } from '../postgres/pg-pool.ts';
import { migratePostgres } from '../postgres/migrations.ts';
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

/** First key of the advisory lock that serialises friend requests between one pair of addresses. */
const FRIEND_REQUEST_LOCK = 0x6672_6e64; // 'frnd'

type Queryable = Pick<pg.Pool, 'query'> | pg.PoolClient;

export class PostgresAccountStore implements AccountStore {
  private readonly pool: pg.Pool;
  private readonly newId: () => string;
  private closed = false;

  /** Applies the schema's migrations first; use this rather than the constructor. */
  static async open(pool: pg.Pool, newId: () => string): Promise<PostgresAccountStore> {
    await migratePostgres(pool);
    return new PostgresAccountStore(pool, newId);
  }

  /** `pool` is the deployment's (not ended by close()); `newId` makes account ids. */
  constructor(pool: pg.Pool, newId: () => string) {
    this.pool = pool;
    this.newId = newId;
  }

  private async rows<R extends pg.QueryResultRow>(
    sql: string,
    params: unknown[],
    db: Queryable = this.pool,
  ): Promise<R[]> {
    if (this.closed) throw new Error('PostgresAccountStore is closed');
    return (await db.query<R>(sql, params)).rows;
  }

  private async one<R extends pg.QueryResultRow>(
    sql: string,
    params: unknown[],
    db?: Queryable,
  ): Promise<R | undefined> {
    return (await this.rows<R>(sql, params, db))[0];
  }

  /** Rows changed. */
  private async run(sql: string, params: unknown[], db: Queryable = this.pool): Promise<number> {
    if (this.closed) throw new Error('PostgresAccountStore is closed');
    return (await db.query(sql, params)).rowCount ?? 0;
  }

  private transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new Error('PostgresAccountStore is closed'));
    return inTransaction(this.pool, work);
  }

  // Accounts

  async findAccountByEmail(email: string): Promise<Account | null> {
    const row = await this.one<AccountRow>('SELECT * FROM accounts WHERE email = $1', [email]);
    return row ? toAccount(row) : null;
  }

  async getAccount(id: string): Promise<Account | null> {
    const row = await this.one<AccountRow>('SELECT * FROM accounts WHERE id = $1', [id]);
    return row ? toAccount(row) : null;
  }

  async ensureAccount(email: string, now: number): Promise<Account> {
    await this.run('INSERT INTO accounts (id, email, created_at) VALUES ($1, $2, $3) ON CONFLICT (email) DO NOTHING', [
      this.newId(),
      email,
      now,
    ]);
    return toAccount((await this.one<AccountRow>('SELECT * FROM accounts WHERE email = $1', [email]))!);
  }

  async setDeletionRequested(accountId: string, at: number | null): Promise<void> {
    await this.run('UPDATE accounts SET deletion_requested_at = $1 WHERE id = $2', [at, accountId]);
  }

  async accountsDueForPurge(before: number): Promise<Account[]> {
    return (
      await this.rows<AccountRow>(
        'SELECT * FROM accounts WHERE deletion_requested_at IS NOT NULL AND deletion_requested_at <= $1',
        [before],
      )
    ).map(toAccount);
  }

  async deleteAccount(accountId: string, now: number): Promise<void> {
    await this.transaction(async (db) => {
      const account = await this.one<AccountRow>('SELECT * FROM accounts WHERE id = $1 FOR UPDATE', [accountId], db);
      if (!account) return;
      await this.run('DELETE FROM sessions WHERE account_id = $1', [accountId], db);
      await this.run('DELETE FROM tokens WHERE account_id = $1', [accountId], db);
      await this.run('DELETE FROM pins WHERE email = $1', [account.email], db);
      await this.run(
        'DELETE FROM friendships WHERE requester_id = $1 OR addressee_email = $2',
        [accountId, account.email],
        db,
      );
      await this.run(
        'DELETE FROM shares WHERE account_id = $1 OR doc_id IN (SELECT id FROM documents WHERE owner_id = $1)',
        [accountId],
        db,
      );
      await this.run(
        `UPDATE documents SET purged_at = $1, name = '', notes = '', tags = '[]', room_profile = ''
          WHERE owner_id = $2 AND purged_at IS NULL`,
        [now, accountId],
        db,
      );
      await this.run('DELETE FROM audit WHERE account_id = $1 OR email = $2', [accountId, account.email], db);
      await this.run('DELETE FROM accounts WHERE id = $1', [accountId], db);
    });
  }

  // PINs

  async putPin(pin: PinRecord): Promise<void> {
    await this.run(
      `INSERT INTO pins (email, pin_hash, created_at, expires_at, failures) VALUES ($1, $2, $3, $4, $5)
      ON CONFLICT (email) DO UPDATE SET pin_hash = excluded.pin_hash, created_at = excluded.created_at,
      expires_at = excluded.expires_at, failures = excluded.failures`,
      [pin.email, pin.pinHash, pin.createdAt, pin.expiresAt, pin.failures],
    );
  }

  async getPin(email: string): Promise<PinRecord | null> {
    const row = await this.one<PinRow>('SELECT * FROM pins WHERE email = $1', [email]);
    return row ? toPin(row) : null;
  }

  async addPinFailure(email: string): Promise<number> {
    const row = await this.one<{ failures: number }>(
      'UPDATE pins SET failures = failures + 1 WHERE email = $1 RETURNING failures',
      [email],
    );
    return row?.failures ?? 0;
  }

  async deletePin(email: string, pinHash?: string): Promise<boolean> {
    return pinHash === undefined
      ? (await this.run('DELETE FROM pins WHERE email = $1', [email])) > 0
      : (await this.run('DELETE FROM pins WHERE email = $1 AND pin_hash = $2', [email, pinHash])) > 0;
  }

  async recordPinSend(email: string, ip: string, at: number): Promise<void> {
    await this.run('INSERT INTO pin_sends (email, ip, at) VALUES ($1, $2, $3)', [email, ip, at]);
  }

  async countPinSends(key: PinSendKey, since: number): Promise<number> {
    const row =
      'email' in key
        ? await this.one<{ n: number }>('SELECT count(*) AS n FROM pin_sends WHERE email = $1 AND at > $2', [
            key.email,
            since,
          ])
        : await this.one<{ n: number }>('SELECT count(*) AS n FROM pin_sends WHERE ip = $1 AND at > $2', [
            key.ip,
            since,
          ]);
    return row?.n ?? 0;
  }

  async prunePins(before: number): Promise<void> {
    await this.run('DELETE FROM pin_sends WHERE at < $1', [before]);
    await this.run('DELETE FROM pins WHERE expires_at < $1', [before]);
  }

  // Sessions

  async createSession(s: SessionRecord): Promise<void> {
    await this.run(
      `INSERT INTO sessions (id, secret_hash, account_id, created_at, last_seen_at, expires_at, user_agent, ip)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [s.id, s.secretHash, s.accountId, s.createdAt, s.lastSeenAt, s.expiresAt, s.userAgent, s.ip],
    );
  }

  async findSessionBySecret(secretHash: string): Promise<SessionRecord | null> {
    const row = await this.one<SessionRow>('SELECT * FROM sessions WHERE secret_hash = $1', [secretHash]);
    return row ? toSession(row) : null;
  }

  async touchSession(id: string, at: number): Promise<void> {
    await this.run('UPDATE sessions SET last_seen_at = $1 WHERE id = $2', [at, id]);
  }

  async listSessions(accountId: string): Promise<SessionRecord[]> {
    return (
      await this.rows<SessionRow>('SELECT * FROM sessions WHERE account_id = $1 ORDER BY created_at, id', [accountId])
    ).map(toSession);
  }

  async deleteSession(accountId: string, sessionId: string): Promise<boolean> {
    return (await this.run('DELETE FROM sessions WHERE account_id = $1 AND id = $2', [accountId, sessionId])) > 0;
  }

  async deleteAllSessions(accountId: string): Promise<void> {
    await this.run('DELETE FROM sessions WHERE account_id = $1', [accountId]);
  }

  async pruneSessions(before: number): Promise<void> {
    await this.run('DELETE FROM sessions WHERE expires_at < $1', [before]);
  }

  // Tokens

  async createToken(t: TokenRecord): Promise<void> {
    await this.run(
      'INSERT INTO tokens (id, account_id, name, secret_hash, created_at, last_used_at) VALUES ($1, $2, $3, $4, $5, $6)',
      [t.id, t.accountId, t.name, t.secretHash, t.createdAt, t.lastUsedAt],
    );
  }

  async findTokenBySecret(secretHash: string): Promise<TokenRecord | null> {
    const row = await this.one<TokenRow>('SELECT * FROM tokens WHERE secret_hash = $1', [secretHash]);
    return row ? toToken(row) : null;
  }

  async touchToken(id: string, at: number): Promise<void> {
    await this.run('UPDATE tokens SET last_used_at = $1 WHERE id = $2', [at, id]);
  }

  async listTokens(accountId: string): Promise<TokenRecord[]> {
    return (
      await this.rows<TokenRow>('SELECT * FROM tokens WHERE account_id = $1 ORDER BY created_at, id', [accountId])
    ).map(toToken);
  }

  async deleteToken(accountId: string, tokenId: string): Promise<boolean> {
    return (await this.run('DELETE FROM tokens WHERE account_id = $1 AND id = $2', [accountId, tokenId])) > 0;
  }

  // Friends

  async requestFriend(r: {
    id: string;
    requesterId: string;
    requesterEmail: string;
    addresseeEmail: string;
    createdAt: number;
  }): Promise<Friendship> {
    // Locked per unordered pair of addresses, so two processes asking both ways at once make one row.
    const pair = [r.requesterEmail, r.addresseeEmail].sort().join('\n');
    return this.transaction(async (db) => {
      await db.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [FRIEND_REQUEST_LOCK, pair]);
      const existing = await this.one<FriendshipRow>(
        `SELECT * FROM friendships WHERE (requester_id = $1 AND addressee_email = $2)
          OR (requester_email = $2 AND addressee_email = $3)`,
        [r.requesterId, r.addresseeEmail, r.requesterEmail],
        db,
      );
      if (existing) return toFriendship(existing);
      const inserted = await this.one<FriendshipRow>(
        `INSERT INTO friendships (id, requester_id, requester_email, addressee_email, status, created_at)
          VALUES ($1, $2, $3, $4, 'pending', $5) RETURNING *`,
        [r.id, r.requesterId, r.requesterEmail, r.addresseeEmail, r.createdAt],
        db,
      );
      return toFriendship(inserted!);
    });
  }

  async listFriendships(accountId: string, email: string): Promise<Friendship[]> {
    return (
      await this.rows<FriendshipRow>(
        'SELECT * FROM friendships WHERE requester_id = $1 OR addressee_email = $2 ORDER BY created_at, id',
        [accountId, email],
      )
    ).map(toFriendship);
  }

  async getFriendship(id: string): Promise<Friendship | null> {
    const row = await this.one<FriendshipRow>('SELECT * FROM friendships WHERE id = $1', [id]);
    return row ? toFriendship(row) : null;
  }

  async acceptFriendship(id: string, at: number): Promise<void> {
    await this.run(
      `UPDATE friendships SET status = 'accepted', accepted_at = $1 WHERE id = $2 AND status = 'pending'`,
      [at, id],
    );
  }

  async deleteFriendship(id: string): Promise<void> {
    await this.run('DELETE FROM friendships WHERE id = $1', [id]);
  }

  // Documents

  async claimDocument(ownerId: string, m: DocumentMetadata): Promise<ClaimResult> {
    const tags = JSON.stringify(m.tags);
    return this.transaction(async (db): Promise<ClaimResult> => {
      // First claim wins: of two processes inserting at once, one inserts and the other's
      // ON CONFLICT waits for it and then sees the row as someone's.
      const inserted = await this.run(
        `INSERT INTO documents (id, owner_id, name, kind, tags, notes, room_profile, updated_at)
          VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (id) DO NOTHING`,
        [m.id, ownerId, m.name, m.kind, tags, m.notes, m.roomProfile, m.updatedAt],
        db,
      );
      if (inserted > 0) return 'claimed';
      const current = await this.one<{ owner_id: string; purged_at: number | null }>(
        'SELECT owner_id, purged_at FROM documents WHERE id = $1 FOR UPDATE',
        [m.id],
        db,
      );
      if (!current || current.owner_id !== ownerId || current.purged_at !== null) return 'owned-by-another';
      await this.run(
        'UPDATE documents SET name = $1, kind = $2, tags = $3, notes = $4, room_profile = $5, updated_at = $6 WHERE id = $7',
        [m.name, m.kind, tags, m.notes, m.roomProfile, m.updatedAt, m.id],
        db,
      );
      return 'updated';
    });
  }

  async getDocument(id: string): Promise<OwnedDocument | null> {
    const row = await this.one<DocumentRow>('SELECT * FROM documents WHERE id = $1', [id]);
    return row ? toDocument(row) : null;
  }

  async listDocuments(ownerId: string, inTrash: boolean): Promise<OwnedDocument[]> {
    const sql = `SELECT * FROM documents WHERE owner_id = $1 AND purged_at IS NULL AND deleted_at IS ${inTrash ? 'NOT NULL' : 'NULL'} ORDER BY updated_at DESC, id`;
    return (await this.rows<DocumentRow>(sql, [ownerId])).map(toDocument);
  }

  async setDocumentDeleted(id: string, at: number | null): Promise<void> {
    await this.run('UPDATE documents SET deleted_at = $1 WHERE id = $2 AND purged_at IS NULL', [at, id]);
  }

  async markDocumentPurged(id: string, at: number): Promise<void> {
    await this.transaction(async (db) => {
      await this.run(
        `UPDATE documents SET purged_at = $1, name = '', notes = '', tags = '[]', room_profile = '' WHERE id = $2`,
        [at, id],
        db,
      );
      await this.run('DELETE FROM shares WHERE doc_id = $1', [id], db);
    });
  }

  async documentsDueForPurge(before: number): Promise<OwnedDocument[]> {
    return (
      await this.rows<DocumentRow>(
        'SELECT * FROM documents WHERE deleted_at IS NOT NULL AND deleted_at <= $1 AND purged_at IS NULL',
        [before],
      )
    ).map(toDocument);
  }

  async documentAccess(docId: string, accountId: string | null): Promise<DocumentAccess> {
    // One query (the relay asks on every connection): the document and whether it is shared with the account.
    const row = await this.one<{
      owner_id: string;
      deleted_at: number | null;
      purged_at: number | null;
      shared: boolean;
    }>(
      `SELECT d.owner_id, d.deleted_at, d.purged_at,
          EXISTS (SELECT 1 FROM shares s WHERE s.doc_id = d.id AND s.account_id = $2) AS shared
        FROM documents d WHERE d.id = $1`,
      [docId, accountId],
    );
    if (!row) return { kind: 'unowned' };
    if (row.purged_at !== null || accountId === null) return { kind: 'none' };
    if (row.owner_id === accountId) return { kind: 'owner' };
    if (row.deleted_at !== null) return { kind: 'none' };
    return row.shared ? { kind: 'shared' } : { kind: 'none' };
  }

  // Shares

  async addShare(s: { docId: string; accountId: string; createdAt: number }): Promise<void> {
    await this.run('INSERT INTO shares (doc_id, account_id, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [
      s.docId,
      s.accountId,
      s.createdAt,
    ]);
  }

  async removeShare(docId: string, accountId: string): Promise<boolean> {
    return (await this.run('DELETE FROM shares WHERE doc_id = $1 AND account_id = $2', [docId, accountId])) > 0;
  }

  async listShares(docId: string): Promise<Share[]> {
    return (
      await this.rows<ShareRow>(
        `SELECT s.doc_id, s.account_id, a.email, s.created_at FROM shares s JOIN accounts a ON a.id = s.account_id
          WHERE s.doc_id = $1 ORDER BY s.created_at, s.account_id`,
        [docId],
      )
    ).map(toShare);
  }

  async listSharedWith(accountId: string): Promise<(OwnedDocument & { ownerEmail: string; sharedAt: number })[]> {
    return (
      await this.rows<DocumentRow & { owner_email: string; shared_at: number }>(
        `SELECT d.*, a.email AS owner_email, s.created_at AS shared_at FROM shares s
          JOIN documents d ON d.id = s.doc_id JOIN accounts a ON a.id = d.owner_id
          WHERE s.account_id = $1 AND d.deleted_at IS NULL AND d.purged_at IS NULL ORDER BY d.updated_at DESC, d.id`,
        [accountId],
      )
    ).map((r) => ({ ...toDocument(r), ownerEmail: r.owner_email, sharedAt: r.shared_at }));
  }

  async removeSharesBetween(accountA: string, accountB: string): Promise<Share[]> {
    // One statement: the shares it returns are exactly the ones it deleted.
    return (
      await this.rows<ShareRow>(
        `WITH gone AS (
          DELETE FROM shares s USING documents d
            WHERE d.id = s.doc_id AND ((d.owner_id = $1 AND s.account_id = $2) OR (d.owner_id = $2 AND s.account_id = $1))
            RETURNING s.doc_id, s.account_id, s.created_at)
        SELECT gone.doc_id, gone.account_id, a.email, gone.created_at FROM gone JOIN accounts a ON a.id = gone.account_id`,
        [accountA, accountB],
      )
    ).map(toShare);
  }

  // Audit

  async appendAudit(e: AuditEntry): Promise<void> {
    await this.run(
      'INSERT INTO audit (at, account_id, email, event, ip, user_agent, detail) VALUES ($1, $2, $3, $4, $5, $6, $7)',
      [e.at, e.accountId, e.email, e.event, e.ip, e.userAgent, e.detail],
    );
  }

  async listAudit(accountId: string, email: string, limit: number): Promise<AuditEntry[]> {
    return (
      await this.rows<AuditRow>(
        'SELECT * FROM audit WHERE account_id = $1 OR (account_id IS NULL AND email = $2) ORDER BY seq DESC LIMIT $3',
        [accountId, email, limit],
      )
    ).map(toAudit);
  }

  async pruneAudit(before: number): Promise<void> {
    await this.run('DELETE FROM audit WHERE at < $1', [before]);
  }

  /** Later calls reject; the pool is the server's to end. */
  async close(): Promise<void> {
    this.closed = true;
  }
}

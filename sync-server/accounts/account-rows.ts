/**
 * The account tables' rows as SQL returns them (snake_case columns, epoch-ms numbers, tags as
 * JSON text) and their conversion to the AccountStore's records: the same schema in SQLite and
 * PostgreSQL, so both stores share these.
 */
import type {
  Account,
  AuditEntry,
  AuditEvent,
  Friendship,
  OwnedDocument,
  PinRecord,
  SessionRecord,
  Share,
  TokenRecord,
} from './account-store.ts';

export interface AccountRow {
  id: string;
  email: string;
  created_at: number;
  deletion_requested_at: number | null;
}
export interface SessionRow {
  id: string;
  secret_hash: string;
  account_id: string;
  created_at: number;
  last_seen_at: number;
  expires_at: number;
  user_agent: string;
  ip: string;
}
export interface TokenRow {
  id: string;
  account_id: string;
  name: string;
  secret_hash: string;
  created_at: number;
  last_used_at: number | null;
}
export interface FriendshipRow {
  id: string;
  requester_id: string;
  requester_email: string;
  addressee_email: string;
  status: string;
  created_at: number;
  accepted_at: number | null;
}
export interface DocumentRow {
  id: string;
  owner_id: string;
  name: string;
  kind: string;
  tags: string;
  notes: string;
  room_profile: string;
  updated_at: number;
  deleted_at: number | null;
  purged_at: number | null;
}
export interface AuditRow {
  at: number;
  account_id: string | null;
  email: string;
  event: string;
  ip: string;
  user_agent: string;
  detail: string;
}

export const toAccount = (r: AccountRow): Account => ({
  id: r.id,
  email: r.email,
  createdAt: r.created_at,
  deletionRequestedAt: r.deletion_requested_at,
});
export const toSession = (r: SessionRow): SessionRecord => ({
  id: r.id,
  secretHash: r.secret_hash,
  accountId: r.account_id,
  createdAt: r.created_at,
  lastSeenAt: r.last_seen_at,
  expiresAt: r.expires_at,
  userAgent: r.user_agent,
  ip: r.ip,
});
export const toToken = (r: TokenRow): TokenRecord => ({
  id: r.id,
  accountId: r.account_id,
  name: r.name,
  secretHash: r.secret_hash,
  createdAt: r.created_at,
  lastUsedAt: r.last_used_at,
});
export const toFriendship = (r: FriendshipRow): Friendship => ({
  id: r.id,
  requesterId: r.requester_id,
  requesterEmail: r.requester_email,
  addresseeEmail: r.addressee_email,
  status: r.status === 'accepted' ? 'accepted' : 'pending',
  createdAt: r.created_at,
  acceptedAt: r.accepted_at,
});
export function parseTags(json: string): string[] {
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) ? value.filter((t): t is string => typeof t === 'string') : [];
  } catch {
    return [];
  }
}
export const toDocument = (r: DocumentRow): OwnedDocument => ({
  id: r.id,
  ownerId: r.owner_id,
  name: r.name,
  kind: r.kind,
  tags: parseTags(r.tags),
  notes: r.notes,
  roomProfile: r.room_profile,
  updatedAt: r.updated_at,
  deletedAt: r.deleted_at,
  purgedAt: r.purged_at,
});
export const toAudit = (r: AuditRow): AuditEntry => ({
  at: r.at,
  accountId: r.account_id,
  email: r.email,
  event: r.event as AuditEvent,
  ip: r.ip,
  userAgent: r.user_agent,
  detail: r.detail,
});

export interface ShareRow {
  doc_id: string;
  account_id: string;
  email: string;
  created_at: number;
}
export const toShare = (r: ShareRow): Share => ({
  docId: r.doc_id,
  accountId: r.account_id,
  email: r.email,
  createdAt: r.created_at,
});

export interface PinRow {
  email: string;
  pin_hash: string;
  created_at: number;
  expires_at: number;
  failures: number;
}
export const toPin = (r: PinRow): PinRecord => ({
  email: r.email,
  pinHash: r.pin_hash,
  createdAt: r.created_at,
  expiresAt: r.expires_at,
  failures: r.failures,
});

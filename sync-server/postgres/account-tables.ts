/**
 * The account tables as `mixdesk migrate` copies them from SQLite to PostgreSQL: the same
 * names and columns in both schemas (sqlite-account-store.ts, migrations.ts version 2), with
 * how a row already in PostgreSQL is recognised, so that a re-run copies nothing twice:
 *   - by its primary key (`key`): a row whose key is there is left as PostgreSQL has it (it may
 *     have changed since: a session seen again, a document renamed);
 *   - by its whole content (`key: null`): rows with no key of their own, `pin_sends` (the
 *     PIN rate-limit log) and `audit` (whose `seq` PostgreSQL numbers itself, after its own rows).
 */
export interface AccountColumn {
  name: string;
  /** The PostgreSQL type, for the casts of the copy's parameters. */
  type: 'text' | 'bigint' | 'integer';
}

export interface AccountTable {
  name: string;
  columns: AccountColumn[];
  key: string[] | null;
}

const text = (name: string): AccountColumn => ({ name, type: 'text' });
const bigint = (name: string): AccountColumn => ({ name, type: 'bigint' });

export const ACCOUNT_TABLES: readonly AccountTable[] = [
  {
    name: 'accounts',
    columns: [text('id'), text('email'), bigint('created_at'), bigint('deletion_requested_at')],
    key: ['id'],
  },
  {
    name: 'pins',
    columns: [
      text('email'),
      text('pin_hash'),
      bigint('created_at'),
      bigint('expires_at'),
      { name: 'failures', type: 'integer' },
    ],
    key: ['email'],
  },
  { name: 'pin_sends', columns: [text('email'), text('ip'), bigint('at')], key: null },
  {
    name: 'sessions',
    columns: [
      text('id'),
      text('secret_hash'),
      text('account_id'),
      bigint('created_at'),
      bigint('last_seen_at'),
      bigint('expires_at'),
      text('user_agent'),
      text('ip'),
    ],
    key: ['id'],
  },
  {
    name: 'tokens',
    columns: [
      text('id'),
      text('account_id'),
      text('name'),
      text('secret_hash'),
      bigint('created_at'),
      bigint('last_used_at'),
    ],
    key: ['id'],
  },
  {
    name: 'friendships',
    columns: [
      text('id'),
      text('requester_id'),
      text('requester_email'),
      text('addressee_email'),
      text('status'),
      bigint('created_at'),
      bigint('accepted_at'),
    ],
    key: ['id'],
  },
  {
    name: 'documents',
    columns: [
      text('id'),
      text('owner_id'),
      text('name'),
      text('kind'),
      text('tags'),
      text('notes'),
      text('room_profile'),
      bigint('updated_at'),
      bigint('deleted_at'),
      bigint('purged_at'),
    ],
    key: ['id'],
  },
  {
    name: 'shares',
    columns: [text('doc_id'), text('account_id'), bigint('created_at')],
    key: ['doc_id', 'account_id'],
  },
  {
    name: 'audit',
    columns: [
      bigint('at'),
      text('account_id'),
      text('email'),
      text('event'),
      text('ip'),
      text('user_agent'),
      text('detail'),
    ],
    key: null,
  },
];

/**
 * Copies the account tables of an embedded deployment into PostgreSQL for `mixdesk migrate`,
 * one page of rows per statement (unnest of one array per column: any page size, one round
 * trip), so memory stays bounded and a re-run copies nothing twice (account-tables.ts says how
 * a row already there is recognised).
 *
 * A row that is not copied and whose key is not in PostgreSQL either collided with another
 * unique value there (an address already used by a different account): that is a conflict,
 * reported, never resolved silently.
 */
import type pg from 'pg';
import { ACCOUNT_TABLES, type AccountTable } from './account-tables.ts';
import type { SqliteSource } from './sqlite-source.ts';

export interface TableCopy {
  table: string;
  inSource: number;
  copied: number;
  alreadyPresent: number;
  /** Keys (joined with '/') of rows that could not be copied because another row holds a unique value. */
  conflicts: string[];
}

/** At most this many conflicting keys are listed per table (the count is exact). */
const LISTED_CONFLICTS = 20;

export async function copyAccountTables(source: SqliteSource, pool: pg.Pool): Promise<TableCopy[]> {
  const copies: TableCopy[] = [];
  for (const table of ACCOUNT_TABLES) {
    const copy: TableCopy = { table: table.name, inSource: 0, copied: 0, alreadyPresent: 0, conflicts: [] };
    let conflicts = 0;
    for (const rows of source.accountRows(table.name)) {
      copy.inSource += rows.length;
      const result = table.key ? await copyKeyed(pool, table, table.key, rows) : await copyByContent(pool, table, rows);
      copy.copied += result.copied;
      copy.alreadyPresent += result.alreadyPresent;
      conflicts += result.conflicts.length;
      copy.conflicts.push(...result.conflicts.slice(0, LISTED_CONFLICTS - copy.conflicts.length));
    }
    if (conflicts > copy.conflicts.length) copy.conflicts.push(`(${conflicts - copy.conflicts.length} more)`);
    copies.push(copy);
  }
  return copies;
}

/** `unnest($1::text[], $2::bigint[], ...)`: one parameter per column. */
function unnestOf(table: AccountTable, rows: Record<string, unknown>[], first = 1) {
  const sql = `unnest(${table.columns.map((c, i) => `$${first + i}::${c.type}[]`).join(', ')})`;
  const params = table.columns.map((c) => rows.map((row) => row[c.name] ?? null));
  return { sql, params };
}

async function copyKeyed(
  pool: pg.Pool,
  table: AccountTable,
  key: string[],
  rows: Record<string, unknown>[],
): Promise<{ copied: number; alreadyPresent: number; conflicts: string[] }> {
  const columns = table.columns.map((c) => c.name).join(', ');
  const values = unnestOf(table, rows);
  const inserted = await pool.query(
    `INSERT INTO ${table.name} (${columns}) SELECT * FROM ${values.sql} ON CONFLICT DO NOTHING`,
    values.params,
  );
  const copied = inserted.rowCount ?? 0;
  if (copied === rows.length) return { copied, alreadyPresent: 0, conflicts: [] };
  // Which of the rows not copied are there by their key (already present), and which are not (conflicts).
  const keyOf = (row: Record<string, unknown>) => key.map((k) => String(row[k])).join('/');
  const keyColumns = key.map((name) => table.columns.find((c) => c.name === name)!);
  const keyParams = keyColumns.map((c) => rows.map((row) => row[c.name]));
  const present = await pool.query<Record<string, unknown>>(
    `SELECT ${key.join(', ')} FROM ${table.name} WHERE (${key.join(', ')}) IN (SELECT * FROM unnest(${keyColumns
      .map((c, i) => `$${i + 1}::${c.type}[]`)
      .join(', ')}))`,
    keyParams,
  );
  const there = new Set(present.rows.map(keyOf));
  const conflicts = rows.map(keyOf).filter((k) => !there.has(k));
  return { copied, alreadyPresent: rows.length - copied - conflicts.length, conflicts };
}

async function copyByContent(
  pool: pg.Pool,
  table: AccountTable,
  rows: Record<string, unknown>[],
): Promise<{ copied: number; alreadyPresent: number; conflicts: string[] }> {
  const names = table.columns.map((c) => c.name);
  const values = unnestOf(table, rows);
  const same = names.map((n) => `t.${n} IS NOT DISTINCT FROM v.${n}`).join(' AND ');
  // WITH ORDINALITY ... ORDER BY: rows keep their source order (audit's seq follows it).
  const inserted = await pool.query(
    `INSERT INTO ${table.name} (${names.join(', ')})
     SELECT ${names.map((n) => `v.${n}`).join(', ')} FROM ${values.sql} WITH ORDINALITY AS v(${names.join(', ')}, ord)
     WHERE NOT EXISTS (SELECT 1 FROM ${table.name} t WHERE ${same}) ORDER BY v.ord`,
    values.params,
  );
  const copied = inserted.rowCount ?? 0;
  return { copied, alreadyPresent: rows.length - copied, conflicts: [] };
}

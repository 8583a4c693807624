/**
 * Probes of the document store for /healthz: PostgreSQL answers `SELECT 1` through the
 * deployment's pool (so a pool starved by stuck queries shows too), or the embedded SQLite file
 * is still there and readable. For SQLite each check opens the file afresh (read-only, well
 * under a millisecond): the relay's own connection keeps working on a file that was deleted or
 * replaced under it, and would lose everything at the next start, so only a new open shows it.
 */
import Database from 'better-sqlite3';
import type pg from 'pg';
import { boundedProbe, type HealthProbe } from './health-probe.ts';

export function postgresProbe(pool: pg.Pool, timeoutMs: number): HealthProbe {
  return boundedProbe('postgres', () => pool.query('SELECT 1'), timeoutMs);
}

export function sqliteProbe(file: string, timeoutMs: number): HealthProbe {
  return boundedProbe(
    'sqlite',
    async () => {
      const db = new Database(file, { readonly: true, fileMustExist: true });
      try {
        db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'doc_updates'").get();
      } finally {
        db.close();
      }
    },
    timeoutMs,
  );
}

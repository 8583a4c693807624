/**
 * Copies the documents of an embedded deployment into PostgreSQL for `mixdesk migrate`, one
 * document at a time (memory: one document's log), and verifies each.
 *
 * A document PostgreSQL does not have gets the source's merged state as one row. One it has
 * (a re-run, or a migration stopped half-way) gets only what it lacks: if applying the source's
 * state to PostgreSQL's copy changes nothing, it is already present and nothing is written;
 * otherwise the difference is appended (a Yjs update: order and repetition do not matter).
 *
 * Verification reads the document back from PostgreSQL: it must contain everything of the
 * source (applying the source changes nothing), and is reported identical when both sides have
 * equal Y snapshots (state vectors and deleted ranges), or "newer in PostgreSQL" when a server
 * on PostgreSQL has edited it since an earlier run.
 */
import type pg from 'pg';
import * as Y from 'yjs';
import type { SqliteSource } from './sqlite-source.ts';

export type DocumentOutcome = 'copied' | 'merged' | 'already present';

export interface DocumentCopy {
  total: number;
  copied: number;
  merged: number;
  alreadyPresent: number;
  /** Read back from PostgreSQL with the same state as the source. */
  identical: number;
  /** Read back with everything of the source and more (edited on PostgreSQL since an earlier run). */
  newerInPostgres: number;
  /** How many could not be copied or verified; the first ones are listed in `failed`. */
  failedCount: number;
  failed: { docId: string; reason: string }[];
}

/** At most this many failures are listed (the migration stops being useful to read beyond). */
const LISTED_FAILURES = 50;

export async function copyDocuments(
  source: SqliteSource,
  pool: pg.Pool,
  onProgress: (done: number) => void = () => {},
): Promise<DocumentCopy> {
  const copy: DocumentCopy = {
    total: 0,
    copied: 0,
    merged: 0,
    alreadyPresent: 0,
    identical: 0,
    newerInPostgres: 0,
    failedCount: 0,
    failed: [],
  };
  for (const docId of source.documentIds()) {
    copy.total++;
    try {
      const outcome = await copyOne(source, pool, docId);
      if (outcome.copied === 'copied') copy.copied++;
      else if (outcome.copied === 'merged') copy.merged++;
      else copy.alreadyPresent++;
      if (outcome.identical) copy.identical++;
      else copy.newerInPostgres++;
    } catch (error) {
      copy.failedCount++;
      if (copy.failed.length < LISTED_FAILURES) {
        copy.failed.push({ docId, reason: error instanceof Error ? error.message : String(error) });
      }
    }
    onProgress(copy.total);
  }
  return copy;
}

function docOf(updates: Uint8Array[]): Y.Doc {
  const doc = new Y.Doc();
  doc.transact(() => {
    for (const update of updates) Y.applyUpdate(doc, update);
  });
  return doc;
}

async function loadTarget(pool: pg.Pool, docId: string): Promise<Uint8Array[]> {
  const result = await pool.query<{ data: Buffer }>('SELECT data FROM doc_updates WHERE doc_id = $1 ORDER BY id', [
    docId,
  ]);
  return result.rows.map((row) => new Uint8Array(row.data.buffer, row.data.byteOffset, row.data.byteLength));
}

/** True when applying `update` to `doc` would change nothing (checked on a copy). */
function contains(doc: Y.Doc, update: Uint8Array): boolean {
  const probe = docOf([Y.encodeStateAsUpdate(doc)]);
  const before = Y.encodeStateAsUpdate(probe);
  Y.applyUpdate(probe, update);
  const unchanged = Buffer.from(Y.encodeStateAsUpdate(probe)).equals(Buffer.from(before));
  probe.destroy();
  return unchanged;
}

async function copyOne(
  source: SqliteSource,
  pool: pg.Pool,
  docId: string,
): Promise<{ copied: DocumentOutcome; identical: boolean }> {
  const sourceDoc = docOf(source.documentUpdates(docId));
  const sourceState = Y.encodeStateAsUpdate(sourceDoc);
  try {
    const existing = await loadTarget(pool, docId);
    let copied: DocumentOutcome = 'copied';
    if (existing.length === 0) {
      await pool.query('INSERT INTO doc_updates (doc_id, data) VALUES ($1, $2)', [docId, Buffer.from(sourceState)]);
    } else {
      const targetDoc = docOf(existing);
      copied = contains(targetDoc, sourceState) ? 'already present' : 'merged';
      if (copied === 'merged') {
        const missing = Y.diffUpdate(sourceState, Y.encodeStateVector(targetDoc));
        await pool.query('INSERT INTO doc_updates (doc_id, data) VALUES ($1, $2)', [docId, Buffer.from(missing)]);
      }
      targetDoc.destroy();
    }
    const stored = docOf(await loadTarget(pool, docId));
    try {
      if (!contains(stored, sourceState))
        throw new Error('PostgreSQL does not hold the whole source state after the copy');
      return { copied, identical: Y.equalSnapshots(Y.snapshot(stored), Y.snapshot(sourceDoc)) };
    } finally {
      stored.destroy();
    }
  } finally {
    sourceDoc.destroy();
  }
}

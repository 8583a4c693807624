/**
 * UpdateJournal: the append-only file in front of the SQLite store. An accepted update is
 * durable once its batch is written here (one write(2) per batch), and it reaches the
 * database later, many at a time, on the writer thread (sqlite-persistence.ts says when).
 *
 * Why a file of our own in front of SQLite: the relay broadcasts an update only after it is
 * durable, so that write sits on every update's path. A SQLite commit of one to three rows
 * cost 30-90 µs of the event loop (the table and index pages and the WAL index, whatever the
 * rows hold) and now and then several milliseconds; under bench:sync (2,500 updates/s) that
 * was a tenth of a core and the relay's whole latency tail. One write(2) of the batch costs
 * about 3 µs. The durability is the same as SQLite's with `synchronous=NORMAL`: the bytes are
 * in the OS's page cache when the write returns, so they survive the process being killed;
 * a power loss can lose the last writes, never corrupt what came before (each record has a
 * CRC).
 *
 * Files: `<database>.updates-<generation>` beside the database. A generation is rotated out
 * after ROTATE_BYTES and deleted once the database has everything in it; the database's
 * `relay_journal` row says how far (generation, byte offset) it has taken the journal in, and
 * is written in the same transaction as the rows (so a record is never taken in twice). At
 * start-up the records past that row are replayed into the database (replayUpdateJournal).
 *
 * Record: [u32 LE payload length][u32 LE CRC-32 of payload][payload: u8 docId length, docId
 * (ASCII, doc-id.ts), the update's bytes].
 */
import { closeSync, ftruncateSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { crc32 } from 'node:zlib';
import type Database from 'better-sqlite3';

/** A generation is closed after this many bytes, so no file (and no replay) grows without bound. */
export const ROTATE_BYTES = 16 * 1024 * 1024;

const HEADER_BYTES = 8;

export interface JournalRecord {
  docId: string;
  update: Uint8Array;
}

/** A record read back, with the offset just past it in its generation's file. */
export interface PlacedRecord extends JournalRecord {
  end: number;
}

/** Where the database has taken the journal in up to: records before it are in the database. */
export interface JournalMark {
  generation: number;
  offset: number;
}

export const JOURNAL_STATE_TABLE = `CREATE TABLE IF NOT EXISTS relay_journal (
  id INTEGER PRIMARY KEY CHECK (id = 1), generation INTEGER NOT NULL, "offset" INTEGER NOT NULL)`;
export const SAVE_JOURNAL_MARK = `INSERT INTO relay_journal (id, generation, "offset") VALUES (1, ?, ?)
  ON CONFLICT (id) DO UPDATE SET generation = excluded.generation, "offset" = excluded."offset"`;

export function journalFile(database: string, generation: number): string {
  return `${database}.updates-${generation}`;
}

/** The journal files of `database` that exist, oldest generation first. */
export function journalGenerations(database: string): number[] {
  const prefix = `${basename(database)}.updates-`;
  return readdirSync(dirname(database))
    .filter((name) => name.startsWith(prefix) && /^\d+$/.test(name.slice(prefix.length)))
    .map((name) => Number(name.slice(prefix.length)))
    .sort((a, b) => a - b);
}

export function encodeRecords(records: readonly JournalRecord[]): Buffer {
  let size = 0;
  for (const record of records) size += HEADER_BYTES + 1 + record.docId.length + record.update.byteLength;
  const out = Buffer.allocUnsafe(size);
  let at = 0;
  for (const { docId, update } of records) {
    const payloadLength = 1 + docId.length + update.byteLength;
    const payload = at + HEADER_BYTES;
    out.writeUInt8(docId.length, payload);
    out.write(docId, payload + 1, 'latin1');
    out.set(update, payload + 1 + docId.length);
    out.writeUInt32LE(payloadLength, at);
    out.writeUInt32LE(crc32(out.subarray(payload, payload + payloadLength)), at + 4);
    at = payload + payloadLength;
  }
  return out;
}

/**
 * The whole records in `bytes` from `from`; `end` is where they stop. A record cut short or
 * failing its CRC ends the reading there (`damaged` says so): a crash can tear only the last
 * write, and what follows a damaged record cannot be trusted to start at a record boundary.
 */
export function decodeRecords(bytes: Buffer, from: number): { records: PlacedRecord[]; end: number; damaged: boolean } {
  const records: PlacedRecord[] = [];
  let at = from;
  while (at < bytes.length) {
    if (bytes.length - at < HEADER_BYTES) return { records, end: at, damaged: true };
    const payloadLength = bytes.readUInt32LE(at);
    const payload = at + HEADER_BYTES;
    if (payloadLength < 2 || payload + payloadLength > bytes.length) return { records, end: at, damaged: true };
    const body = bytes.subarray(payload, payload + payloadLength);
    const docIdLength = body[0]!;
    if (crc32(body) !== bytes.readUInt32LE(at + 4) || 1 + docIdLength >= payloadLength) {
      return { records, end: at, damaged: true };
    }
    at = payload + payloadLength;
    records.push({
      docId: body.toString('latin1', 1, 1 + docIdLength),
      update: new Uint8Array(body.subarray(1 + docIdLength)),
      end: at,
    });
  }
  return { records, end: at, damaged: false };
}

export function readJournalMark(db: Database.Database): JournalMark {
  const hasTable = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'relay_journal'").get();
  if (!hasTable) return { generation: 0, offset: 0 };
  const row = db.prepare('SELECT generation, "offset" FROM relay_journal WHERE id = 1').get() as
    JournalMark | undefined;
  return row ?? { generation: 0, offset: 0 };
}

/** A generation's records that the database (at `mark`) does not have yet. */
export interface PendingGeneration {
  generation: number;
  records: PlacedRecord[];
  end: number;
  damaged: boolean;
}

/** Every journal record past `mark`, by generation, oldest first. */
export function readJournal(database: string, mark: JournalMark): PendingGeneration[] {
  const pending: PendingGeneration[] = [];
  for (const generation of journalGenerations(database)) {
    if (generation < mark.generation) continue;
    const from = generation === mark.generation ? mark.offset : 0;
    const bytes = readFileSync(journalFile(database, generation));
    if (from > bytes.length) continue;
    pending.push({ generation, ...decodeRecords(bytes, from) });
  }
  return pending;
}

/**
 * Inserts into `db` (the database, or a copy of it) the records of `journal` it lacks by its
 * own mark, and the mark, one transaction per generation; returns how many it took.
 */
export function takeInJournal(db: Database.Database, journal: readonly PendingGeneration[]): number {
  db.exec(JOURNAL_STATE_TABLE);
  const mark = readJournalMark(db);
  const insert = db.prepare<[string, Uint8Array]>('INSERT INTO doc_updates (doc_id, data) VALUES (?, ?)');
  const saveMark = db.prepare<[number, number]>(SAVE_JOURNAL_MARK);
  let taken = 0;
  const takeIn = db.transaction((generation: PendingGeneration) => {
    for (const record of generation.records) {
      if (generation.generation === mark.generation && record.end <= mark.offset) continue;
      insert.run(record.docId, record.update);
      taken++;
    }
    saveMark.run(generation.generation, generation.end);
  });
  for (const generation of journal) if (generation.generation >= mark.generation) takeIn(generation);
  return taken;
}

/**
 * Start-up: takes every record the database lacks into it (one transaction per generation,
 * with the mark), then removes the journal files. A damaged tail is kept beside the database
 * as `<file>.damaged` and reported, never silently dropped. Returns the next generation to
 * write and what was replayed.
 */
export function replayUpdateJournal(
  db: Database.Database,
  database: string,
  warn: (message: string) => void,
): { nextGeneration: number; replayed: number } {
  db.exec(JOURNAL_STATE_TABLE);
  const pending = readJournal(database, readJournalMark(db));
  const replayed = takeInJournal(db, pending);
  for (const generation of pending) {
    if (generation.damaged) {
      const file = journalFile(database, generation.generation);
      renameSync(file, `${file}.damaged`);
      warn(
        `relay: ${file} is damaged after byte ${generation.end} (a write cut short by a crash or a disk fault); ` +
          `the ${generation.records.length} whole records before it were kept, the rest is in ${file}.damaged`,
      );
    }
  }
  const generations = journalGenerations(database);
  const newest = Math.max(readJournalMark(db).generation, ...generations);
  for (const generation of generations) rmSync(journalFile(database, generation), { force: true });
  return { nextGeneration: newest + 1, replayed };
}

/** Bytes `start` to `end` of one journal file: whole records, all written by this process. */
export interface JournalSpan {
  file: string;
  start: number;
  end: number;
}

/** The journal being written: one open generation, rotated by size. */
export class JournalWriter {
  private fd: number;
  private offset = 0;
  /** The oldest generation this writer made that may still be on disk (it never lists the folder). */
  private oldest: number;
  /** Where the whole records of each rotated-out generation end (a failed write may follow). */
  private readonly ends = new Map<number, number>();
  /** The mark before the first record this writer wrote. */
  readonly start: JournalMark;

  constructor(
    private readonly database: string,
    private generation: number,
    private readonly rotateBytes = ROTATE_BYTES,
  ) {
    this.oldest = generation;
    this.start = { generation, offset: 0 };
    this.fd = openSync(journalFile(database, generation), 'a');
  }

  /**
   * The byte ranges that hold the records written after mark `from` up to mark `to` (both
   * from this writer), generation by generation: what the database thread reads back to take
   * them in (sqlite-writer.ts), so that the event loop holds no appended update after its write.
   */
  spans(from: JournalMark, to: JournalMark): JournalSpan[] {
    const spans: JournalSpan[] = [];
    for (let generation = from.generation; generation <= to.generation; generation++) {
      const start = generation === from.generation ? from.offset : 0;
      const end = generation === to.generation ? to.offset : this.ends.get(generation);
      if (end === undefined) throw new Error(`journal generation ${generation} is not one this writer wrote`);
      if (end > start) spans.push({ file: journalFile(this.database, generation), start, end });
    }
    return spans;
  }

  /** Writes the batch (all of it, or throws); returns the mark just past it. */
  append(records: readonly JournalRecord[]): JournalMark {
    const bytes = encodeRecords(records);
    let written = 0;
    try {
      while (written < bytes.length) written += writeSync(this.fd, bytes, written, bytes.length - written);
    } catch (error) {
      // A batch written in part (a full disk) must not sit in front of the next one: replay
      // stops at the first damaged record. Cut it off, or, failing that, go on in a new file.
      try {
        ftruncateSync(this.fd, this.offset);
      } catch {
        this.rotate();
      }
      throw error;
    }
    this.offset += bytes.length;
    const mark = { generation: this.generation, offset: this.offset };
    if (this.offset >= this.rotateBytes) this.rotate();
    return mark;
  }

  /** Removes the generations older than `mark`'s: the database has all of them. */
  removeBefore(mark: JournalMark): void {
    for (; this.oldest < Math.min(mark.generation, this.generation); this.oldest++) {
      rmSync(journalFile(this.database, this.oldest), { force: true });
      this.ends.delete(this.oldest);
    }
  }

  /** Closes the file; `removeAll` when the database has every record (a clean shutdown). */
  close(removeAll: boolean): void {
    closeSync(this.fd);
    if (!removeAll) return;
    for (const generation of journalGenerations(this.database)) {
      rmSync(journalFile(this.database, generation), { force: true });
    }
  }

  private rotate(): void {
    this.ends.set(this.generation, this.offset);
    closeSync(this.fd);
    this.generation++;
    this.offset = 0;
    this.fd = openSync(journalFile(this.database, this.generation), 'a');
  }
}

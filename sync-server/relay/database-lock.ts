/**
 * One relay process per SQLite database: `<database>.lock` holds the process id of the relay
 * using it. Why: the update journal (update-journal.ts) is written by one process and replayed
 * into the database by the next one to start; a second server started on the same data folder
 * (another port, same MIXDESK_DATA) would replay and remove the first one's live journal, so
 * an update the first acknowledged later could be lost in a crash. Two relays on one SQLite
 * file never shared their edits live anyway (that is what PostgreSQL and Redis are for).
 *
 * A lock left by a process that no longer runs (killed, crashed) is taken over. A second
 * SqlitePersistence on the same database within one process is refused the same way: the two
 * would share one journal mark.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';

export class DatabaseInUseError extends Error {
  constructor(database: string, pid: number) {
    super(
      pid === process.pid
        ? `the relay database ${database} is in use by this process already`
        : `the relay database ${database} is in use by another Mixdesk server (process ${pid}); stop that one first, or give this one its own MIXDESK_DATA (if no Mixdesk server runs, delete ${database}.lock)`,
    );
    this.name = 'DatabaseInUseError';
  }
}

function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // alive, owned by someone else
  }
}

/** The lock files this process holds. */
const heldHere = new Set<string>();

/** Takes the lock of `database`; returns its release. Throws DatabaseInUseError. */
export function lockDatabase(database: string): () => void {
  const file = `${database}.lock`;
  if (heldHere.has(file)) throw new DatabaseInUseError(database, process.pid);
  for (let attempt = 0; ; attempt++) {
    try {
      writeFileSync(file, String(process.pid), { flag: 'wx' });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw error;
      const holder = Number(readFileSync(file, 'utf8').trim());
      // Our own id in a lock we do not hold: an earlier run with the same process id (a
      // container's server restarted as the same pid), gone like any other.
      if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && running(holder)) {
        throw new DatabaseInUseError(database, holder);
      }
      rmSync(file, { force: true }); // left by a process that is gone
    }
  }
  heldHere.add(file);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    heldHere.delete(file);
    rmSync(file, { force: true });
  };
}

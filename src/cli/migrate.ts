/**
 * `mixdesk migrate --from sqlite:PATH --to postgres://... [--json]`: copies an embedded
 * deployment (PATH: its data folder, MIXDESK_DATA, or the relay.sqlite in it) into PostgreSQL,
 * verifies every document, and prints what it did. Safe to re-run (nothing is copied twice;
 * what is there already is counted as such). The target URL is never printed (it may hold a
 * password), only its host, port and database.
 *
 * Exit codes: 0 all copied and verified; 1 refused (not a Mixdesk database, PostgreSQL
 * unreachable) or something not verified / in conflict; 2 usage.
 */
import { migrateSqliteToPostgres, type MigrationReport } from '../../sync-server/postgres/migrate-from-sqlite.ts';
import { isPostgresUrl } from '../../sync-server/postgres/pg-pool.ts';

const USAGE =
  'Usage: mixdesk migrate --from sqlite:PATH --to postgres://user@host:port/database [--json]\n' +
  '  PATH is the data folder of the embedded server (MIXDESK_DATA) or its relay.sqlite.';

interface Args {
  from: string;
  to: string;
  json: boolean;
}

function parseArgs(args: string[]): Args | string {
  let from: string | undefined, to: string | undefined;
  let json = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const [name, inline] =
      arg.startsWith('--') && arg.includes('=')
        ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
        : [arg, undefined];
    if (name === '--json') json = true;
    else if (name === '--from' || name === '--to') {
      const value = inline ?? args[++i];
      if (!value) return `${name} needs a value`;
      if (name === '--from') from = value;
      else to = value;
    } else return `unknown argument '${arg.slice(0, 100)}'`;
  }
  if (!from || !to) return 'both --from and --to are needed';
  if (!from.startsWith('sqlite:') || from.length === 'sqlite:'.length) return '--from must be sqlite:PATH';
  if (!isPostgresUrl(to)) return '--to must be a postgres:// or postgresql:// URL';
  return { from: from.slice('sqlite:'.length), to, json };
}

export async function migrate(args: string[]): Promise<number> {
  const parsed = parseArgs(args);
  if (typeof parsed === 'string') {
    console.error(`mixdesk migrate: ${parsed}\n${USAGE}`);
    return 2;
  }
  let report: MigrationReport;
  try {
    const progress =
      !parsed.json && process.stderr.isTTY
        ? (done: number) => {
            if (done % 100 === 0) process.stderr.write(`\r${done} documents...`);
          }
        : undefined;
    report = await migrateSqliteToPostgres(parsed.from, parsed.to, progress);
    if (progress) process.stderr.write('\r');
  } catch (error) {
    console.error(`mixdesk migrate: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
  console.log(parsed.json ? JSON.stringify(report, null, 2) : describe(report));
  return report.ok ? 0 : 1;
}

function table(header: string[], rows: (string | number)[][]): string {
  const cells = [header, ...rows.map((row) => row.map(String))];
  const widths = header.map((_, i) => Math.max(...cells.map((row) => row[i]!.length)));
  return cells
    .map((row) => row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  '))
    .join('\n');
}

function describe(report: MigrationReport): string {
  const d = report.documents;
  const lines = [
    `From ${report.source.relayFile}${report.source.accountsFile ? ` and ${report.source.accountsFile}` : ''}`,
    `To PostgreSQL at ${report.target}`,
    '',
    table(
      ['documents', 'in source', 'copied', 'merged', 'already present', 'verified', 'failed'],
      [['', d.total, d.copied, d.merged, d.alreadyPresent, d.identical + d.newerInPostgres, d.failedCount]],
    ),
    '',
  ];
  if (report.source.accountsFile) {
    lines.push(
      table(
        ['account table', 'in source', 'copied', 'already present', 'conflicts'],
        report.accounts.map((t) => [t.table, t.inSource, t.copied, t.alreadyPresent, t.conflicts.length]),
      ),
      '',
    );
  } else lines.push('No accounts.sqlite beside the relay database: no accounts to copy.', '');
  if (d.newerInPostgres > 0) {
    lines.push(
      `${d.newerInPostgres} documents have edits in PostgreSQL made since an earlier run (kept; nothing of the source is missing).`,
    );
  }
  for (const failure of d.failed) lines.push(`NOT VERIFIED ${failure.docId}: ${failure.reason}`);
  for (const t of report.accounts) {
    if (t.conflicts.length > 0) {
      lines.push(
        `CONFLICT in ${t.table}: ${t.conflicts.join(', ')} (another row in PostgreSQL holds the same unique value)`,
      );
    }
  }
  lines.push(
    report.ok
      ? `Done: ${d.total} documents in PostgreSQL and verified (${d.alreadyPresent} already present). Server secret: ${report.secret}.`
      : 'Not everything was copied: see above. Re-running is safe.',
  );
  return lines.join('\n');
}

/**
 * `npm run bench:startup`: how long `mixdesk --help` takes as a whole process, next to a bare
 * `node -e 0`, so the CLI's own start-up cost shows apart from Node's.
 *
 *   npm run bench:startup -- [--runs 7]
 *
 * Each round runs every command once, in turn (alternated, so a burst of load on a shared machine
 * hits all of them alike); the table shows the median wall time of `--runs` rounds and the ratio
 * to `node -e 0`. The compiled CLI needs `npm run build` (or `npm run build:node`) first; the
 * row "from source (tsx)" is what `bin/mixdesk.js` did before the CLI was compiled.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { median } from './bench/stats.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const runsFlag = process.argv.indexOf('--runs');
const runs = runsFlag >= 0 ? Number(process.argv[runsFlag + 1]) : 7;
if (!Number.isInteger(runs) || runs < 1) throw new Error('bench-startup: --runs needs a positive whole number');

interface Row {
  label: string;
  args: string[];
}
const rows: Row[] = [
  { label: 'node -e 0', args: ['-e', '0'] },
  { label: 'mixdesk --help (bin/mixdesk.js)', args: ['bin/mixdesk.js', '--help'] },
];
if (existsSync(`${root}/tests/support/cli-from-source.ts`)) {
  rows.push({
    label: 'mixdesk --help from source (tsx)',
    args: ['--import', 'tsx', 'tests/support/cli-from-source.ts', '--help'],
  });
}
if (!existsSync(`${root}/build/node/main.js`))
  console.warn('bench-startup: build/node/main.js is missing; run `npm run build:node` to time the compiled CLI.');

const times = rows.map(() => [] as number[]);
for (let round = 0; round < runs; round++) {
  rows.forEach((row, i) => {
    const started = process.hrtime.bigint();
    const result = spawnSync(process.execPath, row.args, { cwd: root, stdio: 'ignore' });
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    if (result.status !== 0) throw new Error(`bench-startup: '${row.label}' exited with ${result.status}`);
    times[i]!.push(ms);
  });
}

const base = median(times[0]!);
console.log(`Start-up, whole process, median of ${runs} alternated runs (node ${process.version})\n`);
console.log(`${'command'.padEnd(36)} ${'median ms'.padStart(10)} ${'min ms'.padStart(8)} ${'x node'.padStart(7)}`);
rows.forEach((row, i) => {
  const m = median(times[i]!);
  console.log(
    `${row.label.padEnd(36)} ${m.toFixed(0).padStart(10)} ${Math.min(...times[i]!)
      .toFixed(0)
      .padStart(8)} ${(m / base).toFixed(2).padStart(7)}`,
  );
});

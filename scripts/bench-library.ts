/**
 * `npm run bench:library`: the foundation's three numbers, measured on the production build.
 *   - JS shipped: gzip size of what the first page loads (index.html's script and its
 *     modulepreloads) against all JS in the build;
 *   - first render with the network off (service worker cache), median of 5 reloads;
 *   - library render with 1,000 documents in the index, median of 5 reloads.
 * Targets (issue 2): initial JS <= 150 KB gzip, offline first render <= 1 s, library of 1,000 <= 300 ms.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { startAppServer } from '../tests/support/app-server.ts';
import { launchProfile, type Engine } from '../tests/support/browser-driver.ts';
import { missingWebKitParts } from '../tests/support/webdriver.ts';
import { waitForServiceWorker } from '../tests/support/library-actions.ts';
import { median } from './bench/stats.ts';

/** BENCH_RUNS shortens a check run (default: median of 5). */
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const dist = fileURLToPath(new URL('../dist/', import.meta.url));
if (!existsSync(`${dist}index.html`) || process.argv.includes('--build'))
  execFileSync('npx', ['vite', 'build', '--logLevel', 'warn'], { stdio: 'inherit' });

const gzipKb = (file: string) => gzipSync(readFileSync(`${dist}${file}`), { level: 9 }).length / 1024;

const html = readFileSync(`${dist}index.html`, 'utf8');
const initial = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.js)"/g)].map((m) => m[1]!);
const allJs = readdirSync(`${dist}assets`)
  .filter((f) => f.endsWith('.js'))
  .map((f) => `assets/${f}`);
const initialKb = initial.reduce((sum, f) => sum + gzipKb(f), 0);
const totalKb = allJs.reduce((sum, f) => sum + gzipKb(f), 0);

/** Offline first render and the library of 1,000 in one engine (a fresh profile each). */
async function measure(engine: Engine): Promise<{ offline: number[]; library: number[]; libraryFromNav: number[] }> {
  const server = await startAppServer();
  const profile = await launchProfile({}, engine);
  const page = await profile.newPage();
  await page.goto(server.url);
  await waitForServiceWorker(page);

  const mark = (name: string) =>
    page
      .waitForFunction((n) => performance.getEntriesByName(n).length > 0, name, { timeout: 30_000 })
      .then(() => page.evaluate((n) => performance.getEntriesByName(n)[0]!.startTime, name));

  // Chromium emulates the network being off; WebKit's profile has its connections cut at a proxy (docs/browsers.md).
  await profile.setOffline(true);
  const offline: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    await page.reload();
    offline.push(await mark('library-mounted'));
  }
  await profile.setOffline(false);

  // 1,000 index rows, written straight into the library's IndexedDB as the app would keep them.
  await page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const r = indexedDB.open('mixdesk-library');
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
    const tx = db.transaction('documents', 'readwrite');
    const now = Date.now();
    for (let i = 0; i < 1000; i++) {
      tx.objectStore('documents').put({
        id: `bench${String(i).padStart(6, '0')}`,
        kind: i % 3 ? 'console-config' : 'analysis-report',
        name: `Layout ${i} for show ${i % 40}`,
        tags: [`tag${i % 7}`, 'bench'],
        notes: `Notes for document ${i}`,
        roomProfile: `Room ${i % 5}`,
        createdAt: now - i * 60_000,
        updatedAt: now - i * 1000,
        deletedAt: null,
        size: 2000 + i,
      });
    }
    await new Promise((resolve) => {
      tx.oncomplete = resolve;
    });
    db.close();
  });
  const library: number[] = [];
  const libraryFromNav: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    await page.reload();
    const rendered = await mark('library-rendered');
    const mounted = await mark('library-mounted');
    const rows = await page.locator('.doc-row').count();
    if (rows !== 1000) throw new Error(`expected 1000 rows, saw ${rows}`);
    library.push(rendered - mounted);
    libraryFromNav.push(rendered);
  }
  await profile.close();
  await server.close();
  return { offline, library, libraryFromNav };
}

const engines: Engine[] = missingWebKitParts().length ? ['chromium'] : ['chromium', 'webkit'];
if (engines.length === 1) console.log(`(no WebKit column: ${missingWebKitParts().join('; ')})`);
const results = new Map<Engine, Awaited<ReturnType<typeof measure>>>();
for (const engine of engines) results.set(engine, await measure(engine));
const { offline, library, libraryFromNav } = results.get('chromium')!;
const webkit = results.get('webkit');

const ms = (values: number[] | undefined) => (values ? `${median(values).toFixed(0)} ms` : 'n/a');
const rows: Array<[string, string, string, string, string]> = [
  ['initial JS (gzip)', `${initialKb.toFixed(1)} KB`, '(same build)', '<= 150 KB', initialKb <= 150 ? 'ok' : 'MISSED'],
  ['all JS in the build (gzip)', `${totalKb.toFixed(1)} KB`, '(same build)', '-', '-'],
  [
    `offline first render (navigation -> shell, median of ${RUNS})`,
    ms(offline),
    ms(webkit?.offline),
    '<= 1000 ms',
    median(offline) <= 1000 ? 'ok' : 'MISSED',
  ],
  [
    `library of 1,000: page mount -> rows painted (median of ${RUNS})`,
    ms(library),
    ms(webkit?.library),
    '<= 300 ms',
    median(library) <= 300 ? 'ok' : 'MISSED',
  ],
  [
    `library of 1,000: navigation -> rows painted (median of ${RUNS})`,
    ms(libraryFromNav),
    ms(webkit?.libraryFromNav),
    '-',
    '-',
  ],
];
const heads = ['measure', 'Chromium', 'WebKit', 'target', 'verdict (Chromium)'];
const width = heads.map((h, c) => Math.max(...rows.map((r) => r[c]!.length), h.length));
const line = (r: string[]) => `| ${r.map((cell, c) => cell.padEnd(width[c]!)).join(' | ')} |`;
console.log(line(heads));
console.log(line(width.map((w) => '-'.repeat(w))));
for (const r of rows) console.log(line(r));
console.log(
  `\nraw Chromium: offline ${offline.map((v) => v.toFixed(0)).join(', ')} ms; library ${library.map((v) => v.toFixed(0)).join(', ')} ms`,
);
if (webkit)
  console.log(
    `raw WebKit: offline ${webkit.offline.map((v) => v.toFixed(0)).join(', ')} ms; library ${webkit.library.map((v) => v.toFixed(0)).join(', ')} ms`,
  );

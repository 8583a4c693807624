/**
 * `npm test`: every check Mixdesk has, in the order a failure is cheapest to find.
 *
 *   1. type-check each runtime (DOM, core alone, worker, worklet, Node, Node driving a browser)
 *      with its own tsconfig;
 *   2. format check (Prettier) and lint (typescript-eslint, type-aware: floating promises, boundaries);
 *   3. unit and integration suites (uvu, in Node, real relay and real SQLite where they need them);
 *   4. production build, then browser end-to-end suites in a real Chromium and, side by side,
 *      the engine-neutral ones in WebKit (WebKitGTK over WebDriver; see docs/browsers.md).
 *
 * uvu prints its own totals per run; this script adds them up and ends with one line
 * `N passed, N failed` so that CI reads a single verdict, and exits non-zero on any failure.
 * Pass part names (typecheck, lint, unit, integration, e2e) to run a subset: `npm test -- unit`;
 * `-- e2e-chromium` or `-- e2e-webkit` runs one engine's browser suites.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { findChromium } from './support/chromium.ts';
import { missingWebKitParts } from './support/webdriver.ts';

interface Tally {
  passed: number;
  failed: number;
  skipped: number;
}
const total: Tally = { passed: 0, failed: 0, skipped: 0 };
const failures: string[] = [];
const root = new URL('..', import.meta.url).pathname;
const wanted = process.argv.slice(2);
const runs = (name: string) => wanted.length === 0 || wanted.includes(name);

/** Runs a command; with `quiet` its output is only returned (printed whole by the caller), not streamed. */
function run(
  cmd: string,
  args: string[],
  env: NodeJS.ProcessEnv = {},
  quiet = false,
): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      if (!quiet) process.stdout.write(chunk);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('close', (code) => resolve({ code: code ?? 1, out }));
  });
}

/** A check that is not an uvu suite (type-check, build) counts as one test. */
async function check(name: string, cmd: string, args: string[]): Promise<boolean> {
  console.log(`\n▶ ${name}`);
  const { code } = await run(cmd, args);
  if (code === 0) total.passed++;
  else {
    total.failed++;
    failures.push(name);
  }
  return code === 0;
}

function testFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const found: string[] = [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) found.push(...testFiles(path));
    else if (entry.endsWith('.test.ts')) found.push(path);
  }
  return found.sort();
}

/**
 * Runs each test file in its own Node process so one suite's globals or ports never leak into
 * another. `label` marks a run that goes side by side with another (its output is printed per
 * file, whole, so the two do not interleave); `only` picks files by name.
 */
async function suite(
  name: string,
  env: NodeJS.ProcessEnv = {},
  label = '',
  only?: (file: string) => boolean,
): Promise<void> {
  for (const file of testFiles(join(root, 'tests', name)).filter((f) => !only || only(f))) {
    const rel = `${relative(root, file)}${label ? ` [${label}]` : ''}`;
    if (!label) console.log(`\n▶ ${rel}`);
    const started = Date.now();
    const { code, out } = await run(process.execPath, ['--import', 'tsx', file], env, !!label);
    if (label) console.log(`\n▶ ${rel} (${((Date.now() - started) / 1000).toFixed(0)} s)\n${out}`);
    const passed = Number(/Passed:\s+(\d+)/.exec(out)?.[1] ?? 0);
    const skipped = Number(/Skipped:\s+(\d+)/.exec(out)?.[1] ?? 0);
    const totalRun = Number(/Total:\s+(\d+)/.exec(out)?.[1] ?? 0);
    const failed = Math.max(totalRun - passed - skipped, code === 0 ? 0 : 1);
    total.passed += passed;
    total.failed += failed;
    total.skipped += skipped;
    if (failed > 0) failures.push(rel);
  }
}

if (runs('typecheck')) {
  await check('type-check: browser (tsconfig.json)', 'npx', ['tsc', '-p', 'tsconfig.json']);
  await check('type-check: core alone, no timers/fetch/DOM/Node (tsconfig.core.json)', 'npx', [
    'tsc',
    '-p',
    'tsconfig.core.json',
  ]);
  await check('type-check: workers (tsconfig.worker.json)', 'npx', ['tsc', '-p', 'tsconfig.worker.json']);
  await check('type-check: audio worklet (tsconfig.worklet.json)', 'npx', ['tsc', '-p', 'tsconfig.worklet.json']);
  await check('type-check: node, no DOM (tsconfig.node.json)', 'npx', ['tsc', '-p', 'tsconfig.node.json']);
  await check('type-check: node driving or running browser code (tsconfig.node-dom.json)', 'npx', [
    'tsc',
    '-p',
    'tsconfig.node-dom.json',
  ]);
}
if (runs('lint')) {
  await check('format (prettier --check, honours .prettierignore)', 'npx', ['prettier', '--check', '.']);
  await check('lint (eslint, type-aware)', 'npx', ['eslint', '.']);
}
if (runs('unit')) await suite('unit');
if (runs('integration')) await suite('integration');
/**
 * The browser suites that run in WebKit too. Left to Chromium: robustness (a small quota needs
 * CDP), analysis-memory (reads Chromium's renderer processes in /proc) and update-prompt (two
 * extra production builds). Steps an engine cannot do are marked in the suites (`can`).
 */
const WEBKIT_SUITES = new Set([
  'offline-pwa',
  'library',
  'console-import-export',
  'console-layout',
  'touch-keyboard',
  'two-people',
  'console-two-people',
  'analysis-page',
  'analysis-compressed',
  'analysis-meter-report',
  'cross-engine-analysis',
]);
const isWebKitSuite = (file: string) =>
  WEBKIT_SUITES.has(
    file
      .split('/')
      .pop()!
      .replace(/\.test\.ts$/, ''),
  );

const chromiumWanted = runs('e2e') || wanted.includes('e2e-chromium');
const webkitWanted = runs('e2e') || wanted.includes('e2e-webkit');
if (chromiumWanted || webkitWanted) {
  const chromium = findChromium();
  const webkitMissing = missingWebKitParts();
  const engines: Promise<void>[] = [];
  if (!chromium) {
    const message =
      'No Chromium found: install it with `apt-get install -y chromium` or set CHROMIUM_PATH. Browser tests skipped.';
    console.log(`\n${message}`);
    if (process.env.CI === 'true') {
      total.failed++;
      failures.push('e2e: no browser under CI');
    }
  }
  if (webkitWanted && webkitMissing.length) {
    console.log(`\nNo WebKit here, WebKit browser tests skipped. Missing: ${webkitMissing.join('; ')}.`);
    if (process.env.CI === 'true') {
      total.failed++;
      failures.push('e2e: no WebKit under CI');
    }
  }
  const anyEngine = (chromiumWanted && chromium) || (webkitWanted && !webkitMissing.length);
  if (anyEngine && (await check('production build (vite build)', 'npx', ['vite', 'build', '--logLevel', 'warn']))) {
    const both = chromiumWanted && !!chromium && webkitWanted && !webkitMissing.length;
    const started = Date.now();
    // The two engines' suites run side by side: WebKit spends most of its time waiting on
    // MiniBrowser start-up and WebDriver round trips, so two cores carry both.
    if (chromiumWanted && chromium)
      engines.push(suite('e2e', { CHROMIUM_PATH: chromium, BROWSER: 'chromium' }, both ? 'chromium' : ''));
    if (webkitWanted && !webkitMissing.length)
      engines.push(
        suite(
          'e2e',
          { BROWSER: 'webkit', ...(chromium ? { CHROMIUM_PATH: chromium } : {}) },
          both ? 'webkit' : '',
          isWebKitSuite,
        ),
      );
    await Promise.all(engines);
    console.log(`\nbrowser suites: ${((Date.now() - started) / 1000).toFixed(0)} s`);
  }
}

if (failures.length) console.log(`\nFailed:\n  ${failures.join('\n  ')}`);
console.log(`\n${total.passed} passed, ${total.failed} failed${total.skipped ? `, ${total.skipped} skipped` : ''}`);
process.exit(total.failed > 0 ? 1 : 0);

/**
 * `npm run bench:xml`: a generated 10 MB EuCon App Set through the XML model.
 *   - import into a Y.Doc, export of the unedited doc, export after 100 attribute edits (parse
 *     already cached, as in the app), export from an encoded state in a fresh doc (what the
 *     worker does: apply state + parse + serialise), and the worker import path
 *     (import + encode the update);
 *   - encoded Y.Doc size against the XML size (after the 100 edits);
 *   - peak memory (max RSS of the Node child process that ran the measurements).
 * Each step: median of 5 runs, plus the first (cold JIT) run. Runs in Node (child process) and
 * in a real Chromium Web Worker (this file bundled with esbuild, which ships with tsx).
 * Targets (issue 3): import <= 1.5 s, export <= 0.5 s, encoded doc <= 2x the XML size.
 *
 * Session text (issue 15): a generated 100,000-clip Pro Tools session export (200 tracks of
 * 500 clips, every clip in the clips listing and in a track's event list) and the largest
 * plausible real one (80 tracks, 20,000 clips), parsed by parseSessionText; throughput in
 * MB/s. Targets: >= 50 MB/s, the 20,000-clip export under 200 ms in the worker. Each
 * runtime parses as its callers do: the worker with TextDecoder, Node with Node's UTF-8 codec
 * (src/cli/node-utf8.ts, which `mixdesk session` passes too).
 *
 * Flags: `--runs=N` (default 5), `--only=session` or `--only=xml`, `--no-browser`.
 */
import * as Y from 'yjs';
import { exportXml, importXml, rootElement, childElements, setAttribute } from '../src/core/xml/index.ts';
import { exportFromState, importToUpdate } from '../src/core/xml/transfer.ts';
import { parseSessionText, type ParseSessionOptions } from '../src/core/session/index.ts';
import { generateSessionText, type SessionTextOptions } from '../tests/support/session-text-corpus.ts';
import { seededRandom } from '../tests/support/signals.ts';
import { generateAppSetOfSize } from '../tests/support/xml-corpus.ts';
import { median } from './bench/stats.ts';

const RUNS = 5;
type Part = 'xml' | 'session';
const SIZE = 10 * 1024 * 1024;

export interface Measured {
  xmlBytes: number;
  docBytes: number;
  /** step -> milliseconds of each run */
  steps: Record<string, number[]>;
  /** step -> bytes it parsed, for the steps whose throughput is reported */
  stepBytes: Record<string, number>;
}

const SESSION_EXPORTS: Array<[string, Pick<SessionTextOptions, 'tracks' | 'clipsPerTrack'>]> = [
  ['session text, 100,000 clips', { tracks: 200, clipsPerTrack: 500 }],
  ['session text, 80 tracks, 20,000 clips', { tracks: 80, clipsPerTrack: 250 }],
];

/** Session-text parse times, one step per generated export. */
function measureSession(runs: number, out: Measured, options: ParseSessionOptions): void {
  for (const [step, size] of SESSION_EXPORTS) {
    const { bytes } = generateSessionText(seededRandom(15), {
      ...size,
      markers: 200,
      version: 'modern',
      lineBreak: '\n',
      columns: 'tab',
      encoding: 'utf-8',
      timeFormat: 'timecode',
      subUnits: false,
    });
    out.stepBytes[step] = bytes.length;
    for (let r = 0; r < runs; r++) {
      const t = performance.now();
      const result = parseSessionText(bytes, 'bench.txt', options);
      (out.steps[step] ??= []).push(performance.now() - t);
      if (!result.ok || result.session.tracks.length !== size.tracks) throw new Error('session text did not parse');
    }
  }
}

function hundredKeys(doc: Y.Doc): string[] {
  const keys: string[] = [];
  for (const section of childElements(doc, rootElement(doc), 'Section')) {
    for (const bank of childElements(doc, section, 'Bank')) keys.push(...childElements(doc, bank));
  }
  const step = Math.max(1, Math.floor(keys.length / 100));
  return keys.filter((_, i) => i % step === 0).slice(0, 100);
}

/**
 * The measurements; runs unchanged in Node and in a Web Worker. `session` is how the runtime's
 * own callers parse session text (Node: with Node's UTF-8 codec, as the CLI does).
 */
export function measure(
  runs = RUNS,
  parts: readonly Part[] = ['xml', 'session'],
  session: ParseSessionOptions = {},
): Measured {
  const out: Measured = { xmlBytes: 0, docBytes: 0, steps: {}, stepBytes: {} };
  if (parts.includes('xml')) Object.assign(out, measureXml(runs), { stepBytes: out.stepBytes });
  if (parts.includes('session')) measureSession(runs, out, session);
  return out;
}

function measureXml(runs: number): Omit<Measured, 'stepBytes'> {
  const bytes = new TextEncoder().encode(generateAppSetOfSize(SIZE));
  const steps: Record<string, number[]> = {};
  const time = <T>(name: string, fn: () => T): T => {
    const t = performance.now();
    const out = fn();
    (steps[name] ??= []).push(performance.now() - t);
    return out;
  };
  let docBytes = 0;
  for (let r = 0; r < runs; r++) {
    const doc = new Y.Doc();
    time('import 10 MB into a Y.Doc', () => importXml(doc, bytes, 'bench.xml'));
    const same = time('export, unedited', () => exportXml(doc));
    if (same.length !== bytes.length) throw new Error('unedited export differs from the input');
    const keys = hundredKeys(doc);
    keys.forEach((k, i) => setAttribute(doc, k, 'LABEL', `Edited ${i}`));
    time('export after 100 edits', () => exportXml(doc));
    const state = Y.encodeStateAsUpdate(doc);
    docBytes = state.length;
    time('export from state, fresh doc (worker path)', () => {
      const out = exportFromState(state);
      if (!out.ok) throw new Error(out.message);
    });
    time('import to update (worker path)', () => {
      const out = importToUpdate(bytes, 'bench.xml');
      if (!out.ok) throw new Error(out.message);
    });
  }
  return { xmlBytes: bytes.length, docBytes, steps };
}

const isNode = typeof process !== 'undefined' && !!process.versions?.node;
/** Node-only modules, imported through a variable so the browser bundle leaves them out. */
const nodeOnly = <T>(specifier: string): Promise<T> => import(specifier) as Promise<T>;

async function inNodeChild(): Promise<Measured & { maxRssMb: number }> {
  const { execFileSync } = await nodeOnly<typeof import('node:child_process')>('node:child_process');
  const { fileURLToPath } = await nodeOnly<typeof import('node:url')>('node:url');
  const out = execFileSync(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(import.meta.url), '--child', ...process.argv.slice(2)],
    { maxBuffer: 1 << 24 },
  );
  return JSON.parse(out.toString());
}

async function inBrowserWorker(): Promise<Measured | string> {
  const { build } = await nodeOnly<typeof import('esbuild')>('esbuild');
  const { createServer } = await nodeOnly<typeof import('node:http')>('node:http');
  const { fileURLToPath } = await nodeOnly<typeof import('node:url')>('node:url');
  const { findChromium, CHROMIUM_ARGS } = await nodeOnly<typeof import('../tests/support/chromium.ts')>(
    new URL('../tests/support/chromium.ts', import.meta.url).href,
  );
  const executablePath = findChromium();
  if (!executablePath) return 'no Chromium found';
  const root = fileURLToPath(new URL('..', import.meta.url));
  const bundle = await build({
    stdin: {
      contents: `import { measure } from './scripts/bench-xml.ts'; self.onmessage = (m) => { try { postMessage(measure(m.data.runs, m.data.parts)); } catch (e) { postMessage(String(e && e.stack || e)); } };`,
      resolveDir: root,
      loader: 'ts',
    },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    write: false,
    external: ['node:*', 'esbuild', 'playwright-core'],
    logLevel: 'silent',
  });
  const workerJs = bundle.outputFiles[0]!.text;
  const page = `<!doctype html><script type="module">
    const w = new Worker('/worker.js', { type: 'module' });
    window.result = new Promise((resolve) => { w.onmessage = (e) => resolve(e.data); w.onerror = (e) => resolve('worker error: ' + e.message); });
    w.postMessage(${JSON.stringify(settings())});
  </script>`;
  const server = createServer((req, res) => {
    if (req.url === '/worker.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' });
      res.end(workerJs);
    } else {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(page);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  const { chromium } = await nodeOnly<typeof import('playwright-core')>('playwright-core');
  const browser = await chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS });
  try {
    const tab = await browser.newPage();
    await tab.goto(`http://127.0.0.1:${port}/`);
    return await tab.evaluate(() => (window as unknown as { result: Promise<Measured | string> }).result);
  } finally {
    await browser.close();
    server.close();
  }
}

/** `--runs=N` and `--only=xml|session` from the command line. */
function settings(): { runs: number; parts: Part[] } {
  const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
  const only = arg('only');
  return {
    runs: Math.max(1, Number(arg('runs') ?? RUNS) || RUNS),
    parts: only === 'xml' || only === 'session' ? [only] : ['xml', 'session'],
  };
}

async function main(): Promise<void> {
  if (process.argv.includes('--child')) {
    const { runs, parts } = settings();
    // Node parses session text with its own UTF-8 codec, as `mixdesk session` does.
    const { nodeUtf8 } = await nodeOnly<typeof import('../src/cli/node-utf8.ts')>(
      new URL('../src/cli/node-utf8.ts', import.meta.url).href,
    );
    const measured = measure(runs, parts, { decodeUtf8: nodeUtf8 });
    process.stdout.write(JSON.stringify({ ...measured, maxRssMb: process.resourceUsage().maxRSS / 1024 }));
    return;
  }
  const node = await inNodeChild();
  const browser = process.argv.includes('--no-browser')
    ? 'skipped (--no-browser)'
    : await inBrowserWorker().catch((e: Error) => `failed: ${e.message}`);
  const targets: Record<string, string> = {
    'import 10 MB into a Y.Doc': '<= 1500',
    'export, unedited': '<= 500',
    'export after 100 edits': '<= 500',
    'export from state, fresh doc (worker path)': '<= 500',
    'import to update (worker path)': '<= 1500',
    'session text, 80 tracks, 20,000 clips': '<= 200 (worker)',
  };
  const mbPerS = (bytes: number, ms: number) => `${(bytes / 1e6 / (ms / 1000)).toFixed(1)} MB/s`;
  const rows = [
    ['step', 'Node median ms', 'Node first run', 'Chromium worker median ms', 'Chromium first run', 'target ms'],
  ];
  for (const [step, values] of Object.entries(node.steps)) {
    const b = typeof browser === 'string' ? undefined : browser.steps[step];
    rows.push([
      step,
      median(values).toFixed(0),
      values[0]!.toFixed(0),
      b ? median(b).toFixed(0) : 'n/a',
      b ? b[0]!.toFixed(0) : 'n/a',
      targets[step] ?? '',
    ]);
  }
  for (const [step, bytes] of Object.entries(node.stepBytes)) {
    const n = node.steps[step] ?? [];
    const b = typeof browser === 'string' ? undefined : browser.steps[step];
    rows.push([
      `${step} (${(bytes / 1e6).toFixed(1)} MB): throughput`,
      mbPerS(bytes, median(n)),
      mbPerS(bytes, n[0]!),
      b ? mbPerS(bytes, median(b)) : 'n/a',
      b ? mbPerS(bytes, b[0]!) : 'n/a',
      '>= 50 MB/s',
    ]);
  }
  if (node.xmlBytes > 0)
    rows.push([
      'encoded Y.Doc / XML size',
      `${(node.docBytes / node.xmlBytes).toFixed(3)}x (${(node.docBytes / 1048576).toFixed(2)} / ${(node.xmlBytes / 1048576).toFixed(2)} MB)`,
      '',
      typeof browser === 'string' ? 'n/a' : `${(browser.docBytes / browser.xmlBytes).toFixed(3)}x`,
      '',
      '<= 2x',
    ]);
  rows.push(['peak memory (max RSS, Node child)', `${node.maxRssMb.toFixed(0)} MB`, '', 'n/a', '', '']);
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  const line = (r: string[]) => `| ${r.map((cell, c) => cell.padEnd(widths[c]!)).join(' | ')} |`;
  console.log(
    `XML model and session-text benchmark: ${settings().runs} runs each` +
      (node.xmlBytes ? `, ${(node.xmlBytes / 1048576).toFixed(2)} MB generated App Set` : ''),
  );
  console.log(line(rows[0]!));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const r of rows.slice(1)) console.log(line(r));
  if (typeof browser === 'string') console.log(`Chromium worker: ${browser}`);
}

if (isNode && process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) await main();

/**
 * The architecture the folders promise, checked over every form of reference (static and type
 * imports, re-exports, side-effect and dynamic imports, `new URL(..., import.meta.url)` and
 * `?worker&url` entries; see import-graph.ts):
 *
 * - no load-order cycles (type-only references excepted: they vanish at run time);
 * - src/core imports nothing of ours; sync-server/ and src/cli/ share only src/core (and the
 *   CLI the server); the browser never reaches the server or the CLI;
 * - a feature (src/features/X) never imports another feature: pieces two features need live in
 *   src/features/shared/, and the shell (src/app) composes features;
 * - workers take their contracts from src/core or a shared contract module, never from
 *   src/platform; the main thread refers to workers/ only to start one (by URL), never imports
 *   their modules.
 *
 * Type-only references count for the layer rules too: naming another layer's types couples it
 * as much as calling it does.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { importGraph, importsOf, TYPE_ONLY_FORMS, type ImportEdge } from './import-graph.ts';

const root = resolve(fileURLToPath(new URL('../../..', import.meta.url)));
const SOURCE_DIRS = ['src', 'workers', 'sync-server'];
const graph = importGraph(root, SOURCE_DIRS);
const ours = (edge: ImportEdge) => SOURCE_DIRS.some((dir) => edge.to.startsWith(`${dir}/`));
const edges = [...graph.values()].flat().filter(ours);
const describe = (e: ImportEdge) => `${e.from}:${e.line} (${e.form}) -> ${e.to}`;

/**
 * Known violations waiting for another change, each named. Remove an entry once that change has
 * landed; the last test fails when an entry no longer matches anything, so none outlives it.
 */
// Violations tolerated while a fix is on its way, each with the reason; empty since the analysis
// worker contract moved into src/core (issue 9).
const KNOWN: Array<{ edge: RegExp; why: string }> = [];

interface Rule {
  from: RegExp;
  mayImport: (to: string, from: string) => boolean;
  why: string;
}

const feature = (path: string): string | undefined => /^src\/features\/([^/]+)\//.exec(path)?.[1];

const rules: Rule[] = [
  {
    from: /^src\/core\//,
    mayImport: (to) => to.startsWith('src/core/'),
    why: 'src/core is pure domain code and imports nothing else of ours',
  },
  {
    from: /^workers\//,
    mayImport: (to) => /^(src\/core|workers)\//.test(to),
    why: 'workers keep their logic and take their contracts from src/core (or a shared contract module), never src/platform',
  },
  {
    from: /^sync-server\//,
    mayImport: (to) => /^(src\/core|sync-server)\//.test(to),
    why: 'the server shares only src/core with the app',
  },
  {
    from: /^src\/cli\//,
    mayImport: (to) => /^(src\/core|src\/cli|sync-server)\//.test(to),
    why: 'the CLI runs the core and starts the server; it has no browser code',
  },
  {
    from: /^src\/(app|features|platform)\//,
    mayImport: (to) => !/^(sync-server|src\/cli)\//.test(to),
    why: 'nothing in the browser imports the server or the CLI',
  },
  {
    from: /^src\/features\//,
    mayImport: (to, from) =>
      !to.startsWith('src/features/') || feature(to) === feature(from) || feature(to) === 'shared',
    why: 'a feature never reaches into another feature: shared pieces live in src/features/shared/, src/app composes features',
  },
  {
    from: /^src\/features\/shared\//,
    mayImport: (to) => !to.startsWith('src/features/') || to.startsWith('src/features/shared/'),
    why: 'shared pieces belong to no feature',
  },
];

/** The main thread starts a worker by URL; importing a worker's modules would run them on the main thread. */
const workerRule = (e: ImportEdge) => e.from.startsWith('src/') && e.to.startsWith('workers/') && e.form !== 'url';

function violations(): string[] {
  const broken: string[] = [];
  for (const edge of edges) {
    for (const rule of rules.filter((r) => r.from.test(edge.from))) {
      if (!rule.mayImport(edge.to, edge.from)) broken.push(`${describe(edge)}: ${rule.why}`);
    }
    if (workerRule(edge))
      broken.push(
        `${describe(edge)}: the main thread refers to workers/ only by URL, to start one; contracts live in src/core or a shared contract module`,
      );
  }
  return broken;
}

const allBroken = violations();
const isKnown = (line: string) => KNOWN.some((k) => k.edge.test(line.split(': ')[0]!));

test('there are no import cycles (type-only references excepted)', () => {
  const runtime = new Map<string, string[]>();
  for (const e of edges)
    if (!TYPE_ONLY_FORMS.has(e.form) && e.form !== 'url') runtime.set(e.from, [...(runtime.get(e.from) ?? []), e.to]);
  const state = new Map<string, 'visiting' | 'done'>();
  const cycles: string[] = [];
  const visit = (node: string, path: string[]) => {
    if (state.get(node) === 'done') return;
    if (state.get(node) === 'visiting') {
      cycles.push([...path.slice(path.indexOf(node)), node].join(' -> '));
      return;
    }
    state.set(node, 'visiting');
    for (const next of runtime.get(node) ?? []) if (graph.has(next)) visit(next, [...path, node]);
    state.set(node, 'done');
  };
  for (const node of graph.keys()) visit(node, []);
  assert.equal(cycles, []);
});

test('each layer imports only what it may, in every import form', () => {
  assert.equal(
    allBroken.filter((line) => !isKnown(line)),
    [],
  );
});

test('every known violation still exists (remove an entry once its fix lands)', () => {
  const stale = KNOWN.filter((k) => !allBroken.some((line) => k.edge.test(line.split(': ')[0]!))).map((k) => k.why);
  assert.equal(stale, []);
});

test('the check sees the code (guards against a scan that finds nothing)', () => {
  assert.ok(graph.size > 50, `only ${graph.size} files found`);
  assert.ok(edges.some((e) => e.to.startsWith('src/core/')));
  for (const form of ['import', 'import type', 'dynamic import', 'url'] as const) {
    assert.ok(
      edges.some((e) => e.form === form),
      `no '${form}' reference found`,
    );
  }
});

test('the parser sees every import form', async () => {
  const { mkdtempSync, mkdirSync, writeFileSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const dir = mkdtempSync(join(tmpdir(), 'mixdesk-arch-'));
  try {
    mkdirSync(join(dir, 'src'));
    const file = join(dir, 'src', 'sample.ts');
    writeFileSync(
      file,
      [
        "import a from './a.ts';",
        "import type { B } from './b.ts';",
        "import './c.ts';",
        "export { d } from './d.ts';",
        "export type { E } from './e.ts';",
        "const f = await import('./f.ts');",
        "type G = import('./g.ts').G;",
        "const w = new Worker(new URL('./h.worker.ts', import.meta.url), { type: 'module' });",
        "import i from './i.worklet.ts?worker&url';",
        "import pkg from 'some-package';",
      ].join('\n'),
    );
    const found = importsOf(dir, file).map((e) => `${e.form} ${e.to}`);
    assert.equal(found, [
      'import src/a.ts',
      'import type src/b.ts',
      'side effect src/c.ts',
      'export from src/d.ts',
      'export type src/e.ts',
      'dynamic import src/f.ts',
      'type query src/g.ts',
      'url src/h.worker.ts',
      'url src/i.worklet.ts',
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();

/**
 * The architecture the folders promise, checked: no import cycles, and each layer imports
 * only what it may (src/core nothing of ours, workers/ and sync-server/ only src/core, the
 * browser never the server).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('../../..', import.meta.url)));
const SOURCE_DIRS = ['src', 'workers', 'sync-server'];

function sourceFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(entry) && !entry.endsWith('.d.ts') ? [path] : [];
  });
}

/**
 * Relative value imports of a file, resolved to repo-relative paths. `import type` is left
 * out: it vanishes at run time, and a lower layer may name a higher one's types that way.
 */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const found: string[] = [];
  const pattern = /(?:^|\n)\s*(import|export)\s+(type\s)?[^'"]*?from\s+['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)|new URL\(\s*['"](\.[^'"]+\.ts)['"]/g;
  for (const match of text.matchAll(pattern)) {
    if (match[2]) continue;
    const spec = match[3] ?? match[4] ?? match[5];
    if (spec) found.push(relative(root, resolve(dirname(file), spec.split('?')[0]!)));
  }
  return found;
}

const graph = new Map<string, string[]>();
for (const dir of SOURCE_DIRS) for (const file of sourceFiles(join(root, dir))) graph.set(relative(root, file), importsOf(file));

test('there are no import cycles', () => {
  const state = new Map<string, 'visiting' | 'done'>();
  const cycles: string[] = [];
  const visit = (node: string, path: string[]) => {
    if (state.get(node) === 'done') return;
    if (state.get(node) === 'visiting') { cycles.push([...path.slice(path.indexOf(node)), node].join(' -> ')); return; }
    state.set(node, 'visiting');
    for (const next of graph.get(node) ?? []) if (graph.has(next)) visit(next, [...path, node]);
    state.set(node, 'done');
  };
  for (const node of graph.keys()) visit(node, []);
  assert.equal(cycles, []);
});

const rules: Array<{ from: RegExp; mayImport: RegExp; why: string }> = [
  { from: /^src\/core\//, mayImport: /^src\/core\//, why: 'src/core is pure domain code and imports nothing else of ours' },
  { from: /^workers\//, mayImport: /^(src\/core|workers)\//, why: 'workers keep their logic in src/core' },
  { from: /^sync-server\//, mayImport: /^(src\/core|sync-server)\//, why: 'the server shares only src/core with the app' },
  { from: /^src\/(app|features|platform)\//, mayImport: /^(src|workers)\//, why: 'nothing in the browser imports the server' },
];

test('each layer imports only what it may', () => {
  const broken: string[] = [];
  for (const [file, imports] of graph) {
    for (const rule of rules.filter((r) => r.from.test(file))) {
      for (const target of imports.filter((t) => !rule.mayImport.test(t))) broken.push(`${file} imports ${target}: ${rule.why}`);
    }
  }
  assert.equal(broken, []);
});

test('the check sees the code (guards against a scan that finds nothing)', () => {
  assert.ok(graph.size > 50, `only ${graph.size} files found`);
  assert.ok([...graph.values()].some((imports) => imports.some((t) => t.startsWith('src/core/'))));
});

test.run();

/**
 * Every reference from one of our source files to another, read with the TypeScript parser (not
 * a regular expression), so no form of import escapes the architecture test:
 *
 *   import x from './a.ts'            'import'          import type { T } from './a.ts'  'import type'
 *   import './a.ts'                   'side effect'     export { x } from './a.ts'       'export from'
 *   export type { T } from './a.ts'   'export type'     import('./a.ts')                 'dynamic import'
 *   type T = import('./a.ts').T       'type query'      new URL('./w.ts', import.meta.url)  'url'
 *   import url from './w.ts?worker&url'  'url'
 *
 * Only relative specifiers name our own files (there are no path aliases); packages are the
 * lint's business (no-restricted-imports in eslint.config.js).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

export type ImportForm =
  'import' | 'import type' | 'side effect' | 'export from' | 'export type' | 'dynamic import' | 'type query' | 'url';

export interface ImportEdge {
  /** Repo-relative path of the importing file. */
  from: string;
  /** Repo-relative path of the imported file, query (`?worker`) removed. */
  to: string;
  form: ImportForm;
  /** 1-based line of the reference, for messages. */
  line: number;
}

/** Forms that leave nothing at run time: they cannot make a load-order cycle. */
export const TYPE_ONLY_FORMS: ReadonlySet<ImportForm> = new Set(['import type', 'export type', 'type query']);

export function sourceFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(entry) && !entry.endsWith('.d.ts') ? [path] : [];
  });
}

const isRelative = (spec: string): boolean => spec.startsWith('./') || spec.startsWith('../');

/** The references of one file, resolved to repo-relative paths. */
export function importsOf(root: string, file: string): ImportEdge[] {
  const text = readFileSync(file, 'utf8');
  const source = ts.createSourceFile(
    file,
    text,
    ts.ScriptTarget.Latest,
    true,
    file.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS,
  );
  const from = relative(root, file);
  const edges: ImportEdge[] = [];
  const add = (spec: string, form: ImportForm, node: ts.Node) => {
    if (!isRelative(spec)) return;
    const [path, query] = spec.split('?') as [string, string | undefined];
    const isWorkerUrl = query !== undefined && /(^|&)(worker|url)(&|$)/.test(query);
    const to = relative(root, resolve(dirname(file), path));
    edges.push({
      from,
      to,
      form: isWorkerUrl ? 'url' : form,
      line: source.getLineAndCharacterOfPosition(node.getStart()).line + 1,
    });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause;
      add(node.moduleSpecifier.text, !clause ? 'side effect' : clause.isTypeOnly ? 'import type' : 'import', node);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      add(node.moduleSpecifier.text, node.isTypeOnly ? 'export type' : 'export from', node);
    } else if (
      ts.isImportEqualsDeclaration(node) &&
      ts.isExternalModuleReference(node.moduleReference) &&
      ts.isStringLiteral(node.moduleReference.expression)
    ) {
      add(node.moduleReference.expression.text, node.isTypeOnly ? 'import type' : 'import', node);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [spec] = node.arguments;
      if (spec && ts.isStringLiteralLike(spec)) add(spec.text, 'dynamic import', node);
    } else if (
      ts.isImportTypeNode(node) &&
      ts.isLiteralTypeNode(node.argument) &&
      ts.isStringLiteral(node.argument.literal)
    ) {
      add(node.argument.literal.text, 'type query', node);
    } else if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'URL') {
      const [spec, base] = node.arguments ?? [];
      if (spec && ts.isStringLiteralLike(spec) && base && base.getText(source) === 'import.meta.url')
        add(spec.text, 'url', node);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return edges;
}

/** Every reference in the given folders, keyed by importing file. */
export function importGraph(root: string, dirs: readonly string[]): Map<string, ImportEdge[]> {
  const graph = new Map<string, ImportEdge[]>();
  for (const dir of dirs)
    for (const file of sourceFiles(join(root, dir))) graph.set(relative(root, file), importsOf(root, file));
  return graph;
}

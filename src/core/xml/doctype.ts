/**
 * The DOCTYPE declaration: found, kept verbatim, and read only for the general entities of its
 * internal subset. External entities and the external DTD are never fetched. Every declared
 * entity is measured (without building its text) when the file is read, and a file whose
 * entities would expand beyond MAX_ENTITY_EXPANSION characters, or refer to themselves, is
 * refused: a "billion laughs" file fails in microseconds instead of exhausting memory.
 */
import type { EntityDecl } from './parsed.ts';

export const MAX_ENTITY_EXPANSION = 1_000_000;

export type Fail = (reason: string, offset: number) => never;

interface Scanned {
  end: number;
  entities: Map<string, EntityDecl>;
  declaredAt: Map<string, number>;
}

function skipQuoted(text: string, i: number, fail: Fail): number {
  const q = text[i]!;
  const close = text.indexOf(q, i + 1);
  if (close < 0) fail('unterminated quoted string in DOCTYPE', i);
  return close + 1;
}

function skipPast(text: string, i: number, terminator: string, what: string, fail: Fail): number {
  const close = text.indexOf(terminator, i);
  if (close < 0) fail(`unterminated ${what} in DOCTYPE`, i);
  return close + terminator.length;
}

/** Scans `<!DOCTYPE ...>` starting at `start` (the `<`); returns its end and declared entities. */
export function scanDoctype(text: string, start: number, fail: Fail): Scanned {
  const entities = new Map<string, EntityDecl>();
  const declaredAt = new Map<string, number>();
  let i = start + 9;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '"' || c === "'") i = skipQuoted(text, i, fail);
    else if (c === '>') return { end: i + 1, entities, declaredAt };
    else if (c === '[') i = scanSubset(text, i + 1, entities, declaredAt, fail);
    else i++;
  }
  return fail('unterminated DOCTYPE declaration', start);
}

function scanSubset(
  text: string,
  i: number,
  entities: Map<string, EntityDecl>,
  declaredAt: Map<string, number>,
  fail: Fail,
): number {
  while (i < text.length) {
    if (text[i] === ']') return i + 1;
    if (text.startsWith('<!--', i)) i = skipPast(text, i + 4, '-->', 'comment', fail);
    else if (text.startsWith('<?', i)) i = skipPast(text, i + 2, '?>', 'processing instruction', fail);
    else if (text.startsWith('<!ENTITY', i)) i = scanEntity(text, i, entities, declaredAt, fail);
    else if (text.startsWith('<!', i)) i = skipDecl(text, i + 2, fail);
    else if (text[i] === '"' || text[i] === "'") i = skipQuoted(text, i, fail);
    else i++;
  }
  return fail('unterminated internal subset in DOCTYPE (missing "]")', i);
}

function skipDecl(text: string, i: number, fail: Fail): number {
  while (i < text.length) {
    const c = text[i]!;
    if (c === '"' || c === "'") i = skipQuoted(text, i, fail);
    else if (c === '>') return i + 1;
    else i++;
  }
  return fail('unterminated markup declaration in DOCTYPE', i);
}

const ENTITY = /<!ENTITY\s+(%\s+)?([^\s"'>]+)\s+(?:(["'])([^]*?)\3|((?:SYSTEM|PUBLIC)\b[^>]*))\s*[^>]*>/y;

function scanEntity(
  text: string,
  i: number,
  entities: Map<string, EntityDecl>,
  declaredAt: Map<string, number>,
  fail: Fail,
): number {
  ENTITY.lastIndex = i;
  const m = ENTITY.exec(text);
  if (!m) return skipDecl(text, i + 2, fail);
  const name = m[2]!;
  // Parameter entities are never expanded; the first declaration of a name binds (XML 1.0 4.2).
  if (!m[1] && !entities.has(name)) {
    entities.set(name, { value: m[5] !== undefined ? null : m[4]! });
    declaredAt.set(name, i);
  }
  return i + m[0].length;
}

const REF = /&([^\s&;#<>"']+);/g;

/** Refuses entity bombs and recursive entities; reports at the declaration. */
export function checkEntityExpansion(
  entities: Map<string, EntityDecl>,
  declaredAt: Map<string, number>,
  fail: Fail,
): void {
  const size = new Map<string, number>();
  const visiting = new Set<string>();
  const measure = (name: string): number => {
    const known = size.get(name);
    if (known !== undefined) return known;
    const decl = entities.get(name);
    if (!decl || decl.value === null) return name.length + 2;
    if (visiting.has(name)) fail(`entity '${name}' refers to itself`, declaredAt.get(name) ?? 0);
    visiting.add(name);
    let total = decl.value.length;
    for (const m of decl.value.matchAll(REF)) {
      total += measure(m[1]!) - m[0].length;
      if (total > MAX_ENTITY_EXPANSION) {
        fail(
          `entity '${name}' expands to more than ${MAX_ENTITY_EXPANSION} characters; refused (entity expansion bomb)`,
          declaredAt.get(name) ?? 0,
        );
      }
    }
    visiting.delete(name);
    size.set(name, total);
    return total;
  };
  for (const name of entities.keys()) measure(name);
}

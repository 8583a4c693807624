/**
 * Named versions of a console document, stored inside the document (a Y.Array, so they sync
 * with it). A version keeps the edit log of the XML model (the imported source never changes,
 * so the log alone says what the file was) plus the exported bytes for reference. Diff and
 * restore rebuild the version as its own Y.Doc over the same source, so node ids match.
 * Restore writes only the edit records that differ, as an ordinary local edit: undoable, and
 * merged with whatever a collaborator does at the same time.
 */
import * as Y from 'yjs';
import { fieldMap, humanChanges, mergeMap } from '../../core/console/index.ts';
import { diffVersions, exportXml, XML_ROOT, type XmlChange } from '../../core/xml/index.ts';

export interface SavedVersion {
  name: string;
  createdAt: number;
  author: string;
  /** The XML model's edit records when saved (key -> record). */
  edits: Record<string, unknown>;
  /** The file as exported when saved (named versions only: automatic ones keep just the log, which says the same). */
  xml?: Uint8Array;
}

export const VERSIONS_KEY = 'console-versions';

export function versionsOf(doc: Y.Doc): Y.Array<SavedVersion> {
  return doc.getArray<SavedVersion>(VERSIONS_KEY);
}

function editsMap(doc: Y.Doc): Y.Map<unknown> {
  const edits = doc.getMap(XML_ROOT).get('edits');
  if (!(edits instanceof Y.Map)) throw new Error('this document holds no imported XML file');
  return edits as Y.Map<unknown>;
}

export function saveVersion(
  doc: Y.Doc,
  name: string,
  author: string,
  now = Date.now(),
  automatic = false,
): SavedVersion {
  const base = {
    name: name.trim() || `Version ${versionsOf(doc).length + 1}`,
    createdAt: now,
    author,
    edits: editsMap(doc).toJSON(),
  };
  const version: SavedVersion = automatic ? base : { ...base, xml: exportXml(doc) };
  versionsOf(doc).push([version]);
  return version;
}

/** A stand-alone Y.Doc holding the document as it was at `version` (for diffs). */
export function versionDoc(doc: Y.Doc, version: SavedVersion): Y.Doc {
  const root = doc.getMap(XML_ROOT);
  const out = new Y.Doc();
  out.transact(() => {
    const r = out.getMap(XML_ROOT);
    r.set('source', root.get('source'));
    r.set('info', root.get('info'));
    const edits = new Y.Map<unknown>();
    for (const [k, v] of Object.entries(version.edits)) edits.set(k, v);
    r.set('edits', edits);
  });
  return out;
}

/** Readable changes from `before` to `after`; null stands for the document as it is now. */
export function diffBetween(doc: Y.Doc, before: SavedVersion | null, after: SavedVersion | null): XmlChange[] {
  const a = before ? versionDoc(doc, before) : doc;
  const b = after ? versionDoc(doc, after) : doc;
  try {
    return diffVersions(a, b);
  } finally {
    if (a !== doc) a.destroy();
    if (b !== doc) b.destroy();
  }
}

/** The changes from `before` to `after` as a person would say them (null: now). */
export function humanDiffBetween(doc: Y.Doc, before: SavedVersion | null, after: SavedVersion | null): string[] {
  const a = before ? versionDoc(doc, before) : doc;
  const b = after ? versionDoc(doc, after) : doc;
  try {
    return humanChanges(a, b);
  } finally {
    if (a !== doc) a.destroy();
    if (b !== doc) b.destroy();
  }
}

/** Saves a version unless the last one already holds exactly this state (automatic versions). */
export function saveVersionIfChanged(doc: Y.Doc, name: string, author: string, now = Date.now()): SavedVersion | null {
  const last = versionsOf(doc).toArray().at(-1);
  if (last && JSON.stringify(last.edits) === JSON.stringify(editsMap(doc).toJSON())) return null;
  return saveVersion(doc, name, author, now, true);
}

/**
 * Brings the edit log to the version's, writing only the records that differ (call inside a
 * transaction with a local origin). The merge registers (docs/merge.md) are cleared, keeping
 * their history, so the restored XML is what the next edit starts from rather than something
 * the registers would put back.
 */
export function restoreVersion(doc: Y.Doc, version: SavedVersion): void {
  for (const map of [mergeMap(doc), fieldMap(doc)])
    for (const key of [...map.keys()]) if (!key.startsWith('c|')) map.delete(key);
  const edits = editsMap(doc);
  for (const key of [...edits.keys()]) if (!(key in version.edits)) edits.delete(key);
  for (const [key, value] of Object.entries(version.edits)) {
    if (JSON.stringify(edits.get(key)) !== JSON.stringify(value)) edits.set(key, value);
  }
}

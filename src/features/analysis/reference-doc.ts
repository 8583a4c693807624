/**
 * A report's references: tracks measured beside the mix, each kept as its file name, stream facts
 * and figures, never its audio. A Y.Array beside the report map, so references added by two
 * people at once both stay (appends merge). At most MAX_REFERENCES (the CLI's limit too): adding
 * one more is refused rather than dropping one the user chose. The waveform/goniometer overview
 * is left out: the compare view does not draw it and it is the bulk of a result.
 */
import type * as Y from 'yjs';
import type { StreamSummary } from '../../core/analysis/worker-contract.ts';
import { MAX_REFERENCES } from '../../core/dsp/compare.ts';
import { SCHEMA_ID, type AnalysisResult } from '../../core/dsp/result-schema.ts';

export const REFERENCES_ARRAY = 'references';

export interface SavedReference {
  /** Stable across edits by others (the array index is not). */
  id: string;
  fileName: string;
  stream: StreamSummary;
  result: AnalysisResult;
  analysedAt: number;
}

export function referenceList(doc: Y.Doc): Y.Array<SavedReference> {
  return doc.getArray<SavedReference>(REFERENCES_ARRAY);
}

/** Adds a reference (plain JSON, no overview); false when the report already holds MAX_REFERENCES. */
export function addReference(doc: Y.Doc, reference: SavedReference): boolean {
  const list = referenceList(doc);
  if (list.length >= MAX_REFERENCES) return false;
  const { overview: _overview, ...figures } = reference.result;
  const plain = JSON.parse(JSON.stringify({ ...reference, result: figures })) as SavedReference;
  list.push([plain]);
  return true;
}

/** Removes the reference with `id` (no-op when someone else removed it first). */
export function removeReference(doc: Y.Doc, id: string): void {
  const list = referenceList(doc);
  const index = list.toArray().findIndex((r) => r.id === id);
  if (index >= 0) list.delete(index, 1);
}

/** The references in the order added; entries of an unknown schema (a newer version) are skipped. */
export function readReferences(doc: Y.Doc): SavedReference[] {
  return referenceList(doc)
    .toArray()
    .filter(
      (r) =>
        typeof r === 'object' &&
        r !== null &&
        typeof r.id === 'string' &&
        typeof r.fileName === 'string' &&
        (r.result as Partial<AnalysisResult> | undefined)?.schema === SCHEMA_ID,
    )
    .slice(0, MAX_REFERENCES);
}

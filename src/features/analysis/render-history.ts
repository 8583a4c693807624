/**
 * A report's render history: one entry per corrective render made from it (settings, gain plan,
 * figures before and after, verdict, time taken), never the audio. Kept in a Y.Array beside the
 * report map, so renders made by two people at once both stay (appends merge). Capped at
 * MAX_RENDERS entries, the oldest dropped, so a shared report cannot grow without bound.
 */
import type * as Y from 'yjs';
import type { RenderRecord } from '../../core/dsp/render/render-summary.ts';

export const RENDERS_ARRAY = 'renders';
export const MAX_RENDERS = 100;

export function renderHistory(doc: Y.Doc): Y.Array<RenderRecord> {
  return doc.getArray<RenderRecord>(RENDERS_ARRAY);
}

/** Appends a render to the report's history (plain JSON only), dropping the oldest beyond MAX_RENDERS. */
export function addRenderRecord(doc: Y.Doc, record: RenderRecord): void {
  const list = renderHistory(doc);
  doc.transact(() => {
    list.push([JSON.parse(JSON.stringify(record)) as RenderRecord]);
    if (list.length > MAX_RENDERS) list.delete(0, list.length - MAX_RENDERS);
  });
}

/** The history, newest first; entries that are not render records (a newer schema) are skipped. */
export function readRenderHistory(doc: Y.Doc): RenderRecord[] {
  return renderHistory(doc)
    .toArray()
    .filter((r) => typeof r === 'object' && r !== null && typeof r.renderedAt === 'number' && !!r.settings)
    .reverse();
}

/**
 * An analysis-report document keeps the measurements, never the audio: a Y.Map 'report' with
 * the file name, the stream facts, the full result (plain JSON values), when it was made, the
 * target it was judged against and the diagnostics as they were then (the rules may change in
 * a later version; the report keeps what it said).
 */
import * as Y from 'yjs';
import type { Diagnosis } from '../../core/diagnostics/diagnose.ts';
import type { AnalysisResult } from '../../core/dsp/result-schema.ts';
import { SCHEMA_ID } from '../../core/dsp/result-schema.ts';
import type { StreamSummary } from '../../core/analysis/worker-contract.ts';

export const REPORT_MAP = 'report';

export interface SavedReport {
  fileName: string;
  stream: StreamSummary;
  result: AnalysisResult;
  analysedAt: number;
  /** Older reports have none: the default target is shown. */
  targetId?: string;
  diagnosis?: Diagnosis;
}

/** The Yjs update that creates a report's content (passed to library.create as `content`). */
export function reportUpdate(report: SavedReport): Uint8Array {
  const doc = new Y.Doc();
  const map = doc.getMap(REPORT_MAP);
  doc.transact(() => {
    map.set('fileName', report.fileName);
    map.set('stream', { ...report.stream });
    // JSON round trip: plain values only (no typed arrays, no undefined) in the Yjs document.
    map.set('result', JSON.parse(JSON.stringify(report.result)) as AnalysisResult);
    map.set('analysedAt', report.analysedAt);
    if (report.targetId) map.set('targetId', report.targetId);
    if (report.diagnosis) map.set('diagnosis', JSON.parse(JSON.stringify(report.diagnosis)) as Diagnosis);
  });
  const update = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return update;
}

/** The report stored in `doc`, or null when it holds none (or one of an unknown schema). */
export function readReport(doc: Y.Doc): SavedReport | null {
  const map = doc.getMap(REPORT_MAP);
  const result = map.get('result') as AnalysisResult | undefined;
  if (!result || result.schema !== SCHEMA_ID) return null;
  const targetId = map.get('targetId');
  const diagnosis = map.get('diagnosis') as Diagnosis | undefined;
  return {
    fileName: String(map.get('fileName') ?? ''),
    stream: map.get('stream') as StreamSummary,
    result,
    analysedAt: Number(map.get('analysedAt') ?? 0),
    ...(typeof targetId === 'string' ? { targetId } : {}),
    ...(diagnosis ? { diagnosis } : {}),
  };
}

/** Records a new target (and the diagnosis for it) in an open report document. */
export function setReportTarget(doc: Y.Doc, targetId: string, diagnosis: Diagnosis): void {
  const map = doc.getMap(REPORT_MAP);
  doc.transact(() => {
    map.set('targetId', targetId);
    map.set('diagnosis', JSON.parse(JSON.stringify(diagnosis)) as Diagnosis);
  });
}

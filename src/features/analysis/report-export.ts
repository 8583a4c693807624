/**
 * Exports of a result as files the user keeps: JSON (the full self-describing result with the
 * target, score, verdict and diagnostics) and CSV (summary, then the 10 Hz series). Built in
 * memory from the figures (a few hundred KB at most) and handed to the browser as a download.
 */
import type { Diagnosis } from '../../core/diagnostics/diagnose.ts';
import type { AnalysisResult } from '../../core/dsp/result-schema.ts';
import { reportCsv } from '../../core/report/csv.ts';
import type { StreamSummary } from '../../core/analysis/worker-contract.ts';

export interface ExportInput {
  name: string;
  stream: StreamSummary;
  result: AnalysisResult;
  diagnosis: Diagnosis;
  analysedAt: number;
}

export function reportJson(x: ExportInput): string {
  const { diagnosis: d } = x;
  return JSON.stringify(
    {
      file: x.name,
      analysedAt: new Date(x.analysedAt).toISOString(),
      stream: x.stream,
      target: { id: d.targetId, name: d.targetName },
      score: d.score,
      scoreExplanation: d.scoreExplanation,
      verdict: d.verdict,
      verdictText: d.verdictText,
      preview: d.preview,
      diagnostics: d.diagnostics,
      result: x.result,
    },
    null,
    2,
  );
}

export function reportCsvFor(x: ExportInput): string {
  return reportCsv(x.name, x.result, x.diagnosis);
}

/** The file name stem for exports: the audio's name without its extension. */
export function exportStem(name: string): string {
  return (name.replace(/\.[^.]+$/, '') || 'analysis').replace(/[\\/:*?"<>|]+/g, '_');
}

/** Hands `text` to the browser as a download named `fileName`. */
export function download(fileName: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  // Revoke after the click has been handled.
  queueMicrotask(() => URL.revokeObjectURL(url));
}

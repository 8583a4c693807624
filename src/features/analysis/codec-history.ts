/**
 * A report's codec checks: one entry per check made from it (platform, codec, figures before
 * and after, over ranges, the sentence), never the audio, so the result survives navigation
 * and syncs with the report. A Y.Array beside the report map (appends from two people merge),
 * capped at MAX_CODEC_CHECKS entries, the oldest dropped.
 */
import type * as Y from 'yjs';
import type { CodecCheckRecord } from '../../core/codec/codec-check.ts';

export const CODEC_CHECKS_ARRAY = 'codecChecks';
export const MAX_CODEC_CHECKS = 50;

export function codecChecks(doc: Y.Doc): Y.Array<CodecCheckRecord> {
  return doc.getArray<CodecCheckRecord>(CODEC_CHECKS_ARRAY);
}

/** Appends a check (plain JSON only), dropping the oldest beyond MAX_CODEC_CHECKS. */
export function addCodecCheck(doc: Y.Doc, record: CodecCheckRecord): void {
  const list = codecChecks(doc);
  doc.transact(() => {
    list.push([JSON.parse(JSON.stringify(record)) as CodecCheckRecord]);
    if (list.length > MAX_CODEC_CHECKS) list.delete(0, list.length - MAX_CODEC_CHECKS);
  });
}

/** The newest check for a platform, or null; entries of another shape (a newer schema) are skipped. */
export function latestCodecCheck(doc: Y.Doc, platformId: string): CodecCheckRecord | null {
  const all = codecChecks(doc).toArray();
  for (let i = all.length - 1; i >= 0; i--) {
    const r = all[i];
    if (r && typeof r === 'object' && r.platformId === platformId && typeof r.sentence === 'string') return r;
  }
  return null;
}

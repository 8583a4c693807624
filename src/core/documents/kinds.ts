/** The kinds of document Mixdesk keeps. Each has its own editor; all share the 'meta' map. */
export const DOCUMENT_KINDS = ['console-config', 'analysis-report'] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

export const KIND_LABELS: Record<DocumentKind, string> = {
  'console-config': 'Console config',
  'analysis-report': 'Analysis report',
};

export function isDocumentKind(value: unknown): value is DocumentKind {
  return typeof value === 'string' && (DOCUMENT_KINDS as readonly string[]).includes(value);
}

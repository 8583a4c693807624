/**
 * POST /csp-report: where browsers send Content-Security-Policy violations (report-uri). Each
 * report is logged as one 'csp-violation' record, so a policy that breaks the app (or a script
 * someone managed to inject) shows up in the server's log and fails the browser suites.
 * The body is bounded before it is read: anyone can post here.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HttpLogger } from './http-log.ts';

/** A real report is well under 2 KB (URLs are truncated by the browser); 16 KB leaves room. */
export const MAX_CSP_REPORT_BYTES = 16 * 1024;

type Report = Record<string, unknown>;

/** The reports in a body: report-uri's `{"csp-report": {...}}` or the Reporting API's array. */
function reportsIn(body: unknown): Report[] {
  const list = Array.isArray(body) ? body : [body];
  return list.flatMap((entry) => {
    if (!entry || typeof entry !== 'object') return [];
    const record = entry as Report;
    const inner = record['csp-report'] ?? record.body;
    return inner && typeof inner === 'object' ? [inner as Report] : [];
  });
}

const field = (report: Report, ...names: string[]): string | undefined => {
  for (const name of names) {
    const value = report[name];
    if (typeof value === 'string' || typeof value === 'number') return String(value).slice(0, 500);
  }
  return undefined;
};

export function handleCspReport(req: IncomingMessage, res: ServerResponse, log: HttpLogger): void {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > MAX_CSP_REPORT_BYTES) {
    refuseTooLarge(req, res);
    return;
  }
  const chunks: Buffer[] = [];
  let received = 0;
  req.on('data', (chunk: Buffer) => {
    received += chunk.length;
    if (received > MAX_CSP_REPORT_BYTES) {
      refuseTooLarge(req, res);
      return;
    }
    chunks.push(chunk);
  });
  req.on('end', () => {
    if (res.headersSent) return;
    let reports: Report[] = [];
    try {
      reports = reportsIn(JSON.parse(Buffer.concat(chunks).toString('utf8')));
    } catch {
      /* not JSON: nothing to log, still acknowledged */
    }
    for (const report of reports) {
      log({
        event: 'csp-violation',
        directive: field(report, 'effective-directive', 'effectiveDirective', 'violated-directive'),
        blocked: field(report, 'blocked-uri', 'blockedURL'),
        document: field(report, 'document-uri', 'documentURL'),
        source: field(report, 'source-file', 'sourceFile'),
        line: field(report, 'line-number', 'lineNumber'),
        sample: field(report, 'script-sample', 'sample'),
      });
    }
    res.writeHead(204).end();
  });
  req.on('error', () => res.destroy());
}

function refuseTooLarge(req: IncomingMessage, res: ServerResponse): void {
  if (res.headersSent) return;
  res
    .writeHead(413, { 'Content-Type': 'application/json', Connection: 'close' })
    .end(JSON.stringify({ error: `a CSP report is at most ${MAX_CSP_REPORT_BYTES} bytes` }));
  // Stop reading the rest; the connection closes after the answer.
  req.pause();
  res.on('finish', () => req.destroy());
}

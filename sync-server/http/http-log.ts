/**
 * HttpLogger: one structured record per refused request, CSP violation report and server-side
 * failure of the HTTP half (the relay logs its own connections). The default writes one JSON
 * line to stdout, like the relay's logger; tests inject a collecting one.
 */
export type HttpLogEvent = 'refused' | 'csp-violation' | 'error';

export interface HttpLogRecord {
  event: HttpLogEvent;
  [field: string]: string | number | boolean | undefined;
}

export type HttpLogger = (record: HttpLogRecord) => void;

export const jsonLineHttpLogger: HttpLogger = (record) => {
  const level = record.event === 'error' ? 'error' : record.event === 'refused' ? 'info' : 'warn';
  process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), level, component: 'http', ...record })}\n`);
};

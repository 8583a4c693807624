/**
 * RelayLogger: one structured record per connect, disconnect and error. Records carry ids,
 * sizes and reasons, never document content. The default writes one JSON line to stdout;
 * tests inject `silentLogger` or a collecting one.
 */
export type RelayLogEvent = 'connect' | 'disconnect' | 'error' | 'refused' | 'repaired';

export interface RelayLogRecord {
  event: RelayLogEvent;
  docId?: string;
  connection?: number;
  remote?: string;
  access?: string;
  code?: number;
  reason?: string;
  durationMs?: number;
  [field: string]: string | number | boolean | undefined;
}

export type RelayLogger = (record: RelayLogRecord) => void;

/** One JSON line per record on stdout, with an ISO timestamp and a level. */
export const jsonLineLogger: RelayLogger = (record) => {
  const level = record.event === 'error' ? 'error' : 'info';
  process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), level, component: 'relay', ...record })}\n`);
};

export const silentLogger: RelayLogger = () => {};

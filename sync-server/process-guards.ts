/**
 * Last-resort handlers for the server process: an unhandled promise rejection or an uncaught
 * exception is written as one structured JSON line (like the relay's logs) instead of a raw
 * stack trace.
 *
 * - unhandledRejection: logged, the process keeps running. A promise nobody awaited left no
 *   synchronous work half done; the relay's own promises all have handlers, so one of these
 *   is a bug to fix, not a reason to drop every connection.
 * - uncaughtException: logged, then the process exits with status 1. A throw that unwound an
 *   unknown part of the stack may have left state half updated; running on could serve or
 *   store corrupt data. Every accepted update is committed before it is broadcast, so exiting
 *   loses nothing anyone saw, and a supervisor (systemd, Docker) restarts the server. No client
 *   input can get here: the relay catches every error per connection and per document.
 */
import { writeSync } from 'node:fs';

export interface ProcessGuardOptions {
  /** Where the JSON lines go (default: stdout, written synchronously so a fatal line is never lost). */
  write?: (line: string) => void;
  /** How the process ends after an uncaught exception (default: process.exit). */
  exit?: (code: number) => void;
}

function describe(error: unknown): { message: string; stack?: string } {
  if (error instanceof Error) return { message: error.message, ...(error.stack ? { stack: error.stack } : {}) };
  return { message: String(error) };
}

/** Installs the handlers on `target` (the current process by default); returns a function that removes them. */
export function installProcessGuards(options: ProcessGuardOptions = {}, target: NodeJS.Process = process): () => void {
  const write =
    options.write ??
    ((line: string) => {
      writeSync(1, line);
    });
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const line = (level: string, event: string, error: unknown) =>
    `${JSON.stringify({ time: new Date().toISOString(), level, component: 'process', event, pid: process.pid, ...describe(error) })}\n`;
  const onRejection = (reason: unknown) => write(line('error', 'unhandledRejection', reason));
  const onException = (error: unknown) => {
    try {
      write(line('fatal', 'uncaughtException', error));
    } finally {
      exit(1);
    }
  };
  target.on('unhandledRejection', onRejection);
  target.on('uncaughtException', onException);
  return () => {
    target.off('unhandledRejection', onRejection);
    target.off('uncaughtException', onException);
  };
}

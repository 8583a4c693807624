/**
 * How a server process stops on SIGTERM / SIGINT: first a drain of `drainMs` (MIXDESK_DRAIN_MS)
 * during which /readyz answers 503 'shutting down' while everything else is still served, so a
 * load balancer that polls /readyz stops sending new connections here before the open ones are
 * closed; then a clean close (pending writes flushed) and exit 0. A second signal during the
 * drain skips the rest of it.
 */
import type { RunningServer } from './server.ts';

export interface ShutdownOptions {
  /** Time between the signal and the close (default 0: close at once). */
  drainMs?: number;
  /** Where the one line about the drain goes (default stdout). */
  log?: (line: string) => void;
  /** Name in the error line should the close fail. */
  name: string;
}

export function shutDownOnSignals(running: RunningServer, options: ShutdownOptions): void {
  const drainMs = options.drainMs ?? 0;
  const log = options.log ?? ((line: string) => console.log(line));
  let closing = false;
  let skipDrain: (() => void) | null = null;
  const close = () => {
    closing = true;
    running.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(`${options.name}: could not close cleanly:`, error);
        process.exit(1);
      },
    );
  };
  const onSignal = () => {
    if (skipDrain) return skipDrain();
    if (closing) return;
    running.health.beginShutdown();
    if (drainMs <= 0) return close();
    log(`${options.name}: draining for ${drainMs} ms (/readyz answers 503), then closing`);
    const timer = setTimeout(() => {
      skipDrain = null;
      close();
    }, drainMs);
    skipDrain = () => {
      clearTimeout(timer);
      skipDrain = null;
      close();
    };
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}

/** MIXDESK_DRAIN_MS: a whole number of ms from 0 to 10 minutes; throws a one-line message otherwise. */
export function parseDrainMs(value: string | undefined): number {
  if (value === undefined || value === '') return 0;
  const ms = Number(value);
  if (!Number.isInteger(ms) || ms < 0 || ms > 600_000) {
    throw new Error(`MIXDESK_DRAIN_MS must be a whole number of milliseconds from 0 to 600000, got '${value}'`);
  }
  return ms;
}

/**
 * HealthProbe: one dependency of a server process (its document store, its fan-out) asked
 * whether it answers, for GET /healthz.
 *
 * Every probe is bounded: `boundedProbe` gives up after `timeoutMs` (an unreachable host must
 * not hold /healthz open), and while a check that timed out is still pending it starts no other
 * one (a database that hangs is not handed one more waiting query per health request); it
 * reports the timeout again instead.
 */
export interface ProbeResult {
  /** What is being probed, as /healthz names it ('sqlite', 'postgres', 'local', 'redis', ...). */
  kind: string;
  ok: boolean;
  /** Round trip of the check; absent when nothing was asked (an in-process dependency). */
  latencyMs?: number;
  /** Why not ok (never a URL or a password). */
  error?: string;
}

export interface HealthProbe {
  readonly kind: string;
  check(): Promise<ProbeResult>;
}

/** A probe of something in this process that has nothing to ask (the in-memory fan-out, a store passed in). */
export function alwaysOkProbe(kind: string): HealthProbe {
  return { kind, check: () => Promise.resolve({ kind, ok: true }) };
}

/** Error messages in /healthz are short and single-line. */
const MAX_ERROR_CHARS = 200;

export function errorText(error: unknown): string {
  const text = (error instanceof Error && (error.message || (error as NodeJS.ErrnoException).code)) || String(error);
  return text.replace(/\s+/g, ' ').slice(0, MAX_ERROR_CHARS);
}

/**
 * A probe from `ask` (resolves once the dependency answered, rejects when it failed): timed,
 * bounded by `timeoutMs`, never two asks outstanding at once.
 */
export function boundedProbe(kind: string, ask: () => Promise<unknown>, timeoutMs: number): HealthProbe {
  let outstanding: Promise<unknown> | null = null;
  return {
    kind,
    async check() {
      if (outstanding) return { kind, ok: false, error: `the previous check is still waiting (over ${timeoutMs} ms)` };
      const started = performance.now();
      const asked = ask();
      outstanding = asked;
      const settle = () => {
        if (outstanding === asked) outstanding = null;
      };
      asked.then(settle, settle);
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          asked,
          new Promise((_, fail) => {
            timer = setTimeout(() => fail(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
          }),
        ]);
        return { kind, ok: true, latencyMs: roundMs(performance.now() - started) };
      } catch (error) {
        return { kind, ok: false, latencyMs: roundMs(performance.now() - started), error: errorText(error) };
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

export const roundMs = (ms: number): number => Math.round(ms * 100) / 100;

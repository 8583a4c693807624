/**
 * ServerHealth: what GET /healthz and GET /readyz answer.
 *
 * /healthz: is this process and what it depends on working? The document store and the fan-out
 * are probed (health-probe.ts: bounded, about a second at most); 200 when all answer, 503 when
 * the database or Redis does not. The result is kept for `cacheMs` and concurrent requests share
 * one check, so a flood of /healthz asks the database at most once per `cacheMs`; the answer
 * stays cheap for load balancers and for bench:hostile, which measures its latency.
 *
 * /readyz: may a load balancer send this process new traffic? Only local facts, no round trip:
 * started (store open, schema migrated: both happen before the server listens), the Redis
 * reader connected and caught up when Redis is configured, and not shutting down (SIGTERM
 * drain). A database that is down is /healthz's business, not /readyz's: every process shares
 * it, and taking them all out of the balancer would not help the clients (they keep their edits
 * and are told "waiting to upload").
 */
import type { HealthProbe, ProbeResult } from './health-probe.ts';

export interface HealthReport {
  ok: boolean;
  uptimeSeconds: number;
  store: ProbeResult;
  fanout: ProbeResult & { subscribed?: boolean };
}

export interface Readiness {
  ready: boolean;
  /** Why not ready; absent when ready. */
  reason?: string;
}

export interface ServerHealthOptions {
  store: HealthProbe;
  fanout: HealthProbe;
  /** For readiness: false while the Redis reader is disconnected or catching up; absent without Redis. */
  fanoutSubscribed?: () => boolean;
  startedAt: number;
  /** How long a /healthz result is reused (default 1000 ms). */
  cacheMs?: number;
  now?: () => number;
}

export const HEALTH_CACHE_MS = 1000;

export class ServerHealth {
  private cached: { at: number; report: Omit<HealthReport, 'uptimeSeconds'> } | null = null;
  private inFlight: Promise<Omit<HealthReport, 'uptimeSeconds'>> | null = null;
  private shuttingDown = false;
  private readonly now: () => number;
  private readonly cacheMs: number;

  constructor(private readonly options: ServerHealthOptions) {
    this.now = options.now ?? Date.now;
    this.cacheMs = options.cacheMs ?? HEALTH_CACHE_MS;
  }

  /** From now on /readyz answers 503 'shutting down' (the server keeps serving until it closes). */
  beginShutdown(): void {
    this.shuttingDown = true;
  }

  get isShuttingDown(): boolean {
    return this.shuttingDown;
  }

  async report(): Promise<HealthReport> {
    const uptimeSeconds = Math.round((this.now() - this.options.startedAt) / 1000);
    const cached = this.cached;
    if (cached && this.now() - cached.at < this.cacheMs) return { ...cached.report, uptimeSeconds };
    this.inFlight ??= this.probe().finally(() => (this.inFlight = null));
    return { ...(await this.inFlight), uptimeSeconds };
  }

  readiness(): Readiness {
    if (this.shuttingDown) return { ready: false, reason: 'shutting down' };
    const subscribed = this.options.fanoutSubscribed;
    if (subscribed && !subscribed()) return { ready: false, reason: 'redis: not subscribed (reconnecting)' };
    return { ready: true };
  }

  private async probe(): Promise<Omit<HealthReport, 'uptimeSeconds'>> {
    const [store, fanoutResult] = await Promise.all([this.options.store.check(), this.options.fanout.check()]);
    const subscribed = this.options.fanoutSubscribed?.();
    const fanout = subscribed === undefined ? fanoutResult : { ...fanoutResult, subscribed };
    const report = { ok: store.ok && fanout.ok, store, fanout };
    this.cached = { at: this.now(), report };
    return report;
  }
}

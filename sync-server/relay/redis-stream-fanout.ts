/**
 * RedisStreamFanout: the Fanout of several relay processes that share one Redis (issue 16,
 * MIXDESK_REDIS_URL). Streams, not pub/sub: pub/sub drops whatever is sent while a process is
 * disconnected, a stream keeps it, and each process reads on from the last id it applied.
 *
 * Layout, per document:
 *   mixdesk:doc:<id>       accepted Yjs updates; XADD MAXLEN ~ maxLen (1000): at the bench's
 *                          5 updates/s that is over 3 minutes of history for a reader that lost
 *                          its connection, at typically 0.1-2 KB an entry well under 2 MB a document.
 *   mixdesk:presence:<id>  awareness batches; MAXLEN ~ presenceMaxLen (100) and a TTL
 *                          (presenceTtlMs, 60 s): presence is re-sent every few seconds by every
 *                          client, so old entries are worthless and an idle document's presence
 *                          disappears with its stream.
 *   mixdesk:control        control messages every process acts on (ControlChannel: closing the
 *                          sockets of revoked access); MAXLEN ~ 1000, read by every process always.
 *                          One that Redis did not take is sent again until it lands (retryControl).
 * Both streams get an idle expiry (update streams after streamTtlMs, 1 h), so documents nobody
 * writes any more do not stay in Redis. Every entry: `p` origin process id, `c` origin
 * connection id, `d` the payload bytes (Buffers both ways, binary intact).
 *
 * Delivery: publish() hands the message to this process's listeners at once (as InProcessFanout
 * does: local clients do not wait for a Redis round trip) and XADDs it; the reader skips entries
 * whose `p` is this process, so each process applies exactly the messages of other processes.
 * One dedicated connection per process blocks in XREAD over all subscribed streams (COUNT
 * readCount) from the last id applied per stream; a new subscription unblocks it at once
 * (CLIENT UNBLOCK) so it is read from its start without waiting for the BLOCK timeout.
 *
 * Cost under load (issue 16, bench:sync at 500 clients over 3 processes): what a process reads
 * is applied in slices of at most APPLY_SLICE_MS, with the event loop free in between. One
 * read can return thousands of entries (COUNT is per stream, and a process that fell behind by
 * a second has a second of every other process's updates waiting); handed to the listeners in
 * one go, such a reply held the loop for 0.3-3 s, and meanwhile this process's own clients'
 * updates, its PostgreSQL commits and its XADD replies all waited: the batch after that was
 * larger still. Publishes made in one turn of the event loop go to Redis as one pipeline (one
 * write, not one per update), and a stream's expiry is renewed at most every tenth of its TTL,
 * not with every entry (half of the commands).
 *
 * Gaps: `onGap(docId)` says this process may have missed updates of the document, and the relay
 * repairs it from the durable store (sync-server/server.ts: Relay.repair applies the stored log to
 * the loaded copy). Reported when:
 *   - after a reconnect, Redis is a different server (run_id) and the last entry applied is not
 *     in its stream (a restart without persistence lost it), or the stream is gone;
 *   - Redis trimmed entries after the last one applied (XINFO: the stream's first entry is newer
 *     than the last one applied; checked after
 *     a reconnect and whenever a read came back full, the sign of a reader falling behind);
 *   - another process could not publish (payload over maxPayloadBytes, or Redis unreachable past
 *     maxPendingPublishes or the client's retries): it adds a gap marker entry (`g`) instead.
 * Presence has no gaps: the next awareness renewal restores it.
 */
import { Redis } from 'ioredis';
import type { ControlChannel } from './control-channel.ts';
import type { Fanout, FanoutKind, FanoutMessage } from './fanout.ts';

export interface RedisStreamFanoutOptions {
  /** redis://[user:password@]host:port[/db] */
  url: string;
  /** Id of this process in the entries it writes; default pid + start time. */
  processId?: string;
  /** Approximate length bound of a document's update stream (default 1000). */
  maxLen?: number;
  /** Approximate length bound of a document's presence stream (default 100). */
  presenceMaxLen?: number;
  /** Presence stream TTL, renewed by every presence entry (default 60 s). */
  presenceTtlMs?: number;
  /** Update stream TTL, renewed by every update (default 1 h). */
  streamTtlMs?: number;
  /** Larger payloads are not copied into Redis; a gap marker is, so others repair (default 1 MiB). */
  maxPayloadBytes?: number;
  /** Publishes waiting for Redis beyond this are dropped and reported as gaps (default 10,000). */
  maxPendingPublishes?: number;
  /** Entries per XREAD (default 500). */
  readCount?: number;
  /** XREAD BLOCK timeout (default 1000 ms); new subscriptions do not wait for it. */
  blockMs?: number;
  /** This process may have missed updates of `docId`: repair it from the durable store. */
  onGap?: (docId: string) => void;
  /** Redis trouble worth a log line (the fan-out keeps retrying). */
  onError?: (error: Error) => void;
}

export const UPDATE_STREAM_PREFIX = 'mixdesk:doc:';
export const PRESENCE_STREAM_PREFIX = 'mixdesk:presence:';
/** The one stream of control messages (ControlChannel), read by every process all the time. */
export const CONTROL_STREAM = 'mixdesk:control';
/** Control messages are rare (revokes, sign-outs): a short stream covers any reconnect. */
const CONTROL_MAX_LEN = 1000;
/** Larger control messages are refused (they are a few hundred bytes). */
const CONTROL_MAX_BYTES = 64 * 1024;
/**
 * Control messages that Redis did not take, kept to send again (a revoke must not be lost).
 * Each is a few hundred bytes: 10,000 is a few MB at worst; past it the oldest goes (logged).
 */
const CONTROL_RETRY_MAX = 10_000;
/** How soon a control message that failed while Redis answered is sent again. */
const CONTROL_RETRY_MS = 1000;
const DEFAULTS = {
  maxLen: 1000,
  presenceMaxLen: 100,
  presenceTtlMs: 60_000,
  streamTtlMs: 3_600_000,
  maxPayloadBytes: 1024 * 1024,
  maxPendingPublishes: 10_000,
  readCount: 500,
  blockMs: 1000,
};

type Listener = (message: FanoutMessage) => void;
/** The longest the reader hands entries to listeners before letting other work run (see the header). */
const APPLY_SLICE_MS = 5;
/** A stream's expiry is renewed when its last renewal is older than this share of its TTL. */
const EXPIRY_RENEWAL_SHARE = 0.1;
/** Past this many streams remembered as recently renewed, the stale ones are forgotten. */
const EXPIRY_MEMORY = 4096;

/** One XADD waiting for the next pipeline. */
interface QueuedEntry {
  docId: string;
  kind: StreamKind;
  key: string;
  maxLen: number;
  /** PEXPIRE to send with it, or null when the stream's expiry was renewed recently. */
  ttl: number | null;
  args: (string | Buffer)[];
}
/** See resolveStart(). */
const START_BACKOFF_MS = 5000;
let lastStamp = 0;
/** Wall-clock ms with sub-ms precision, strictly increasing within this process. */
function stamp(): number {
  const now = performance.timeOrigin + performance.now();
  lastStamp = now > lastStamp ? now : lastStamp + 0.001;
  return lastStamp;
}
let instances = 0;

type StreamKind = FanoutKind | 'control';

/** One subscribed stream: where reading goes on from, and what it feeds. */
interface StreamState {
  docId: string;
  kind: StreamKind;
  /**
   * Last id applied, or the stream's last entry when subscribing ('0-0': none); null while that
   * is being asked. Not '0-0' means an entry whose absence after a restart means loss.
   */
  lastId: string | null;
  /** When subscribe() was called: entries published (publisher's clock, `t`) before it are skipped. */
  since: number;
}

interface DocState {
  listeners: Set<Listener>;
  streams: StreamState[];
}

const streamKey = (docId: string, kind: StreamKind): string =>
  kind === 'control' ? CONTROL_STREAM : (kind === 'update' ? UPDATE_STREAM_PREFIX : PRESENCE_STREAM_PREFIX) + docId;

/** Stream ids `ms-seq` compared numerically. */
export function compareStreamIds(a: string, b: string): number {
  const [am = 0n, as = 0n] = a.split('-').map(BigInt);
  const [bm = 0n, bs = 0n] = b.split('-').map(BigInt);
  return am === bm ? (as === bs ? 0 : as < bs ? -1 : 1) : am < bm ? -1 : 1;
}

export class RedisStreamFanout implements Fanout, ControlChannel {
  readonly processId: string;
  private readonly settings: typeof DEFAULTS;
  /** XADD, XINFO, CLIENT UNBLOCK: everything but the blocking read. */
  private readonly commands: Redis;
  /** Only XREAD BLOCK (and CLIENT ID): a blocked connection can do nothing else. */
  private readonly reader: Redis;
  private readonly docs = new Map<string, DocState>();
  private readonly controlListeners = new Set<(message: string) => void>();
  private readonly controlGapListeners = new Set<() => void>();
  /** Subscribed streams by key; the read covers those whose start is known. */
  private readonly streams = new Map<string, StreamState>();
  private readerClientId: number | null = null;
  /** Bumped when the set of streams to read changes; the read in flight knows its own. */
  private generation = 0;
  private readingGeneration = -1;
  private wakeLoop: (() => void) | null = null;
  private pendingPublishes = 0;
  /** Entries published in this turn of the event loop: sent together by flushPublishes(). */
  private queued: QueuedEntry[] = [];
  private flushScheduled = false;
  /** When each stream's expiry was last renewed (ms). */
  private readonly expiryRenewed = new Map<string, number>();
  /** Documents whose publishes were lost: a gap marker goes out once Redis answers again. */
  private readonly unpublished = new Set<string>();
  /** Control entries Redis did not take: sent again until they land (resendControl). */
  private controlRetries: QueuedEntry[] = [];
  private controlRetryTimer: NodeJS.Timeout | null = null;
  private runId: string | null = null;
  /** Set until the first connection and after every disconnect: check what may be lost. */
  private needsResume = true;
  private closed = false;
  private readonly loop: Promise<void>;

  constructor(private readonly options: RedisStreamFanoutOptions) {
    this.settings = { ...DEFAULTS };
    for (const key of Object.keys(DEFAULTS) as (keyof typeof DEFAULTS)[]) {
      const value = options[key];
      if (value !== undefined) {
        if (!Number.isInteger(value) || value <= 0)
          throw new Error(`RedisStreamFanout: ${key} must be a positive integer`);
        this.settings[key] = value;
      }
    }
    // See apply(): a reader that fell behind must get a full read before entries are trimmed.
    this.settings.readCount = Math.min(this.settings.readCount, this.settings.maxLen);
    // Unique per instance, even for two made in one millisecond of one process (tests do).
    this.processId =
      options.processId ?? `${process.pid.toString(36)}.${Date.now().toString(36)}.${(instances++).toString(36)}`;
    const retryStrategy = (times: number) => Math.min(50 * times, 1000);
    // RESP2: XREAD answers [[key, entries], ...] and XINFO a flat [name, value, ...] list on
    // every Redis version (ioredis 6 speaks RESP3 by default, which flattens XREAD's map).
    const protocol = 2;
    // Named, so CLIENT LIST shows which process each connection belongs to.
    this.commands = new Redis(options.url, {
      retryStrategy,
      protocol,
      maxRetriesPerRequest: 20,
      connectionName: `mixdesk-fanout:${this.processId}`,
    });
    // The reader's commands fail at once when the connection drops (no offline queue, no
    // resend): the loop then waits for 'ready' and checks what it may have missed first.
    this.reader = new Redis(options.url, {
      retryStrategy,
      protocol,
      maxRetriesPerRequest: 0,
      enableOfflineQueue: false,
      autoResendUnfulfilledCommands: false,
      connectionName: `mixdesk-fanout-reader:${this.processId}`,
    });
    const report = (error: Error) => this.options.onError?.(error);
    this.commands.on('error', report);
    this.reader.on('error', report);
    this.reader.on('close', () => {
      this.readerClientId = null;
      this.needsResume = true;
    });
    this.reader.on('ready', () => this.wakeLoop?.());
    this.commands.on('ready', () => {
      this.flushGapMarkers();
      this.resendControl();
    });
    // The control stream is read for the process's whole life, from where it stands now.
    const control: StreamState = { docId: '', kind: 'control', lastId: null, since: stamp() };
    this.streams.set(CONTROL_STREAM, control);
    this.resolveStart(control);
    this.loop = this.readLoop();
  }

  publish(docId: string, message: FanoutMessage): void {
    const doc = this.docs.get(docId);
    if (doc) for (const listener of [...doc.listeners]) listener(message);
    if (this.closed) return;
    if (message.payload.byteLength > this.settings.maxPayloadBytes) {
      if (message.kind === 'update') this.addEntry(docId, 'update', { g: '1' });
      return;
    }
    this.addEntry(docId, message.kind, { c: message.origin, d: Buffer.from(message.payload) });
  }

  subscribe(docId: string, listener: Listener): () => void {
    let doc = this.docs.get(docId);
    if (!doc) {
      doc = { listeners: new Set(), streams: [] };
      this.docs.set(docId, doc);
      for (const kind of ['update', 'awareness'] as const) {
        const state: StreamState = { docId, kind, lastId: null, since: stamp() };
        doc.streams.push(state);
        this.streams.set(streamKey(docId, kind), state);
        this.resolveStart(state);
      }
    }
    doc.listeners.add(listener);
    const current = doc;
    return () => {
      current.listeners.delete(listener);
      if (current.listeners.size > 0 || this.docs.get(docId) !== current) return;
      this.docs.delete(docId);
      for (const state of current.streams) this.streams.delete(streamKey(state.docId, state.kind));
      this.generation++;
    };
  }

  publishControl(message: string): void {
    if (this.closed) return;
    if (Buffer.byteLength(message) > CONTROL_MAX_BYTES) {
      this.options.onError?.(
        new Error(`control message of ${Buffer.byteLength(message)} bytes not sent (limit 64 KiB)`),
      );
      return;
    }
    this.addEntry('', 'control', { d: message });
  }

  onControl(listener: (message: string) => void): () => void {
    this.controlListeners.add(listener);
    return () => this.controlListeners.delete(listener);
  }

  /**
   * Called after this process reconnected to a Redis that was restarted: the control messages
   * it had not read yet (a revoke published just before) went with the old server.
   */
  onControlGap(listener: () => void): () => void {
    this.controlGapListeners.add(listener);
    return () => this.controlGapListeners.delete(listener);
  }

  /** Publishes handed to Redis and not yet answered. */
  pendingCount(): number {
    return this.pendingPublishes;
  }

  /**
   * For /readyz: the reader is connected and has checked what it may have missed since its last
   * connection, so this process hears the other processes' updates.
   */
  isSubscribed(): boolean {
    return !this.closed && this.reader.status === 'ready' && !this.needsResume;
  }

  /**
   * For /healthz: a PING on the command connection (the caller bounds how long it waits:
   * health-probe.ts). Rejects at once while disconnected, rather than waiting in the offline queue.
   */
  async ping(): Promise<void> {
    if (this.closed) throw new Error('closed');
    if (this.commands.status !== 'ready') throw new Error(`not connected (${this.commands.status})`);
    await this.commands.ping();
  }

  /** Quits both connections; publishes already sent to a connected Redis are answered first. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.controlRetryTimer) clearTimeout(this.controlRetryTimer);
    this.flushPublishes(); // what was published before close() still goes out
    this.wakeLoop?.();
    this.reader.disconnect();
    await this.loop;
    // QUIT waits for Redis, so only while connected (queued, it would wait out every retry).
    if (this.commands.status === 'ready') await this.commands.quit().catch(() => this.commands.disconnect());
    else this.commands.disconnect();
  }

  private addEntry(docId: string, kind: StreamKind, fields: Record<string, string | Buffer>): void {
    const key = streamKey(docId, kind);
    const maxLen =
      kind === 'update' ? this.settings.maxLen : kind === 'control' ? CONTROL_MAX_LEN : this.settings.presenceMaxLen;
    const args: (string | Buffer)[] = ['p', this.processId, 't', String(stamp())];
    for (const [name, value] of Object.entries(fields)) args.push(name, value);
    const entry: QueuedEntry = { docId, kind, key, maxLen, ttl: null, args };
    if (this.pendingPublishes >= this.settings.maxPendingPublishes) {
      if (kind === 'update') this.unpublished.add(docId);
      // A lost update is repaired from the store; a lost control message has no other way.
      if (kind === 'control') this.retryControl(entry);
      return;
    }
    entry.ttl = this.expiryDue(key, kind);
    this.enqueue(entry);
  }

  private enqueue(entry: QueuedEntry): void {
    this.pendingPublishes++;
    this.queued.push(entry);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      // After this turn's I/O callbacks and promise reactions: the commits that resolved
      // together publish together.
      setImmediate(() => this.flushPublishes());
    }
  }

  /** The TTL to set on `key` with this entry, or null when it was renewed recently enough. */
  private expiryDue(key: string, kind: StreamKind): number | null {
    const ttl = kind === 'awareness' ? this.settings.presenceTtlMs : this.settings.streamTtlMs;
    const now = Date.now();
    const renewed = this.expiryRenewed.get(key);
    if (renewed !== undefined && now - renewed < ttl * EXPIRY_RENEWAL_SHARE) return null;
    if (this.expiryRenewed.size >= EXPIRY_MEMORY) {
      // Forgetting a stream only renews its expiry once more than needed.
      const shortest = Math.min(this.settings.presenceTtlMs, this.settings.streamTtlMs) * EXPIRY_RENEWAL_SHARE;
      for (const [known, at] of this.expiryRenewed) if (now - at >= shortest) this.expiryRenewed.delete(known);
    }
    this.expiryRenewed.set(key, now);
    return ttl;
  }

  /**
   * Sends the queued entries as one pipeline, in order. No transaction: each TTL only has to
   * follow its entry, not atomically. A failed entry marks its document as unpublished (a gap
   * marker follows once Redis answers again) and forgets its stream's renewal (the next entry
   * sets the TTL again).
   */
  private flushPublishes(): void {
    this.flushScheduled = false;
    const batch = this.queued;
    this.queued = [];
    if (batch.length === 0) return;
    const pipeline = this.commands.pipeline();
    for (const entry of batch) {
      pipeline.xadd(entry.key, 'MAXLEN', '~', entry.maxLen, '*', ...entry.args);
      if (entry.ttl !== null) pipeline.pexpire(entry.key, entry.ttl);
    }
    const settle = (results: [Error | null, unknown][] | null, failure: unknown) => {
      let at = 0;
      for (const entry of batch) {
        const own = entry.ttl === null ? 1 : 2;
        const error = failure ?? results?.slice(at, at + own).find(([e]) => e)?.[0] ?? null;
        at += own;
        if (error) {
          if (entry.kind === 'update') this.unpublished.add(entry.docId);
          if (entry.kind === 'control') this.retryControl(entry);
          this.expiryRenewed.delete(entry.key);
          this.options.onError?.(error instanceof Error ? error : new Error(String(error)));
        }
      }
      this.pendingPublishes -= batch.length;
    };
    pipeline.exec().then(
      (results) => settle(results, null),
      (error: unknown) => settle(null, error),
    );
  }

  /**
   * Keeps a control entry Redis did not take (unreachable past the client's retries, refused,
   * or too many publishes pending) to send again: on the next reconnect, or after
   * CONTROL_RETRY_MS if the connection is up. Unlike an update, whose loss the other processes
   * repair from the store, a revoke nobody hears leaves the friend's sockets open for good
   * (the other processes saw no Redis restart, so they have no reason to re-check).
   * The entry keeps its stamp (`t`): it was decided then.
   */
  private retryControl(entry: QueuedEntry): void {
    if (this.closed) return;
    if (this.controlRetries.length >= CONTROL_RETRY_MAX) {
      this.controlRetries.shift();
      this.options.onError?.(new Error(`over ${CONTROL_RETRY_MAX} control messages unsent: the oldest dropped`));
    }
    this.controlRetries.push({ ...entry, ttl: null });
    this.scheduleControlRetry();
  }

  private scheduleControlRetry(): void {
    this.controlRetryTimer ??= setTimeout(() => {
      this.controlRetryTimer = null;
      if (this.commands.status === 'ready') this.resendControl();
    }, CONTROL_RETRY_MS).unref();
  }

  /** Sends the kept control entries again, in their order (each that fails is kept again). */
  private resendControl(): void {
    const retries = this.controlRetries;
    if (retries.length === 0 || this.closed) return;
    this.controlRetries = [];
    for (const entry of retries) {
      if (this.pendingPublishes >= this.settings.maxPendingPublishes) this.controlRetries.push(entry);
      else this.enqueue(entry);
    }
    if (this.controlRetries.length > 0) this.scheduleControlRetry();
  }

  /** Tells the other processes that updates of these documents were lost on the way to Redis. */
  private flushGapMarkers(): void {
    const docs = [...this.unpublished];
    this.unpublished.clear();
    for (const docId of docs) this.addEntry(docId, 'update', { g: '1' });
  }

  /**
   * A new subscription hears the messages published from now on. Where the stream stood "now"
   * cannot be asked of Redis exactly: a publish from another connection right after subscribe()
   * may reach Redis before this question does. So reading starts START_BACKOFF_MS (in Redis'
   * own id time) before the stream's last entry, and entries are kept by their publisher's
   * clock (`t` >= since): exact within one machine; across machines within their clock skew
   * (NTP: milliseconds), and a document subscribes before it reads its store anyway.
   */
  private resolveStart(state: StreamState): void {
    const key = streamKey(state.docId, state.kind);
    const settle = (id: string) => {
      if (this.streams.get(key) !== state) return;
      state.lastId = id;
      this.generation++;
      this.unblockReader();
      this.wakeLoop?.();
    };
    this.commands.xrevrange(key, '+', '-', 'COUNT', 1).then(
      (entries) => {
        const last = entries[0]?.[0];
        const ms = last ? Number(last.split('-')[0]) - START_BACKOFF_MS : 0;
        settle(ms > 0 ? `${ms}-0` : '0-0');
      },
      (error: unknown) => {
        this.options.onError?.(error instanceof Error ? error : new Error(String(error)));
        // Redis is unreachable: nothing can be published meanwhile either, so the beginning
        // of whatever the stream holds once it answers is as good a start as any.
        settle('0-0');
      },
    );
  }

  /** Makes a read that does not cover the current streams return now (it is re-issued with them). */
  private unblockReader(tries = 0): void {
    if (this.closed || this.readingGeneration === this.generation) return;
    const id = this.readerClientId;
    if (id === null) return;
    this.commands.client('UNBLOCK', id).then(
      (unblocked) => {
        // 0: the read was sent but not yet blocking; try again shortly (bounded).
        if (unblocked === 0 && tries < 20) setTimeout(() => this.unblockReader(tries + 1), 5);
      },
      () => {},
    );
  }

  private waitForWake(): Promise<void> {
    return new Promise((wake) => {
      this.wakeLoop = () => {
        this.wakeLoop = null;
        wake();
      };
    });
  }

  private async readLoop(): Promise<void> {
    while (!this.closed) {
      if (this.reader.status !== 'ready') {
        await this.waitForWake();
        continue;
      }
      try {
        if (this.readerClientId === null) this.readerClientId = Number(await this.reader.client('ID'));
        if (this.needsResume) {
          const restarted = await this.resume();
          this.needsResume = false;
          if (restarted) for (const listener of [...this.controlGapListeners]) this.reportControlGap(listener);
        }
        const reading = [...this.streams].filter(([, state]) => state.lastId !== null);
        this.readingGeneration = this.generation;
        if (reading.length === 0) {
          // Nothing to read: wait for a subscription (or a short while, to re-check).
          await Promise.race([
            this.waitForWake(),
            new Promise((next) => setTimeout(next, this.settings.blockMs).unref()),
          ]);
          continue;
        }
        const reply = (await this.reader.callBuffer(
          'XREAD',
          'COUNT',
          this.settings.readCount,
          'BLOCK',
          this.settings.blockMs,
          'STREAMS',
          ...reading.map(([key]) => key),
          ...reading.map(([, state]) => state.lastId!),
        )) as [Buffer, [Buffer, Buffer[]][]][] | null;
        this.readingGeneration = -1;
        if (reply) await this.apply(reply);
      } catch (error) {
        this.readingGeneration = -1;
        if (this.closed) break;
        if (this.reader.status === 'ready') {
          this.options.onError?.(error instanceof Error ? error : new Error(String(error)));
          await new Promise((next) => setTimeout(next, 100));
        }
      }
    }
  }

  private async apply(reply: [Buffer, [Buffer, Buffer[]][]][]): Promise<void> {
    let sliceStarted = performance.now();
    for (const [keyBytes, entries] of reply) {
      const key = keyBytes.toString();
      const state = this.streams.get(key);
      if (!state || state.lastId === null) continue;
      const before = state.lastId;
      // A full read means this reader is behind, and, as readCount <= maxLen, it is the only way
      // Redis can have trimmed past `before`: check whether it did (before applying, so the
      // listeners hear of the gap in order).
      if (state.kind === 'update' && entries.length >= this.settings.readCount) {
        await this.checkTrimmed(state.docId, before);
      }
      for (const [idBytes, fields] of entries) {
        if (this.closed || this.streams.get(key) !== state) break; // unsubscribed meanwhile
        const id = idBytes.toString();
        // A read issued for an earlier subscription of this document can return entries from
        // before this one started.
        if (compareStreamIds(id, before) <= 0) continue;
        state.lastId = id;
        this.deliver(state, fields);
        if (performance.now() - sliceStarted >= APPLY_SLICE_MS) {
          // Let this process's own clients, commits and replies in (see the header).
          await new Promise((next) => setImmediate(next));
          sliceStarted = performance.now();
        }
      }
    }
  }

  private deliver(state: StreamState, fields: Buffer[]): void {
    let processId = '',
      origin = '',
      payload: Buffer | null = null,
      gap = false,
      publishedAt = Infinity;
    for (let i = 0; i + 1 < fields.length; i += 2) {
      const name = fields[i]!.toString();
      const value = fields[i + 1]!;
      if (name === 'p') processId = value.toString();
      else if (name === 'c') origin = value.toString();
      else if (name === 'd') payload = value;
      else if (name === 'g') gap = true;
      else if (name === 't') publishedAt = Number(value.toString());
    }
    if (processId === this.processId || publishedAt < state.since) return;
    if (state.kind === 'control') {
      if (payload) this.deliverControl(payload.toString());
      return;
    }
    if (gap) {
      this.options.onGap?.(state.docId);
      return;
    }
    if (!payload) return;
    const doc = this.docs.get(state.docId);
    if (!doc) return;
    const message: FanoutMessage = {
      kind: state.kind,
      payload: new Uint8Array(payload), // a copy: the reply buffer is not ours to keep
      origin,
    };
    // One listener's failure must not cost the others, or the rest of the batch, their messages.
    for (const listener of [...doc.listeners]) {
      try {
        listener(message);
      } catch (error) {
        this.options.onError?.(error instanceof Error ? error : new Error(String(error)));
      }
    }
  }

  private deliverControl(message: string): void {
    for (const listener of [...this.controlListeners]) {
      try {
        listener(message);
      } catch (error) {
        this.options.onError?.(error instanceof Error ? error : new Error(String(error)));
      }
    }
  }

  private reportControlGap(listener: () => void): void {
    try {
      listener();
    } catch (error) {
      this.options.onError?.(error instanceof Error ? error : new Error(String(error)));
    }
  }

  /**
   * After a reconnect: was Redis restarted, and did it lose or trim what this process had not
   * read? Resolves true when it was restarted.
   */
  private async resume(): Promise<boolean> {
    const info = await this.reader.info('server');
    const runId = /run_id:(\w+)/.exec(info)?.[1] ?? null;
    const restarted = this.runId !== null && runId !== this.runId;
    this.runId = runId;
    for (const [key, state] of [...this.streams]) {
      if (state.kind !== 'update' || state.lastId === null) continue;
      const exists = (await this.reader.exists(key)) === 1;
      if (!exists) {
        if (state.lastId !== '0-0') {
          // Gone (lost in a restart, or expired while idle): read whatever comes from the start.
          state.lastId = '0-0';
          this.options.onGap?.(state.docId);
        }
        continue;
      }
      if (restarted) {
        const kept = state.lastId !== '0-0' && (await this.reader.xrange(key, state.lastId, state.lastId)).length === 1;
        if (!kept) {
          state.lastId = '0-0';
          this.options.onGap?.(state.docId);
          continue;
        }
      }
      await this.checkTrimmed(state.docId, state.lastId, this.reader);
    }
    return restarted;
  }

  /**
   * Reports a gap when Redis trimmed entries this process had not read yet: trimming removes the
   * oldest entries, so while the last entry applied is still in the stream nothing after it is
   * lost. Once it is older than the first entry, something after it may have gone too (reported;
   * a repair that finds nothing missing is harmless). From the start ('0-0'): lost when more
   * entries were ever added than the stream holds.
   */
  private async checkTrimmed(docId: string, lastId: string, via: Redis = this.commands): Promise<void> {
    const info = (await via.call('XINFO', 'STREAM', streamKey(docId, 'update')).catch(() => null)) as unknown[] | null;
    if (!info) return;
    const field = (name: string): unknown => {
      const at = info.indexOf(name);
      return at >= 0 ? info[at + 1] : undefined;
    };
    const first = field('first-entry');
    const firstId = Array.isArray(first) ? String(first[0]) : null;
    if (firstId === null || compareStreamIds(firstId, lastId) <= 0) return;
    const trimmedSinceStart = Number(field('entries-added')) > Number(field('length'));
    if (lastId !== '0-0' || trimmedSinceStart) this.options.onGap?.(docId);
  }

  /** Resolves once Redis answered the reader (start-up checks it); rejects after `timeoutMs`. */
  async ready(timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.runId === null) {
      if (this.closed) throw new Error('RedisStreamFanout: closed');
      if (Date.now() > deadline) {
        throw new Error(`Redis at ${redactUrl(this.options.url)} did not answer within ${timeoutMs} ms`);
      }
      await new Promise((next) => setTimeout(next, 10));
    }
  }
}

/** The URL without its password, for messages. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparsable Redis URL)';
  }
}

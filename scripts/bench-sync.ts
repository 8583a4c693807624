/**
 * `npm run bench:sync`: N clients over M documents on loopback, each sending one small Yjs update
 * at a fixed rate, against the Mixdesk relay and against @y/websocket-server 0.1.1 in the same run.
 *
 *   npm run bench:sync -- --clients 500 --docs 100 --rate 5 --duration 20 --runs 3 --loaders 2 [--nice -10]
 *
 * Measures send-to-receipt latency at the other clients of the document (p50, p99), delivered
 * updates per second, relay CPU (from /proc/<pid>/stat) and peak RSS (/proc/<pid>/status), and
 * RSS growth per loaded document (its connections included). Each relay runs as its own child
 * process; the load comes from `--loaders` child processes speaking raw ws + y-protocols, so
 * the load generator stays cheap. Our relay runs compiled, as `mixdesk serve` does
 * (scripts/bench/compiled-relay.ts). Prints one table of medians over `--runs` runs, with ratios.
 * On a shared machine other work shows in both relays' latency tail: `--nice -10` (root) gives
 * the relay and load processes of both runs the same raised priority.
 *
 * Scale-out (issue 16): `--processes 1,3 --store sqlite,postgres` runs our server as N processes on
 * SQLite (one process) or PostgreSQL, with Redis between processes, 1,500 clients over 300
 * documents unless given, every configuration side by side in one run; it prints per-process
 * CPU and RSS and PostgreSQL's and Redis's CPU (scripts/bench/scale-deployment.ts).
 * `--route doc|spread` (default doc): all clients of a document on one process, hash(doc) % N,
 * as behind the recommended proxy, or spread over every process (scripts/bench/doc-route.ts).
 *
 * Roles (argv): no role = orchestrator; `--role load` = one load-generator process (IPC child).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { setPriority, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { compiledRelayChild } from './bench/compiled-relay.ts';
import { processFor, type Route } from './bench/doc-route.ts';
import { cpuTicks, startScaleDeployment, type StoreKind } from './bench/scale-deployment.ts';
import { loadAverage, markdownTable } from './bench/table.ts';
import { median, medianInterval } from './bench/stats.ts';

interface Options {
  clients: number;
  docs: number;
  rate: number;
  duration: number;
  warmup: number;
  runs: number;
  loaders: number;
  nice: number;
  /** `--only mixdesk` (or reference) runs one relay: for profiling, no ratios. */
  only: string;
  presenceClients: number;
  presenceDocs: number;
}

function parseOptions(argv: string[]): Options & Record<string, string | number> {
  const options: Record<string, string | number> = {
    clients: 500,
    docs: 100,
    rate: 5,
    duration: 20,
    warmup: 3,
    runs: 3,
    loaders: 2,
    nice: 0,
    only: '',
    presenceClients: 500,
    presenceDocs: 100,
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    if (!flag.startsWith('--')) continue;
    const key = flag.slice(2).replace(/-([a-z])/g, (_, c: string) => c.toUpperCase()); // --presence-clients -> presenceClients
    const value = argv[++i];
    if (value === undefined) throw new Error(`bench-sync: ${flag} needs a value`);
    options[key] = /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value;
  }
  return options as Options & Record<string, string | number>;
}

// ---------------------------------------------------------------- load generator (child) ----

interface LoadReport {
  sent: number;
  sentInWindow: number;
  received: number;
  expected: number;
  latenciesUs: number[];
  errors: string[];
}

const MARK = Buffer.from('@@');
const VALUE = /^(\d+):([01]):(\d+);/;

function frame(write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder();
  write(encoder);
  return encoding.toUint8Array(encoder);
}

async function runLoader(options: Record<string, string | number>): Promise<void> {
  const send = (message: unknown) => process.send?.(message);
  // One URL per server process (comma-separated): each client goes to the process its route
  // names (scripts/bench/doc-route.ts).
  const urls = String(options.url).split(',');
  const route = (options.route ?? 'spread') as Route;
  const from = Number(options.from);
  const to = Number(options.to);
  const docs = Number(options.docs);
  const rate = Number(options.rate);
  const totalClients = Number(options.clients);
  // 'presence': each client publishes its awareness state (name, colour, selection) instead of editing.
  const presence = options.mode === 'presence';
  const errors: string[] = [];
  const latenciesUs: number[] = [];
  let measuring = false;
  let sending = false;
  let sent = 0;
  let sentInWindow = 0;
  let received = 0;
  let expected = 0;
  const peersOf = (docIndex: number) => Math.floor(totalClients / docs) + (docIndex < totalClients % docs ? 1 : 0) - 1;

  interface Client {
    ws: WebSocket;
    doc: Y.Doc;
    docIndex: number;
    synced: boolean;
    next: number;
    clock: number;
  }
  const clients: Client[] = [];
  let syncedCount = 0;
  for (let k = from; k < to; k++) {
    const docIndex = k % docs;
    const doc = new Y.Doc();
    const docId = `bench-${docIndex}`;
    const ws = new WebSocket(`${urls[processFor(route, docId, k, docs, urls.length)]}/${docId}`);
    const ownId = String(doc.clientID);
    const client: Client = { ws, doc, docIndex, synced: false, next: 0, clock: 0 };
    clients.push(client);
    doc.on('update', (update: Uint8Array) => {
      if (ws.readyState === ws.OPEN)
        ws.send(
          frame((e) => {
            encoding.writeVarUint(e, 0);
            syncProtocol.writeUpdate(e, update);
          }),
        );
    });
    ws.binaryType = 'nodebuffer';
    ws.on('open', () =>
      ws.send(
        frame((e) => {
          encoding.writeVarUint(e, 0);
          syncProtocol.writeSyncStep1(e, doc);
        }),
      ),
    );
    ws.on('error', (error) => errors.push(`client ${k}: ${error.message}`));
    ws.on('close', (code) => {
      if (sending || measuring) errors.push(`client ${k}: closed with ${code} during the run`);
    });
    ws.on('message', (data: Buffer) => {
      const decoder = decoding.createDecoder(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
      const kind = decoding.readVarUint(decoder);
      if (kind === 1 && presence) {
        // Every state in the frame carries its `@@<sentAtNs>:<inWindow>:<clientID>;` selection.
        const now = process.hrtime.bigint();
        for (let at = data.indexOf(MARK); at >= 0; at = data.indexOf(MARK, at + 1)) {
          const found = VALUE.exec(data.toString('latin1', at + 2, at + 60));
          if (!found || found[3] === ownId) continue;
          received++;
          if (found[2] === '1') latenciesUs.push(Number(now - BigInt(found[1]!)) / 1000);
        }
        return;
      }
      if (kind !== 0) return; // awareness in update mode, and others: not measured
      const step = decoding.readVarUint(decoder);
      const payload = decoding.readVarUint8Array(decoder);
      if (step === 0) {
        ws.send(
          frame((e) => {
            encoding.writeVarUint(e, 0);
            syncProtocol.writeSyncStep2(e, doc, payload);
          }),
        );
      } else if (step === 1) {
        if (!client.synced) {
          client.synced = true;
          syncedCount++;
          if (syncedCount === to - from) send({ type: 'connected' });
        }
      } else {
        // The value written by a sender is `@@<sentAtNs>:<inWindow>:<clientID>;`: found by a byte
        // search instead of decoding the update, so receiving stays cheap for the load generator.
        const now = process.hrtime.bigint();
        let found: RegExpExecArray | null = null;
        for (let at = data.indexOf(MARK); at >= 0 && !found; at = data.indexOf(MARK, at + 1)) {
          found = VALUE.exec(data.toString('latin1', at + 2, at + 60));
        }
        if (!found) return;
        const [, sentAt, inWindow, sender] = found;
        if (sender === ownId) return; // own echo (the reference server sends updates back to their sender)
        received++;
        if (inWindow === '1') latenciesUs.push(Number(now - BigInt(sentAt!)) / 1000);
      }
    });
  }

  process.on('message', (message: { type: string }) => {
    if (message.type === 'start') {
      sending = true;
      const period = 1000 / rate;
      const start = performance.now();
      for (const client of clients) client.next = start + Math.random() * period;
      const tick = setInterval(() => {
        const now = performance.now();
        for (const client of clients) {
          if (!sending || client.next > now) continue;
          client.next += period;
          if (client.next < now) client.next = now + period; // never burst to catch up
          sent++;
          expected += peersOf(client.docIndex);
          if (measuring) sentInWindow++;
          const mark = `@@${process.hrtime.bigint()}:${measuring ? 1 : 0}:${client.doc.clientID};`;
          if (!presence) {
            client.doc.getMap('bench').set(String(client.doc.clientID), mark);
            continue;
          }
          const state = JSON.stringify({
            user: { name: `Engineer ${client.doc.clientID % 1000}`, colour: '#ff9933' },
            selection: mark,
          });
          client.ws.send(
            frame((e) => {
              encoding.writeVarUint(e, 1);
              encoding.writeVarUint8Array(
                e,
                frame((inner) => {
                  encoding.writeVarUint(inner, 1);
                  encoding.writeVarUint(inner, client.doc.clientID);
                  encoding.writeVarUint(inner, ++client.clock);
                  encoding.writeVarString(inner, state);
                }),
              );
            }),
          );
        }
      }, 2);
      process.on('message', (m: { type: string }) => {
        if (m.type === 'measure') measuring = true;
        if (m.type === 'stop') {
          sending = false;
          measuring = false;
          clearInterval(tick);
          setTimeout(() => {
            const report: LoadReport = {
              sent,
              sentInWindow,
              received,
              expected,
              latenciesUs,
              errors: errors.slice(0, 20),
            };
            for (const client of clients) client.ws.terminate();
            // Exit only once the (large) report is written to the IPC channel.
            process.send?.({ type: 'report', report, errorCount: errors.length }, undefined, {}, () => process.exit(0));
          }, 1500);
        }
      });
    }
  });
}

// ---------------------------------------------------------------- orchestrator ----

interface RunResult {
  loaderCpuPercent: number;
  p50: number;
  p99: number;
  deliveredPerSec: number;
  sentPerSec: number;
  cpuPercent: number;
  rssPeakMb: number;
  kbPerDoc: number;
  errors: number;
  missing: number;
  /** Per server process, in the deployment's order. */
  cpuPerProcess: number[];
  rssPeakPerProcessMb: number[];
  /** PostgreSQL's and Redis's CPU (% of one core), where the deployment has them. */
  engineCpu: Record<string, number>;
}

/** The figures of a run that are one number (the table rows of the comparison). */
type Figure = { [K in keyof RunResult]: RunResult[K] extends number ? K : never }[keyof RunResult];

/** What a run measures against: server processes reachable at `urls`, and how to stop them. */
interface Target {
  urls: string[];
  pids: number[];
  engineTicks?: () => Record<string, number>;
  stop(): Promise<void>;
}

const root = fileURLToPath(new URL('..', import.meta.url));
const self = fileURLToPath(import.meta.url);

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });
}

/** setpriority applies to one thread on Linux: renice every thread of the process (writer threads too). */
function reniceProcess(pid: number, nice: number): void {
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      setPriority(Number(tid), nice);
    } catch {
      /* thread ended */
    }
  }
}

function rssKb(pid: number): number {
  return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
}

function waitForOutput(child: ChildProcess, pattern: RegExp): Promise<void> {
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`server did not start: ${out}`)), 20_000);
    const onData = (chunk: Buffer) => {
      out += chunk;
      if (pattern.test(out)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`server exited with ${code}: ${out}`)));
  });
}

/** Stops a relay child: SIGTERM, then SIGKILL after 5 s. */
async function stopChild(child: ChildProcess): Promise<void> {
  child.kill('SIGTERM');
  await Promise.race([new Promise((done) => child.once('exit', done)), sleep(5000)]);
  child.kill('SIGKILL');
}

/** One relay process, ours or the reference, in a data folder of its own. */
async function startRelay(kind: 'mixdesk' | 'reference'): Promise<Target> {
  const dataDir = mkdtempSync(join(tmpdir(), 'mixdesk-bench-'));
  const { child, url } = await spawnRelay(kind, dataDir);
  return {
    urls: [url],
    pids: [child.pid!],
    stop: async () => {
      await stopChild(child);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function spawnRelay(
  kind: 'mixdesk' | 'reference',
  dataDir: string,
): Promise<{ child: ChildProcess; url: string }> {
  const port = await freePort();
  if (kind === 'mixdesk') {
    // Profiling: BENCH_RELAY_NODE_ARGS='--cpu-prof --cpu-prof-dir=prof' (NODE_OPTIONS refuses --cpu-prof);
    // BENCH_REF_NODE_ARGS does the same for the reference.
    const nodeArgs = process.env.BENCH_RELAY_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
    const child = spawn(process.execPath, [...nodeArgs, await compiledRelayChild()], {
      cwd: root,
      env: { ...process.env, MIXDESK_DATA: dataDir, PORT: String(port), RELAY_LOG: 'silent' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    await waitForOutput(child, /READY \d+/);
    child.stderr?.on('data', (d) => process.stderr.write(d));
    return { child, url: `ws://127.0.0.1:${port}/sync` };
  }
  const refArgs = process.env.BENCH_REF_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  const child = spawn(process.execPath, [...refArgs, join(root, 'node_modules/@y/websocket-server/src/server.js')], {
    cwd: root,
    env: { ...process.env, HOST: '127.0.0.1', PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  await waitForOutput(child, /running at/);
  return { child, url: `ws://127.0.0.1:${port}` };
}

const sleep = (ms: number) => new Promise((next) => setTimeout(next, ms));

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function runOnce(
  kind: string,
  start: () => Promise<Target>,
  options: Options,
  mode: 'update' | 'presence' = 'update',
  route: Route = 'spread',
): Promise<RunResult> {
  const target = await start();
  const pids = target.pids;
  if (options.nice !== 0) for (const pid of pids) reniceProcess(pid, options.nice);
  const rssOf = () => pids.map(rssKb);
  const ticksOf = () => pids.map(cpuTicks);
  const loaders: ChildProcess[] = [];
  try {
    await sleep(300);
    const idleRss = rssOf();
    const connected: Promise<void>[] = [];
    const reports: Promise<{ report: LoadReport; errorCount: number }>[] = [];
    const per = Math.ceil(options.clients / options.loaders);
    for (let i = 0; i < options.loaders; i++) {
      const from = i * per;
      const to = Math.min(options.clients, from + per);
      const loader = spawn(
        process.execPath,
        [
          '--import',
          'tsx',
          self,
          '--role',
          'load',
          '--url',
          target.urls.join(','),
          '--from',
          String(from),
          '--to',
          String(to),
          '--docs',
          String(options.docs),
          '--rate',
          String(options.rate),
          '--clients',
          String(options.clients),
          '--mode',
          mode,
          '--route',
          route,
        ],
        { cwd: root, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] },
      );
      loaders.push(loader);
      if (options.nice !== 0) setPriority(loader.pid!, options.nice); // threads started later inherit it
      connected.push(
        new Promise((resolve) =>
          loader.on('message', (m: { type: string }) => {
            if (m.type === 'connected') resolve();
          }),
        ),
      );
      reports.push(
        new Promise((resolve) =>
          loader.on('message', (m: { type: string; report: LoadReport; errorCount: number }) => {
            if (m.type === 'report') resolve(m);
          }),
        ),
      );
    }
    const allConnected = await Promise.race([Promise.all(connected).then(() => true), sleep(60_000).then(() => false)]);
    if (!allConnected) throw new Error(`${kind}: clients did not all connect within 60 s`);
    await sleep(500);
    const loadedRss = rssOf();
    for (const loader of loaders) loader.send({ type: 'start' });
    await sleep(options.warmup * 1000);
    for (const loader of loaders) loader.send({ type: 'measure' });
    const loaderTicks = () => loaders.reduce((total, loader) => total + cpuTicks(loader.pid!), 0);
    const ticks0 = ticksOf();
    const engines0 = target.engineTicks?.() ?? {};
    const loaderTicks0 = loaderTicks();
    const t0 = performance.now();
    const rssPeak = rssOf();
    const sampler = setInterval(() => {
      rssOf().forEach((kb, i) => (rssPeak[i] = Math.max(rssPeak[i]!, kb)));
    }, 500);
    await sleep(options.duration * 1000);
    const ticks1 = ticksOf();
    const engines1 = target.engineTicks?.() ?? {};
    const loaderTicks1 = loaderTicks();
    const seconds = (performance.now() - t0) / 1000;
    clearInterval(sampler);
    for (const loader of loaders) loader.send({ type: 'stop' });
    let timer: NodeJS.Timeout | undefined;
    const results = await Promise.race([
      Promise.all(reports),
      new Promise<never>((_, fail) => {
        timer = setTimeout(
          () => fail(new Error(`${kind}: load processes did not report within 30 s of the end`)),
          30_000,
        );
      }),
    ]).finally(() => clearTimeout(timer));
    const latencies = Float64Array.from(results.flatMap((r) => r.report.latenciesUs)).sort();
    const sum = (pick: (r: LoadReport) => number) => results.reduce((total, r) => total + pick(r.report), 0);
    const errors = results.reduce((total, r) => total + r.errorCount, 0);
    for (const r of results) for (const e of r.report.errors.slice(0, 3)) console.error(`  ${kind}: ${e}`);
    const percentOfCore = (ticks: number) => (ticks / 100 / seconds) * 100;
    const cpuPerProcess = ticks1.map((t, i) => percentOfCore(t - ticks0[i]!));
    const total = (values: number[]) => values.reduce((a, b) => a + b, 0);
    return {
      p50: percentile(latencies, 50) / 1000,
      p99: percentile(latencies, 99) / 1000,
      deliveredPerSec: latencies.length / seconds,
      sentPerSec: sum((r) => r.sentInWindow) / seconds,
      cpuPercent: total(cpuPerProcess),
      loaderCpuPercent: percentOfCore(loaderTicks1 - loaderTicks0),
      rssPeakMb: total(rssPeak) / 1024,
      kbPerDoc: total(loadedRss.map((kb, i) => kb - idleRss[i]!)) / options.docs,
      errors,
      missing: Math.max(0, sum((r) => r.expected) - sum((r) => r.received)),
      cpuPerProcess,
      rssPeakPerProcessMb: rssPeak.map((kb) => kb / 1024),
      engineCpu: Object.fromEntries(
        Object.entries(engines1).map(([name, t]) => [name, percentOfCore(t - (engines0[name] ?? 0))]),
      ),
    };
  } finally {
    for (const loader of loaders) loader.kill('SIGKILL');
    await target.stop();
  }
}

/**
 * The ratio ours/reference of each run's pair (the two relays ran one after the other, a minute
 * apart at most), their median and range: on a shared machine the load drifts over minutes, and
 * a pair shares most of it, so the paired ratio is steadier than the ratio of the two medians.
 * The interval (stats.ts) says whether a median ratio above or below 1.0 is more than noise.
 */
function pairedRatios(ours: RunResult[], reference: RunResult[]): string {
  const pairs = Math.min(ours.length, reference.length);
  if (pairs === 0) return '';
  const lines = (['p99', 'cpuPercent'] as const).map((key) => {
    const ratios = Array.from({ length: pairs }, (_, i) => ours[i]![key] / reference[i]![key]);
    const sorted = [...ratios].sort((a, b) => a - b);
    const below = ratios.filter((r) => r <= 1).length;
    const interval = medianInterval(ratios);
    return (
      `  ${key === 'p99' ? 'latency p99' : 'relay CPU  '}: median ${median(ratios).toFixed(2)} ` +
      `(${Math.floor(interval.coverage * 100)}% interval ${interval.low.toFixed(2)}-${interval.high.toFixed(2)}), ` +
      `range ${sorted[0]!.toFixed(2)}-${sorted[pairs - 1]!.toFixed(2)}, at or below 1.0 in ${below} of ${pairs} runs ` +
      `(${ratios.map((r) => r.toFixed(2)).join(' ')})`
    );
  });
  return `paired ratios mixdesk/reference, run by run:\n${lines.join('\n')}`;
}

async function orchestrate(options: Options): Promise<void> {
  console.log(
    `bench:sync ${options.clients} clients over ${options.docs} documents, ${options.rate} updates/s each, ` +
      `${options.duration} s measured after ${options.warmup} s warm-up, ${options.loaders} load processes, ${options.runs} run(s)${options.nice ? `, nice ${options.nice}` : ''}`,
  );
  // Other work on the machine shows in the latency tail of both relays: say how busy it was.
  const load = loadAverage;
  console.log(`load average before: ${load()}`);
  const results: Record<'mixdesk' | 'reference', RunResult[]> = { mixdesk: [], reference: [] };
  for (let run = 0; run < options.runs; run++) {
    const order: ('mixdesk' | 'reference')[] = run % 2 === 0 ? ['mixdesk', 'reference'] : ['reference', 'mixdesk'];
    for (const kind of order.filter((k) => !options.only || k === options.only)) {
      const result = await runOnce(kind, () => startRelay(kind), options);
      results[kind].push(result);
      console.log(
        `  run ${run + 1} ${kind.padEnd(9)} p50 ${result.p50.toFixed(2)} ms  p99 ${result.p99.toFixed(2)} ms  ` +
          `${result.deliveredPerSec.toFixed(0)} delivered/s  cpu ${result.cpuPercent.toFixed(0)}% (load ${result.loaderCpuPercent.toFixed(0)}%)  errors ${result.errors}  missing ${result.missing}`,
      );
    }
  }
  // Presence: many clients publishing their awareness state at 1 Hz (y/hub's public benchmark
  // spends a full core on 500 clients at 1 Hz). `--presence-clients 0` skips it.
  const presence: Record<'mixdesk' | 'reference', RunResult[]> = { mixdesk: [], reference: [] };
  if (options.presenceClients > 0) {
    const presenceOptions = { ...options, clients: options.presenceClients, docs: options.presenceDocs, rate: 1 };
    for (let run = 0; run < options.runs; run++) {
      for (const kind of (run % 2 === 0 ? ['mixdesk', 'reference'] : ['reference', 'mixdesk']) as (
        'mixdesk' | 'reference'
      )[]) {
        if (options.only && kind !== options.only) continue;
        const result = await runOnce(kind, () => startRelay(kind), presenceOptions, 'presence');
        presence[kind].push(result);
        console.log(
          `  presence run ${run + 1} ${kind.padEnd(9)} p50 ${result.p50.toFixed(2)} ms  p99 ${result.p99.toFixed(2)} ms  cpu ${result.cpuPercent.toFixed(0)}%  errors ${result.errors}  missing ${result.missing}`,
        );
      }
    }
  }
  if (options.only) return;
  const rows: [string, Figure, number][] = [
    ['latency p50 (ms)', 'p50', 2],
    ['latency p99 (ms)', 'p99', 2],
    ['updates sent/s', 'sentPerSec', 0],
    ['updates delivered/s', 'deliveredPerSec', 0],
    ['relay CPU (% of one core)', 'cpuPercent', 0],
    ['relay peak RSS (MB)', 'rssPeakMb', 1],
    ['RSS per loaded doc, conns incl. (KB)', 'kbPerDoc', 1],
    ['load generators CPU (% of one core, all)', 'loaderCpuPercent', 0],
    ['errors', 'errors', 0],
    ['missing receipts', 'missing', 0],
  ];
  const table = [['metric (median of runs)', 'mixdesk relay', '@y/websocket-server 0.1.1', 'ratio mixdesk/ref']];
  for (const [label, key, digits] of rows) {
    const ours = median(results.mixdesk.map((r) => r[key]));
    const ref = median(results.reference.map((r) => r[key]));
    table.push([
      label,
      ours.toFixed(digits),
      ref.toFixed(digits),
      ref === 0 ? (ours === 0 ? '-' : 'inf') : (ours / ref).toFixed(2),
    ]);
  }
  if (options.presenceClients > 0) {
    const label = `presence ${options.presenceClients} clients @1 Hz on ${options.presenceDocs} docs:`;
    const presenceRows: [string, Figure, number][] = [
      [`${label} relay CPU (% of one core)`, 'cpuPercent', 0],
      [`${label} latency p99 (ms)`, 'p99', 2],
      [`${label} states delivered/s`, 'deliveredPerSec', 0],
    ];
    for (const [rowLabel, key, digits] of presenceRows) {
      const ours = median(presence.mixdesk.map((r) => r[key]));
      const ref = median(presence.reference.map((r) => r[key]));
      table.push([
        rowLabel,
        ours.toFixed(digits),
        ref.toFixed(digits),
        ref === 0 ? (ours === 0 ? '-' : 'inf') : (ours / ref).toFixed(2),
      ]);
    }
  }
  console.log(`
${markdownTable(table)}`);
  console.log(pairedRatios(results.mixdesk, results.reference));
  console.log(`load average after: ${load()}`);
  const ours = results.mixdesk;
  const p99 = median(ours.map((r) => r.p99));
  const verdict =
    p99 <= 50 &&
    ours.every((r) => r.errors === 0 && r.missing === 0) &&
    median(ours.map((r) => r.deliveredPerSec)) >= 0.99 * median(results.reference.map((r) => r.deliveredPerSec));
  console.log(
    `\ntargets (p99 <= 50 ms, no errors or missing receipts, throughput >= reference): ${verdict ? 'met' : 'NOT met'}`,
  );
}

// ---------------------------------------------------------------- scale-out mode ----

interface ScaleConfig {
  processes: number;
  store: StoreKind;
  /** Which process each client connects to (one process: irrelevant, 'doc'). */
  route: Route;
}

const scaleLabel = (c: ScaleConfig) =>
  `${c.processes} process${c.processes > 1 ? 'es' : ''}, ${c.store}${c.processes > 1 ? `, route ${c.route}` : ''}`;

/**
 * `--processes 1,3 --store postgres` (each a value or a comma list): every combination, side by
 * side in one run, each run of each alternating in order; no reference relay (it has no
 * scale-out). `--route doc` (the default) sends every client of a document to one process (the
 * recommended proxy setup, docs/operations.md), `--route spread` spreads them over all
 * processes; `--route doc,spread` runs both.
 */
async function orchestrateScale(options: Options, configs: ScaleConfig[]): Promise<void> {
  console.log(
    `bench:sync scale-out: ${options.clients} clients over ${options.docs} documents, ${options.rate} updates/s each, ` +
      `${options.duration} s measured after ${options.warmup} s warm-up, ${options.loaders} load processes, ${options.runs} run(s); ` +
      `configurations: ${configs.map(scaleLabel).join('; ')}`,
  );
  console.log(`load average before: ${loadAverage()}`);
  const results = configs.map(() => [] as RunResult[]);
  for (let run = 0; run < options.runs; run++) {
    const order = configs.map((_, i) => i);
    if (run % 2 === 1) order.reverse();
    for (const i of order) {
      const config = configs[i]!;
      const result = await runOnce(
        scaleLabel(config),
        () => startScaleDeployment(config.processes, config.store, root),
        options,
        'update',
        config.route,
      );
      results[i]!.push(result);
      const engines = Object.entries(result.engineCpu)
        .map(([name, cpu]) => `${name} ${cpu.toFixed(0)}%`)
        .join('  ');
      console.log(
        `  run ${run + 1} ${scaleLabel(config).padEnd(22)} p50 ${result.p50.toFixed(2)} ms  p99 ${result.p99.toFixed(2)} ms  ` +
          `${result.deliveredPerSec.toFixed(0)} delivered/s  cpu ${result.cpuPerProcess.map((c) => c.toFixed(0)).join('/')}%  ${engines}  ` +
          `(load ${result.loaderCpuPercent.toFixed(0)}%)  errors ${result.errors}  missing ${result.missing}`,
      );
    }
  }
  const med = (rs: RunResult[], pick: (r: RunResult) => number) => median(rs.map(pick));
  const perProcess = (rs: RunResult[], pick: (r: RunResult) => number[], digits: number) =>
    pick(rs[0]!)
      .map((_, k) => median(rs.map((r) => pick(r)[k] ?? 0)).toFixed(digits))
      .join(' / ');
  const engineNames = [...new Set(results.flatMap((rs) => rs.flatMap((r) => Object.keys(r.engineCpu))))];
  const rows: [string, (rs: RunResult[]) => string][] = [
    ['latency p50 (ms)', (rs) => med(rs, (r) => r.p50).toFixed(2)],
    ['latency p99 (ms)', (rs) => med(rs, (r) => r.p99).toFixed(2)],
    ['updates sent/s', (rs) => med(rs, (r) => r.sentPerSec).toFixed(0)],
    ['updates delivered/s', (rs) => med(rs, (r) => r.deliveredPerSec).toFixed(0)],
    ['server CPU per process (% of one core)', (rs) => perProcess(rs, (r) => r.cpuPerProcess, 0)],
    ['server CPU, all processes (%)', (rs) => med(rs, (r) => r.cpuPercent).toFixed(0)],
    ['server peak RSS per process (MB)', (rs) => perProcess(rs, (r) => r.rssPeakPerProcessMb, 1)],
    ...engineNames.map((name): [string, (rs: RunResult[]) => string] => [
      `${name} CPU (% of one core)`,
      (rs) => (rs[0]!.engineCpu[name] === undefined ? '-' : med(rs, (r) => r.engineCpu[name] ?? 0).toFixed(0)),
    ]),
    ['load generators CPU (% of one core, all)', (rs) => med(rs, (r) => r.loaderCpuPercent).toFixed(0)],
    ['errors', (rs) => med(rs, (r) => r.errors).toFixed(0)],
    ['missing receipts', (rs) => med(rs, (r) => r.missing).toFixed(0)],
  ];
  const table = [
    ['metric (median of runs)', ...configs.map(scaleLabel)],
    ...rows.map(([label, cell]) => [label, ...results.map(cell)]),
  ];
  console.log(`
${markdownTable(table)}`);
  console.log(`load average after: ${loadAverage()}`);
  for (const [i, config] of configs.entries()) {
    const rs = results[i]!;
    const met = med(rs, (r) => r.p99) <= 50 && rs.every((r) => r.errors === 0 && r.missing === 0);
    console.log(
      `target (p99 <= 50 ms, no errors or missing receipts), ${scaleLabel(config)}: ${met ? 'met' : 'NOT met'}`,
    );
  }
}

/** The configurations asked for by `--processes` and `--store`, or null outside scale-out mode. */
function scaleConfigs(options: Record<string, string | number>): ScaleConfig[] | null {
  if (options.processes === undefined && options.store === undefined) return null;
  const processes = String(options.processes ?? 1)
    .split(',')
    .map(Number);
  const stores = String(options.store ?? 'sqlite').split(',');
  const routes = String(options.route ?? 'doc').split(',');
  for (const route of routes)
    if (route !== 'doc' && route !== 'spread') throw new Error(`bench-sync: --route is doc or spread, not ${route}`);
  const configs: ScaleConfig[] = [];
  for (const store of stores) {
    if (store !== 'sqlite' && store !== 'postgres')
      throw new Error(`bench-sync: --store is sqlite or postgres, not ${store}`);
    for (const n of processes) {
      if (!Number.isInteger(n) || n < 1 || n > 8) throw new Error(`bench-sync: --processes is 1 to 8, not ${n}`);
      if (store === 'sqlite' && n > 1) {
        console.log(`(skipped ${n} processes on sqlite: the SQLite file belongs to one server; use --store postgres)`);
        continue;
      }
      if (n === 1) configs.push({ processes: n, store, route: 'doc' });
      else for (const route of routes as Route[]) configs.push({ processes: n, store, route });
    }
  }
  return configs;
}

const argv = process.argv.slice(2);
const args = parseOptions(argv);
const scale = args.role === 'load' ? null : scaleConfigs(args);
if (args.role === 'load') await runLoader(args);
else if (scale) {
  // The issue's scale-out load unless given: 1,500 clients over 300 documents.
  if (!argv.includes('--clients')) args.clients = 1500;
  if (!argv.includes('--docs')) args.docs = 300;
  await orchestrateScale(args, scale);
} else await orchestrate(args);

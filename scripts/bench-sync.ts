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
 * the load generator stays cheap. Prints one table of medians over `--runs` runs, with ratios.
 * On a shared machine other work shows in both relays' latency tail: `--nice -10` (root) gives
 * the relay and load processes of both runs the same raised priority.
 *
 * Roles (argv): no role = orchestrator; `--role load` = one load-generator process (IPC child).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { loadavg, setPriority, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import WebSocket from 'ws';
import * as Y from 'yjs';

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
  const url = String(options.url);
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
    const ws = new WebSocket(`${url}/bench-${docIndex}`);
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

function cpuTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]); // utime + stime (fields 14, 15)
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

async function startRelay(
  kind: 'mixdesk' | 'reference',
  dataDir: string,
): Promise<{ child: ChildProcess; url: string }> {
  const port = await freePort();
  if (kind === 'mixdesk') {
    // Profiling: BENCH_RELAY_NODE_ARGS='--cpu-prof --cpu-prof-dir=prof' (NODE_OPTIONS refuses --cpu-prof);
    // BENCH_REF_NODE_ARGS does the same for the reference.
    const nodeArgs = process.env.BENCH_RELAY_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
    const child = spawn(
      process.execPath,
      [...nodeArgs, '--import', 'tsx', join(root, 'tests/support/relay-child.ts')],
      {
        cwd: root,
        env: { ...process.env, MIXDESK_DATA: dataDir, PORT: String(port), RELAY_LOG: 'silent' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
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
  kind: 'mixdesk' | 'reference',
  options: Options,
  mode: 'update' | 'presence' = 'update',
): Promise<RunResult> {
  const dataDir = mkdtempSync(join(tmpdir(), 'mixdesk-bench-'));
  const relay = await startRelay(kind, dataDir);
  const pid = relay.child.pid!;
  if (options.nice !== 0) reniceProcess(pid, options.nice);
  const loaders: ChildProcess[] = [];
  try {
    await sleep(300);
    const idleRss = rssKb(pid);
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
          relay.url,
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
    const loadedRss = rssKb(pid);
    for (const loader of loaders) loader.send({ type: 'start' });
    await sleep(options.warmup * 1000);
    for (const loader of loaders) loader.send({ type: 'measure' });
    const loaderTicks = () => loaders.reduce((total, loader) => total + cpuTicks(loader.pid!), 0);
    const ticks0 = cpuTicks(pid);
    const loaderTicks0 = loaderTicks();
    const t0 = performance.now();
    let rssPeak = rssKb(pid);
    const sampler = setInterval(() => {
      rssPeak = Math.max(rssPeak, rssKb(pid));
    }, 500);
    await sleep(options.duration * 1000);
    const ticks1 = cpuTicks(pid);
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
    return {
      p50: percentile(latencies, 50) / 1000,
      p99: percentile(latencies, 99) / 1000,
      deliveredPerSec: latencies.length / seconds,
      sentPerSec: sum((r) => r.sentInWindow) / seconds,
      cpuPercent: ((ticks1 - ticks0) / 100 / seconds) * 100,
      loaderCpuPercent: ((loaderTicks1 - loaderTicks0) / 100 / seconds) * 100,
      rssPeakMb: rssPeak / 1024,
      kbPerDoc: (loadedRss - idleRss) / options.docs,
      errors,
      missing: Math.max(0, sum((r) => r.expected) - sum((r) => r.received)),
    };
  } finally {
    for (const loader of loaders) loader.kill('SIGKILL');
    relay.child.kill('SIGTERM');
    await Promise.race([new Promise((done) => relay.child.once('exit', done)), sleep(5000)]);
    relay.child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function orchestrate(options: Options): Promise<void> {
  console.log(
    `bench:sync ${options.clients} clients over ${options.docs} documents, ${options.rate} updates/s each, ` +
      `${options.duration} s measured after ${options.warmup} s warm-up, ${options.loaders} load processes, ${options.runs} run(s)${options.nice ? `, nice ${options.nice}` : ''}`,
  );
  // Other work on the machine shows in the latency tail of both relays: say how busy it was.
  const load = () =>
    loadavg()
      .map((l) => l.toFixed(2))
      .join(' ');
  console.log(`load average before: ${load()}`);
  const results: Record<'mixdesk' | 'reference', RunResult[]> = { mixdesk: [], reference: [] };
  for (let run = 0; run < options.runs; run++) {
    const order: ('mixdesk' | 'reference')[] = run % 2 === 0 ? ['mixdesk', 'reference'] : ['reference', 'mixdesk'];
    for (const kind of order.filter((k) => !options.only || k === options.only)) {
      const result = await runOnce(kind, options);
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
        const result = await runOnce(kind, presenceOptions, 'presence');
        presence[kind].push(result);
        console.log(
          `  presence run ${run + 1} ${kind.padEnd(9)} p50 ${result.p50.toFixed(2)} ms  p99 ${result.p99.toFixed(2)} ms  cpu ${result.cpuPercent.toFixed(0)}%  errors ${result.errors}  missing ${result.missing}`,
        );
      }
    }
  }
  if (options.only) return;
  const rows: [string, keyof RunResult, number][] = [
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
    const presenceRows: [string, keyof RunResult, number][] = [
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
  const widths = table[0]!.map((_, c) => Math.max(...table.map((row) => row[c]!.length)));
  const line = (row: string[]) =>
    `| ${row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join(' | ')} |`;
  console.log(
    `\n${line(table[0]!)}\n|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|\n${table.slice(1).map(line).join('\n')}`,
  );
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

const args = parseOptions(process.argv.slice(2));
if (args.role === 'load') await runLoader(args);
else await orchestrate(args);

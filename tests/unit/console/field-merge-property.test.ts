/**
 * The soft-key merge promise under random concurrency (docs/merge.md): 2-5 peers edit the labels,
 * icons, colours and commands of two keys, with random offline periods and partial, out-of-order
 * exchanges; every peer reconciles on receipt, as the editor does. After everyone has heard from
 * everyone: all peers have the same file; every character anyone typed into a label or icon is
 * still there (edits here only insert, each a character of its own, so nothing may go missing);
 * every colour or command that lost to a concurrent one is reported as a conflict (one the
 * winner's writer had seen is a plain overwrite, not a conflict). Prints its seed on failure;
 * rerun one seed with FIELD_SEED=<n>.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as Y from 'yjs';
import { readFileSync } from 'node:fs';
import {
  editField,
  findKeysByLabel,
  readField,
  recordedFieldConflicts,
  watchFieldMerge,
  type KeyField,
} from '../../../src/core/console/index.ts';
import { exportXmlText, importXml } from '../../../src/core/xml/index.ts';
import { seededRandom } from '../../support/xml-corpus.ts';

const FILE = readFileSync(new URL('../../fixtures/console/Pro Tools.xml', import.meta.url));
const COLOURS = ['red', 'green', 'blue', 'yellow', 'white'];
const COMMANDS = ['File:Save', 'Edit:Undo', 'Edit:Redo', 'File:Bounce'];

interface AtomicEdit {
  register: string;
  value: string;
  who: string;
  client: number;
  /** The writer's Yjs clock before the edit: a peer has seen the edit once its state passes it. */
  clock: number;
  /** What the writer had seen when it wrote (its state vector). */
  seen: Map<number, number>;
}

function send(from: Y.Doc, to: Y.Doc): void {
  const update = Y.encodeStateAsUpdate(from, Y.encodeStateVector(to));
  if (update.length > 2) Y.applyUpdate(to, update, 'remote');
}

const base = new Y.Doc();
importXml(base, new Uint8Array(FILE), 'Pro Tools.xml');
const initial = Y.encodeStateAsUpdate(base);
const KEYS = ['Save', 'Undo'].map((label) => findKeysByLabel(base, label)[0]!.id);

export function runFieldSeed(seed: number): void {
  const rnd = seededRandom(seed);
  const int = (n: number) => Math.floor(rnd() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
  const count = 2 + int(4);
  const peers = Array.from({ length: count }, (_, i) => {
    const doc = new Y.Doc();
    doc.clientID = 0x1000 * (1 + i) + int(0x800);
    Y.applyUpdate(doc, initial);
    watchFieldMerge(doc);
    return { doc, who: `P${i}`, online: true };
  });
  const typed: Array<{ key: string; field: KeyField; char: string }> = [];
  const atomic: AtomicEdit[] = [];
  let next = 0;
  const steps = 5 + int(16);
  for (let step = 0; step < steps; step++) {
    const p = pick(peers);
    const key = pick(KEYS);
    const field = pick(['label', 'icon', 'colour', 'command'] as const);
    const ed = { who: p.who, now: step };
    if (field === 'label' || field === 'icon') {
      // Types one character of its own somewhere into what this peer sees.
      const char = String.fromCharCode(0x4e00 + next++);
      const now = readField(p.doc, key, field) ?? '';
      const at = int(now.length + 1);
      editField(p.doc, key, field, now.slice(0, at) + char + now.slice(at), ed);
      typed.push({ key, field, char });
    } else {
      const value = pick(field === 'colour' ? COLOURS : COMMANDS);
      const clock = Y.getState(p.doc.store, p.doc.clientID);
      const seen = Y.decodeStateVector(Y.encodeStateVector(p.doc));
      editField(p.doc, key, field, value, ed);
      atomic.push({ register: `${key}|${field}`, value, who: p.who, client: p.doc.clientID, clock, seen });
    }
    if (rnd() < 0.25) {
      const q = pick(peers);
      q.online = !q.online;
    }
    for (let i = int(3); i > 0; i--) {
      const a = pick(peers);
      const b = pick(peers);
      if (a !== b && a.online && b.online) send(a.doc, b.doc);
    }
  }
  for (let round = 0; round < 4; round++) for (const a of peers) for (const b of peers) if (a !== b) send(a.doc, b.doc);

  const doc = peers[0]!.doc;
  const text = exportXmlText(doc);
  for (const p of peers) assert.is(exportXmlText(p.doc), text, 'same file on every peer');
  for (const t of typed) {
    const now = readField(doc, t.key, t.field) ?? '';
    assert.ok(now.includes(t.char), `${t.field} of ${t.key} keeps the typed ${t.char}: "${now}"`);
  }
  // An atomic edit nobody knowingly overwrote is the value kept, or reported as lost.
  const conflicts = recordedFieldConflicts(doc);
  for (const e of atomic) {
    const later = atomic.filter((f) => f !== e && f.register === e.register);
    if (later.some((f) => (f.seen.get(e.client) ?? 0) > e.clock)) continue;
    const [key, field] = e.register.split('|') as [string, KeyField];
    if (readField(doc, key, field) === e.value) continue;
    assert.ok(
      conflicts.some((c) => c.element === key && c.field === field && c.lost.value === e.value && c.lost.who === e.who),
      `${e.who}'s ${field} ${e.value} on ${key} lost and is reported`,
    );
  }
}

const seeds = process.env.FIELD_SEED
  ? [Number(process.env.FIELD_SEED)]
  : Array.from({ length: 500 }, (_, i) => 7000 + i);

test(`random concurrent soft-key edits on 2-5 peers with offline periods keep every intent (${seeds.length} seeds)`, () => {
  const started = Date.now();
  for (const seed of seeds) {
    try {
      runFieldSeed(seed);
    } catch (err) {
      console.error(`soft-key merge property failure with FIELD_SEED=${seed}`);
      throw err;
    }
  }
  console.log(`  ${seeds.length} seeds in ${((Date.now() - started) / 1000).toFixed(1)} s`);
});

test.run();

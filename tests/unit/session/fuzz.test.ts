import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseSessionText } from '../../../src/core/session/index.ts';
import { fixtureBytes, FIXTURES, seededRandom, WRITTEN_FIXTURES } from './support.ts';

const SEED = Number(process.env.SEED ?? Math.floor(Math.random() * 2 ** 31));
const RUNS = Number(process.env.RUNS ?? 1500);
console.log(`session-text fuzz: SEED=${SEED} RUNS=${RUNS}`);

/** Bytes that matter to the format are picked more often than others. */
const INTERESTING = [0x09, 0x0a, 0x0d, 0x20, 0x3a, 0x31, 0x23, 0x54, 0xc9, 0xe2, 0x80, 0x00, 0xff];

function mutate(input: Uint8Array, rnd: () => number): { bytes: Uint8Array; how: string } {
  const at = (): number => Math.floor(rnd() * (input.length + 1));
  const byte = (): number =>
    rnd() < 0.6 ? (INTERESTING[Math.floor(rnd() * INTERESTING.length)] ?? 0) : Math.floor(rnd() * 256);
  const kind = Math.floor(rnd() * 5);
  if (kind === 0) {
    const n = at();
    return { bytes: input.slice(0, n), how: `truncate at ${n}` };
  }
  if (kind === 1) {
    const out = input.slice();
    const count = 1 + Math.floor(rnd() * 8);
    for (let i = 0; i < count && out.length > 0; i++) out[Math.floor(rnd() * out.length)] = byte();
    return { bytes: out, how: `garble ${count} bytes` };
  }
  if (kind === 2) {
    const n = at();
    const extra = Array.from({ length: 1 + Math.floor(rnd() * 40) }, byte);
    return {
      bytes: new Uint8Array([...input.subarray(0, n), ...extra, ...input.subarray(n)]),
      how: `insert ${extra.length} at ${n}`,
    };
  }
  if (kind === 3) {
    const a = at(),
      b = Math.min(input.length, a + Math.floor(rnd() * 200));
    return { bytes: new Uint8Array([...input.subarray(0, a), ...input.subarray(b)]), how: `delete ${a}..${b}` };
  }
  const a = at(),
    b = Math.min(input.length, a + Math.floor(rnd() * 300)),
    to = at();
  const piece = input.subarray(a, b);
  return {
    bytes: new Uint8Array([...input.subarray(0, to), ...piece, ...input.subarray(to)]),
    how: `copy ${a}..${b} to ${to}`,
  };
}

test('truncated and garbled exports never throw or hang, and every problem carries a line', () => {
  const rnd = seededRandom(SEED);
  const sources = [...FIXTURES, ...WRITTEN_FIXTURES].map((name) => ({ name, bytes: fixtureBytes(name) }));
  let errors = 0;
  for (let run = 0; run < RUNS; run++) {
    const source = sources[Math.floor(rnd() * sources.length)] ?? sources[0]!;
    let { bytes, how } = mutate(source.bytes, rnd);
    if (rnd() < 0.3) {
      const again = mutate(bytes, rnd);
      bytes = again.bytes;
      how += `, then ${again.how}`;
    }
    const where = `SEED=${SEED} run ${run}: ${source.name}, ${how}`;
    const lineCount = bytes.reduce((n, b, i) => n + (b === 10 || (b === 13 && bytes[i + 1] !== 10) ? 1 : 0), 1);
    const started = performance.now();
    let result;
    try {
      result = parseSessionText(bytes, source.name);
    } catch (e) {
      assert.unreachable(`threw ${String(e)} (${where})`);
      return;
    }
    assert.ok(performance.now() - started < 1000, `too slow (${where})`);
    for (const w of result.warnings) {
      assert.ok(
        w.line >= 1 && w.line <= lineCount && w.column >= 1,
        `warning without a valid line: ${JSON.stringify(w)} (${where})`,
      );
    }
    if (!result.ok) {
      errors++;
      const e = result.error;
      assert.ok(
        e.line >= 1 && e.line <= lineCount && e.column >= 1,
        `error without a valid line: ${JSON.stringify(e)} (${where})`,
      );
      assert.is(e.file, source.name, where);
      assert.not.match(
        e.message,
        /could not read the session text near here/,
        `unclassified error: ${e.message} (${where})`,
      );
    } else {
      assert.ok(JSON.stringify(result.session).length > 0, where);
    }
  }
  assert.ok(errors > 0 && errors < RUNS, `errors ${errors} of ${RUNS}: the mutations should give both outcomes`);
});

test.run();

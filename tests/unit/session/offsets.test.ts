/**
 * The session-text parser reads lines and TAB cells as offsets into the decoded text instead of
 * splitting it into strings. These tests hold those readers to what splitting would give, over
 * random texts built from the characters that matter (breaks, TABs, spaces, digits, non-ASCII).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { RowCells } from '../../../src/core/session/cells.ts';
import { indexLines, trimPadding } from '../../../src/core/session/lines.ts';
import { seededRandom } from './support.ts';

const SEED = Number(process.env.SEED ?? Math.floor(Math.random() * 2 ** 31));
console.log(`session-text offsets: SEED=${SEED}`);

const PIECES = ['a', 'Kick', ' ', '  ', '\t', '\r', '\n', '\r\n', '0', '12', '9999999999999999', 'é', '–', '[2]'];
const randomText = (rnd: () => number, length: number): string =>
  Array.from({ length }, () => PIECES[Math.floor(rnd() * PIECES.length)] ?? '').join('');

/** The text cut after random line breaks (never inside CRLF), as the decoder cuts it. */
function pieces(text: string, rnd: () => number): string[] {
  const out: string[] = [];
  let from = 0;
  for (const m of text.matchAll(/\r\n|\r|\n/g)) {
    const end = (m.index ?? 0) + m[0].length;
    if (rnd() < 0.3) {
      out.push(text.slice(from, end));
      from = end;
    }
  }
  if (from < text.length || out.length === 0) out.push(text.slice(from));
  return out;
}

test('the line index finds the lines, the line ending and the final break that splitting finds', () => {
  const rnd = seededRandom(SEED);
  for (let run = 0; run < 2000; run++) {
    const text = randomText(rnd, Math.floor(rnd() * 30));
    const where = `SEED=${SEED} run ${run}: ${JSON.stringify(text)}`;
    const parts = text.split(/\r\n|\r|\n/);
    const endsWithBreak = text.length > 0 && parts[parts.length - 1] === '';
    if (endsWithBreak || text.length === 0) parts.pop();
    const crlf = text.split('\r\n').length - 1;
    const loneCr = text.split('\r').length - 1 - crlf;
    const loneLf = text.split('\n').length - 1 - crlf;
    const kinds = [loneLf, crlf, loneCr].filter((n) => n > 0).length;
    const ending = kinds === 0 ? 'none' : kinds > 1 ? 'mixed' : crlf ? 'CRLF' : loneCr ? 'CR' : 'LF';
    const index = indexLines(pieces(text, rnd));
    assert.is(index.overLimit, false, where);
    assert.equal(
      Array.from({ length: index.lines.count }, (_, i) => index.lines.textOf(i)),
      parts,
      where,
    );
    assert.is(index.endsWithBreak, endsWithBreak, where);
    assert.is(index.lineEnding, ending, where);
    for (let i = 0; i < index.lines.count; i++) {
      assert.is(index.lines.isBlank(i), /^ *$/.test(parts[i] ?? ''), where);
      assert.is(index.lines.line(i).line, i + 1, where);
    }
  }
});

test('the line index grows past its first guess and stops once it has found the most breaks allowed', () => {
  const text = 'a\n'.repeat(5000);
  const all = indexLines([text]);
  assert.is(all.lines.count, 5000);
  assert.is(all.lines.textOf(4999), 'a');
  assert.is(all.overLimit, false);
  assert.is(indexLines([text], 5001).overLimit, false);
  const capped = indexLines([text], 5000);
  assert.is(capped.overLimit, true);
  assert.is(indexLines(['a\r\nb\rc'], 2).overLimit, true);
  assert.is(indexLines(['a\r\nb\rc'], 3).overLimit, false);
});

test('a row read in place gives the cells, spans and numbers that split and trim give', () => {
  const rnd = seededRandom(SEED + 1);
  const cells = new RowCells();
  for (let run = 0; run < 2000; run++) {
    // The row sits between other text (with TABs of its own) that must not be read.
    const before = randomText(rnd, 3).replace(/[\r\n]/g, '');
    const row = randomText(rnd, Math.floor(rnd() * 25)).replace(/[\r\n]/g, '');
    const after = '\t' + randomText(rnd, 3);
    const where = `SEED=${SEED + 1} run ${run}: ${JSON.stringify(row)}`;
    cells.read(before + row + after, before.length, before.length + row.length);
    const raw = row.split('\t');
    assert.is(cells.count, raw.length, where);
    assert.is(cells.length, row.length, where);
    assert.is(cells.blank, /^ *$/.test(row), where);
    for (let k = -1; k <= raw.length; k++) {
      assert.is(cells.get(k), trimPadding(raw[k] ?? ''), `${where} cell ${k}`);
      const t = trimPadding(raw[k] ?? '');
      assert.is(cells.digits(k), /^\d{1,15}$/.test(t) ? Number(t) : -1, `${where} digits ${k}`);
    }
    assert.is(cells.get(0, ['Kick']), trimPadding(raw[0] ?? ''), where);
    for (let from = 0; from <= raw.length; from++) {
      for (let to = from; to <= raw.length + 1; to++) {
        const joined = raw.slice(from, to).map(trimPadding).join('\t');
        assert.is(cells.join(from, to), joined, `${where} join ${from}..${to}`);
        assert.is(cells.span(from, to), trimPadding(raw.slice(from, to).join('\t')), `${where} span ${from}..${to}`);
      }
    }
  }
});

test.run();

/**
 * Seeded fuzz over generated exports that look real, in every variant (version, line breaks,
 * TAB or space columns, encoding, time format with and without sub-units): each must parse
 * with no warnings and give back exactly what was written. Reproduce a failure with SEED=….
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseSessionText } from '../../../src/core/session/index.ts';
import { generateSessionText, randomSessionOptions } from '../../support/session-text-corpus.ts';
import { seededRandom } from './support.ts';

const SEED = Number(process.env.SEED ?? Math.floor(Math.random() * 2 ** 31));
const RUNS = Number(process.env.RUNS ?? 300);
console.log(`generated session-text exports: SEED=${SEED} RUNS=${RUNS}`);

test('every generated export parses back to what was written', () => {
  const rnd = seededRandom(SEED);
  for (let run = 0; run < RUNS; run++) {
    const options = randomSessionOptions(rnd);
    const { bytes, expected } = generateSessionText(rnd, options);
    const where = `SEED=${SEED} run ${run} ${JSON.stringify(options)}`;
    const result = parseSessionText(bytes, 'generated.txt');
    if (!result.ok) {
      assert.unreachable(`${result.error.line}:${result.error.column} ${result.error.message} (${where})`);
      return;
    }
    assert.equal(result.warnings, [], where);
    const s = result.session;
    assert.is(s.header.sessionName, expected.sessionName, where);
    assert.is(s.clips.length, expected.clipCount, where);
    assert.equal(
      s.tracks.map((t) => ({
        name: t.name,
        hidden: t.state.hidden,
        inactive: t.state.inactive,
        events: t.events.map((e) => ({
          clipName: e.clipName,
          startTime: e.startTime,
          endTime: e.endTime,
          duration: e.duration,
        })),
      })),
      expected.tracks,
      where,
    );
    assert.equal(
      s.markers.map((m) => ({ name: m.name, comments: m.comments })),
      expected.markers,
      where,
    );
    if (expected.tracks.some((t) => t.events.length > 0)) assert.is(s.timeFormat, options.timeFormat, where);
  }
});

test.run();

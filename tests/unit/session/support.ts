/** Shared helpers for the session-text tests: fixture loading and a seeded generator. */
import { readFileSync } from 'node:fs';
import { parseSessionText, type Session, type SessionParseResult } from '../../../src/core/session/index.ts';

/** The shared seeded generator (mulberry32), so a failing fuzz run reproduces from its seed. */
export { seededRandom } from '../../support/signals.ts';

export const FIXTURE_DIR = new URL('../../fixtures/protools-session-text/', import.meta.url);

export const FIXTURES = [
  'OneOfEverything_PT2020.3.txt',
  'ExtendedChars_MacRoman_PT2023.3.txt',
  'ExtendedChars_UTF8_PT2023.3.txt',
  'MarkerRulersAndTrackMarkers_PT2023.12.txt',
  'NewLinesAndTabs_PT2023.6.txt',
  'Test_Export_tc.txt',
] as const;

/** Exports written by Mixdesk from the format's rules, one per layout variant (SOURCES.md). */
export const WRITTEN_FIXTURES = [
  'Written_PT7_Regions_CR_FeetFrames_MacRoman.txt',
  'Written_PT8_Regions_CRLF_MinSecs.txt',
  'Written_SpaceAligned_Samples.txt',
  'Written_PT10_DropFrame_Subframes_UTF8.txt',
  'Written_PT2018_BarsBeats_Ticks.txt',
] as const;

export function fixtureBytes(name: string): Uint8Array {
  return new Uint8Array(readFileSync(new URL(name, FIXTURE_DIR)));
}

/** Parses bytes and fails loudly (with the error) when the result is not a session. */
export function mustParse(bytes: Uint8Array, name = 'test.txt'): { session: Session; result: SessionParseResult } {
  const result = parseSessionText(bytes, name);
  if (!result.ok) throw new Error(`${name}:${result.error.line}:${result.error.column}: ${result.error.message}`);
  return { session: result.session, result };
}

export const ascii = (text: string): Uint8Array => new TextEncoder().encode(text);

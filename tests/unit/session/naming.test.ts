import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { layoutExportFileName, sessionDocumentName } from '../../../src/core/session/index.ts';
import { fixtureBytes, mustParse } from './support.ts';

const header = (sessionName: string) => ({ header: { sessionName } }) as Parameters<typeof sessionDocumentName>[0];

test('a document made from a session text is named after SESSION NAME, not the file', () => {
  const { session } = mustParse(fixtureBytes('OneOfEverything_PT2020.3.txt'));
  assert.is(sessionDocumentName(session, 'Session Info 2024-03-01 final v3.txt'), 'SessionText_OneOfEverything');
  const { session: old } = mustParse(fixtureBytes('Written_PT7_Regions_CR_FeetFrames_MacRoman.txt'));
  assert.is(sessionDocumentName(old, 'export.txt'), 'Café Reel 3');
});

test('an empty SESSION NAME falls back to the file name; breaks in a name become spaces', () => {
  assert.is(sessionDocumentName(header('  '), 'folder/Reel 2 export.txt'), 'Reel 2 export');
  assert.is(sessionDocumentName(header('Act\n1\tMix'), 'x.txt'), 'Act 1 Mix');
  assert.is(sessionDocumentName(header('x'.repeat(300)), 'x.txt').length, 200);
});

test('the export file name replaces characters file systems refuse', () => {
  assert.is(layoutExportFileName('Café Reel 3'), 'Café Reel 3 layout.xml');
  assert.is(layoutExportFileName('A/B: "C"?'), 'A-B- -C-- layout.xml');
  assert.is(layoutExportFileName('..'), 'Session layout.xml');
});

test.run();

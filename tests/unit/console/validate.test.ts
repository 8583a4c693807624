/**
 * Validation warns, pointing at the element (path, line, column), and never blocks export:
 * duplicate UIDs, duplicate strip numbers, strips outside 1-256, empty labels, unknown colours.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as Y from 'yjs';
import { validateDocument, isKnownColour } from '../../../src/core/console/index.ts';
import { exportXml, importXml, insertElement, rootElement } from '../../../src/core/xml/index.ts';

function load(text: string): Y.Doc {
  const doc = new Y.Doc();
  importXml(doc, new TextEncoder().encode(text), 'v.xml');
  return doc;
}

const APPSET = `<AppSet>
  <AppSetWide>
    <CustomWheelCommands>
      <CustomWheelFunction NAME="a" UID="{11111111-2222-3333-4444-555555555555}"/>
    </CustomWheelCommands>
  </AppSetWide>
  <Section ID="1">
    <Bank ID="1">
      <Key LABEL="Ok" COLOR="Red" UID="{11111111-2222-3333-4444-555555555555}"/>
      <Key LABEL="  " COLOR="#FF00AA"/>
      <Key><Label></Label><Colour>Chartreuse-ish</Colour></Key>
      <Key LABEL="x" COLOR="7"/>
    </Bank>
  </Section>
</AppSet>
`;

test('App Set: duplicate UID, empty labels and an unknown colour, each pointing at its key', () => {
  const doc = load(APPSET);
  const warnings = validateDocument(doc);
  assert.equal(
    warnings.map((w) => [w.rule, w.path, w.line, w.column]),
    [
      ['duplicate-uid', '/AppSet/Section/Bank/Key[1]', 9, 7],
      ['empty-label', '/AppSet/Section/Bank/Key[2]', 10, 7],
      ['empty-label', '/AppSet/Section/Bank/Key[3]', 11, 7],
      ['unknown-colour', '/AppSet/Section/Bank/Key[3]', 11, 7],
    ],
  );
  assert.match(
    warnings[0]!.message,
    /^\/AppSet\/Section\/Bank\/Key\[1\] \(line 9, column 7\): duplicate UID .* \(also on \/AppSet\/AppSetWide\/CustomWheelCommands\/CustomWheelFunction\)/,
  );
  assert.match(warnings[3]!.message, /unknown colour value 'Chartreuse-ish'/);
});

test('layouts: duplicate strip numbers and strips outside 1-256, per layout', () => {
  const doc = load(`<MixdeskLayouts>
  <Layout name="a"><Strip slot="1"/><Strip slot="1" track="x"/><Strip slot="0"/><Strip slot="257"/><Strip slot="x"/><Strip/></Layout>
  <Layout name="b"><Strip slot="1"/></Layout>
</MixdeskLayouts>`);
  const warnings = validateDocument(doc);
  assert.equal(
    warnings.map((w) => w.rule),
    ['duplicate-strip', 'strip-out-of-range', 'strip-out-of-range', 'strip-out-of-range', 'strip-out-of-range'],
  );
  assert.match(
    warnings[0]!.message,
    /^\/MixdeskLayouts\/Layout\[1\]\/Strip\[2\] \(line 2, column 37\): strip 1 appears twice/,
  );
  assert.match(warnings[4]!.message, /strip number \(missing\) is outside 1-256/);
});

test('warnings on created elements have a path but no line; export still works', () => {
  const doc = load('<MixdeskLayouts>\n  <Layout name="a">\n    <Strip slot="3"/>\n  </Layout>\n</MixdeskLayouts>\n');
  const layout = insertElement(doc, rootElement(doc), 0, 'Layout', [['name', 'b']]);
  insertElement(doc, layout, 0, 'Strip', [['slot', '999']]);
  const [w] = validateDocument(doc);
  assert.is(w!.rule, 'strip-out-of-range');
  assert.is(w!.line, undefined);
  assert.is(w!.path, '/MixdeskLayouts/Layout[1]/Strip');
  assert.ok(exportXml(doc).length > 0);
});

test('known colours: names, palette numbers and hex RGB; others are unknown', () => {
  for (const c of ['Red', 'light blue', 'OFF', '12', '#ff00aa', '0x00FF00']) assert.ok(isKnownColour(c), c);
  for (const c of ['Chartreuse', '#ggg000', 'red!', '']) assert.not.ok(isKnownColour(c), c);
});

test.run();

/**
 * App Set accessors: sections, banks and keys read tolerantly; key fields edited where they
 * live (attribute or child element); macro steps added, removed, reordered; banks copied; keys
 * found by label; content Mixdesk does not understand stays byte-identical.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as Y from 'yjs';
import {
  addMacroStep,
  appSetWideFields,
  copyBank,
  customWheelFunctions,
  findKeysByLabel,
  isAppSet,
  keySteps,
  moveMacroStep,
  readAppSet,
  readKey,
  removeMacroStep,
  setAppSetWideField,
  writeField,
} from '../../../src/core/console/index.ts';
import { exportXmlText, getAttribute, importXml } from '../../../src/core/xml/index.ts';
import { generateAppSet } from '../../support/xml-corpus.ts';

const TOLERANT = `<?xml version="1.0"?>
<AppSet>
  <AppSetWide>
    <AppName>Pro Tools</AppName>
    <CreationDate>Mon May 23 11:09:16 2005</CreationDate>
  </AppSetWide>
  <Section ID="A">
    <Bank ID="1" SIZE="3">
      <SoftKey Label="Save" Colour="Red" ICON="disk"><Command>File.Save</Command></SoftKey>
      <Button><LABEL>Play</LABEL><color>Green</color><Unknown weird="yes">kept <b>as</b> is</Unknown></Button>
      <Key LABEL="Macro">
        <Macro>
          <Step N="1"/>
          <Step N="2"/>
          <Step N="3"/>
        </Macro>
      </Key>
    </Bank>
  </Section>
</AppSet>
`;

function load(text = TOLERANT): Y.Doc {
  const doc = new Y.Doc();
  importXml(doc, new TextEncoder().encode(text), 'Pro Tools.xml');
  return doc;
}

test('every child of a Bank is a key; label, colour, icon, command found by any casing, attribute or element', () => {
  const doc = load();
  assert.ok(isAppSet(doc));
  const [section] = readAppSet(doc);
  assert.is(section!.sectionId, 'A');
  const bank = section!.banks[0]!;
  assert.is(bank.size, 3);
  const [save, play, macro] = bank.keys;
  assert.equal(
    [save!.element, save!.label, save!.colour, save!.icon, save!.command],
    ['SoftKey', 'Save', 'Red', 'disk', 'File.Save'],
  );
  assert.equal([play!.label, play!.colour, play!.icon], ['Play', 'Green', null]);
  assert.is(macro!.steps.length, 3);
});

test('editing a label where it lives leaves unknown content byte-identical', () => {
  const doc = load();
  const play = readAppSet(doc)[0]!.banks[0]!.keys[1]!;
  writeField(doc, play.id, 'label', 'Stop');
  writeField(doc, play.id, 'icon', 'square');
  assert.is(
    exportXmlText(doc),
    TOLERANT.replace('<LABEL>Play</LABEL>', '<LABEL>Stop</LABEL>').replace('<Button>', '<Button ICON="square">'),
  );
  assert.is(readKey(doc, play.id).label, 'Stop');
});

test('macro steps: add, remove and reorder keep one step per line', () => {
  const doc = load();
  const key = readAppSet(doc)[0]!.banks[0]!.keys[2]!.id;
  const n = () => keySteps(doc, key).map((s) => getAttribute(doc, s, 'N'));
  addMacroStep(doc, key, 1, [['N', 'new']]);
  assert.equal(n(), ['1', 'new', '2', '3']);
  removeMacroStep(doc, keySteps(doc, key)[0]!);
  assert.equal(n(), ['new', '2', '3']);
  moveMacroStep(doc, key, keySteps(doc, key)[2]!, 0);
  assert.equal(n(), ['3', 'new', '2']);
  moveMacroStep(doc, key, keySteps(doc, key)[0]!, 2);
  assert.equal(n(), ['new', '2', '3']);
  assert.match(
    exportXmlText(doc),
    /<Macro>\n {10}<Step N="new"\/>\n {10}<Step N="2"\/>\n {10}<Step N="3"\/>\n {8}<\/Macro>/,
  );
});

test('a key without macro gets one on its first step', () => {
  const doc = load();
  const save = readAppSet(doc)[0]!.banks[0]!.keys[0]!.id;
  addMacroStep(doc, save, 0, [['COMMAND', 'a']]);
  assert.is(keySteps(doc, save).length, 1);
  assert.match(exportXmlText(doc), /<Command>File.Save<\/Command><Macro><Step COMMAND="a"\/><\/Macro><\/SoftKey>/);
});

test('copying a bank duplicates its keys after the original; the original is untouched', () => {
  const doc = load(generateAppSet({ seed: 2, sections: 1, banksPerSection: 1, keysPerBank: 4 }));
  const section = readAppSet(doc)[0]!;
  const copy = copyBank(doc, section.banks[0]!.id, section.id);
  const banks = readAppSet(doc)[0]!.banks;
  assert.is(banks.length, 2);
  assert.is(banks[1]!.id, copy);
  assert.equal(
    banks[1]!.keys.map((k) => [k.label, k.colour, k.steps.length]),
    banks[0]!.keys.map((k) => [k.label, k.colour, k.steps.length]),
  );
  const reimported = load(exportXmlText(doc));
  assert.is(readAppSet(reimported)[0]!.banks.length, 2);
});

test('find a key by label, case-insensitive substring', () => {
  const doc = load();
  assert.equal(
    findKeysByLabel(doc, 'sav').map((k) => k.label),
    ['Save'],
  );
  assert.equal(findKeysByLabel(doc, 'nothing'), []);
});

test('AppSetWide fields read and set; custom wheel functions listed', () => {
  const doc = load(generateAppSet({ seed: 1, sections: 1, banksPerSection: 1, keysPerBank: 1 }));
  const fields = Object.fromEntries(appSetWideFields(doc).map((f) => [f.name, f.value]));
  assert.is(fields.AppName, 'Pro Tools');
  assert.is(fields.CreationDate, 'Mon May 23 11:09:16 2005');
  assert.is(fields.Notes, 'Generated & checked');
  setAppSetWideField(doc, 'Author', 'Someone');
  setAppSetWideField(doc, 'TargetHost', 'studio-b');
  assert.is(Object.fromEntries(appSetWideFields(doc).map((f) => [f.name, f.value])).Author, 'Someone');
  const wheels = customWheelFunctions(doc);
  assert.is(wheels.length, 4);
  assert.equal(
    wheels[0]!.attributes.map((a) => a.name),
    ['NAME', 'SIZE', 'TYPE', 'UID'],
  );
});

test.run();

/**
 * The worker-boundary API (what workers/xml.worker.ts and the main-thread fallback run):
 * import returns a Yjs update for the caller's doc, export takes an encoded state, failures
 * come back as values carrying file, line and column.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as Y from 'yjs';
import { exportFromState, failureToError, importToUpdate } from '../../../src/core/xml/transfer.ts';
import { exportXml, getAttribute, rootElement, setAttribute } from '../../../src/core/xml/index.ts';

const utf8 = (s: string) => new TextEncoder().encode(s);

test('an import update applied to an app doc gives the model; the app meta map is left alone', () => {
  const doc = new Y.Doc();
  doc.getMap('meta').set('name', 'My set');
  const out = importToUpdate(utf8('<a x="1"/>'), 'a.xml');
  assert.ok(out.ok);
  if (!out.ok) return;
  assert.is(out.result.rootName, 'a');
  Y.applyUpdate(doc, out.update);
  assert.is(getAttribute(doc, rootElement(doc), 'x'), '1');
  assert.is(doc.getMap('meta').get('name'), 'My set');
});

test('re-importing with the current state replaces the earlier model', () => {
  const doc = new Y.Doc();
  const first = importToUpdate(utf8('<a x="1"/>'), 'a.xml');
  if (!first.ok) return assert.unreachable();
  Y.applyUpdate(doc, first.update);
  setAttribute(doc, rootElement(doc), 'x', 'edited');
  const second = importToUpdate(utf8('<b y="2"/>'), 'b.xml', Y.encodeStateAsUpdate(doc));
  if (!second.ok) return assert.unreachable();
  Y.applyUpdate(doc, second.update);
  assert.equal(exportXml(doc), utf8('<b y="2"/>'));
});

test('export from an encoded state: unedited gives the stored bytes, edited the serialised file', () => {
  const bytes = utf8('<?xml version="1.0"?>\r\n<a  x="1"/>\r\n');
  const doc = new Y.Doc();
  const out = importToUpdate(bytes, 'a.xml');
  if (!out.ok) return assert.unreachable();
  Y.applyUpdate(doc, out.update);
  const plain = exportFromState(Y.encodeStateAsUpdate(doc));
  assert.ok(plain.ok && Buffer.from(plain.bytes).equals(Buffer.from(bytes)));
  setAttribute(doc, rootElement(doc), 'x', '2');
  const edited = exportFromState(Y.encodeStateAsUpdate(doc));
  assert.ok(edited.ok && new TextDecoder().decode(edited.bytes) === '<?xml version="1.0"?>\r\n<a  x="2"/>\r\n');
});

test('a malformed file comes back as a failure value with file, line and column', () => {
  const out = importToUpdate(utf8('<a>\n<b></a>'), 'bad.xml');
  assert.not.ok(out.ok);
  if (out.ok) return;
  assert.equal([out.fileName, out.line, out.column], ['bad.xml', 2, 4]);
  assert.is(failureToError(out).message, out.message);
});

test('exporting a doc without an XML model is a failure, not a crash', () => {
  const out = exportFromState(Y.encodeStateAsUpdate(new Y.Doc()));
  assert.not.ok(out.ok);
});

test.run();

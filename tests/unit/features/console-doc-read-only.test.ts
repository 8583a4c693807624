/**
 * A document shared read-only never changes through the console editors' write path: edit,
 * undo and redo all refuse while read-only, so the editor never shows a local change the relay
 * would drop. (The e2e in tests/e2e/accounts.test.ts drives the same through the UI.)
 */
import { createRoot, createSignal } from 'solid-js';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as Y from 'yjs';
import { createConsoleDoc } from '../../../src/features/console/console-doc.ts';
import { XML_ROOT } from '../../../src/core/xml/index.ts';

test('read-only: edit does not run, undo and redo leave the document as it is', () => {
  createRoot((dispose) => {
    const doc = new Y.Doc();
    const [readOnly, setReadOnly] = createSignal(false);
    const errors: unknown[] = [];
    const cd = createConsoleDoc(doc, (e) => errors.push(e), undefined, readOnly);
    const root = doc.getMap(XML_ROOT);
    assert.ok(
      cd.edit(() => root.set('probe', 1)),
      'editable: the edit runs',
    );
    setReadOnly(true);
    let ran = false;
    assert.not.ok(
      cd.edit(() => {
        ran = true;
        root.set('probe', 2);
      }),
    );
    assert.not.ok(ran, 'the edit function never ran');
    cd.undo();
    assert.is(root.get('probe'), 1, 'undo refused while read-only');
    setReadOnly(false);
    cd.undo();
    assert.is(root.get('probe'), undefined, 'undo works again once editable');
    setReadOnly(true);
    cd.redo();
    assert.is(root.get('probe'), undefined, 'redo refused while read-only');
    assert.is(errors.length, 0);
    dispose();
  });
});

test.run();

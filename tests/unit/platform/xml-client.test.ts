/**
 * The XML client's contract, the same whatever happens to its worker: an import lands in the
 * doc, an export gives the file back, a bad file is an XmlError with its line, and a worker
 * that cannot start or dies leaves the user with a working import on the main thread. Runs in
 * Node: the worker is a real comlink endpoint over a MessageChannel exposing the same core API
 * as workers/xml.worker.ts (tests/support/fake-worker.ts).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as Y from 'yjs';
import { XmlError } from '../../../src/core/xml/errors.ts';
import { checkEditedText, exportFromState, importToUpdate, type XmlWorkerApi } from '../../../src/core/xml/transfer.ts';
import { makeXmlClient, type XmlClient } from '../../../src/platform/xml-client.ts';
import { makeFakeWorker, type FakeWorker } from '../../support/fake-worker.ts';

const utf8 = (s: string) => new TextEncoder().encode(s);
const coreApi: XmlWorkerApi = { importFile: importToUpdate, exportFile: exportFromState, checkText: checkEditedText };

/** Each way the client can be set up, with whether calls should end up in the worker. */
const setups: Array<{ name: string; worker: boolean; make: () => XmlClient }> = [
  { name: 'a live worker', worker: true, make: () => makeXmlClient(() => makeFakeWorker(coreApi)) },
  { name: 'no Worker at all', worker: false, make: () => makeXmlClient(() => null) },
  {
    name: 'a Worker constructor that throws',
    worker: false,
    make: () =>
      makeXmlClient(() => {
        throw new Error('blocked by CSP');
      }),
  },
  {
    name: 'a worker whose module fails with a ReferenceError',
    worker: false,
    make: () =>
      makeXmlClient(() => {
        const w = makeFakeWorker(null);
        setTimeout(() => w.fail('Uncaught ReferenceError: window is not defined'), 5);
        return w;
      }),
  },
];

/** Runs `body` with a fresh client, disposed even when an assertion fails (an open port would keep Node alive). */
async function withClient(make: () => XmlClient, body: (client: XmlClient) => Promise<void>): Promise<void> {
  const client = make();
  try {
    await body(client);
  } finally {
    client.dispose();
  }
}

for (const setup of setups) {
  test(`${setup.name}: an import lands in the doc and exports back byte for byte`, () =>
    withClient(setup.make, async (client) => {
      const doc = new Y.Doc();
      const bytes = utf8('<?xml version="1.0"?>\r\n<a  x="1"><b/></a>\r\n');
      const result = await client.importFile(doc, bytes, 'a.xml');
      assert.is(result.rootName, 'a');
      assert.equal(await client.exportFile(doc), bytes);
      assert.is(client.usesWorker, setup.worker);
    }));

  test(`${setup.name}: a malformed file is an XmlError naming file and line, and the doc is unchanged`, () =>
    withClient(setup.make, async (client) => {
      const doc = new Y.Doc();
      try {
        await client.importFile(doc, utf8('<a>\n<b>\n</a>'), 'bad.xml');
        assert.unreachable('the import should fail');
      } catch (error) {
        assert.instance(error, XmlError);
        assert.is((error as XmlError).fileName, 'bad.xml');
        assert.ok((error as XmlError).line !== undefined);
      }
      assert.is(doc.store.clients.size, 0, 'nothing was written to the doc');
      assert.is(client.usesWorker, setup.worker, 'a bad file is not a worker failure');
    }));

  test(`${setup.name}: edited raw text is checked; an error comes back with its line and column`, () =>
    withClient(setup.make, async (client) => {
      await client.checkText('<a>\n  <b x="1"/>\n</a>');
      try {
        await client.checkText('<a>\n  <b x="1>\n</a>');
        assert.unreachable('the check should fail');
      } catch (error) {
        assert.instance(error, XmlError);
        assert.equal([(error as XmlError).line, (error as XmlError).column], [2, 8]);
      }
      assert.is(client.usesWorker, setup.worker, 'bad text is not a worker failure');
    }));
}

test('Regression: a worker that dies during an import (error event, ReferenceError) falls back; the import still lands', async () => {
  let worker: FakeWorker | null = null;
  await withClient(
    () => makeXmlClient(() => (worker = makeFakeWorker(null))),
    async (client) => {
      assert.ok(client.usesWorker);
      const importing = client.importFile(new Y.Doc(), utf8('<a x="1"/>'), 'a.xml');
      setTimeout(() => worker!.fail('Uncaught ReferenceError: undefinedThing is not defined'), 5);
      const result = await importing;
      assert.is(result.rootName, 'a');
      assert.not.ok(client.usesWorker);
    },
  );
});

test.run();

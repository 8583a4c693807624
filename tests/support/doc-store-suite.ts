/**
 * The acceptance suite every DocStore implementation must pass (src/platform/docs/doc-store.ts):
 * `runDocStoreTests('Name', setup)` registers and runs an uvu suite against it.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DamagedDocumentError, type DocStore } from '../../src/platform/docs/doc-store.ts';

export interface DocStoreFixture {
  store: DocStore;
  /** A new store instance on the same storage (as after a page reload). */
  reopen(): Promise<DocStore>;
  /** Adds an update to `id`'s stored data that cannot be applied (the document must exist). */
  corrupt(id: string): Promise<void>;
  teardown(): Promise<void>;
}

/** Opens `id`, runs `edit` on its doc once loaded, and closes it. */
async function write(store: DocStore, id: string, edit: (doc: import('yjs').Doc) => void): Promise<void> {
  const handle = store.open(id);
  await handle.whenSynced;
  edit(handle.doc);
  await handle.close();
}

async function read<T>(store: DocStore, id: string, look: (doc: import('yjs').Doc) => T): Promise<T> {
  const handle = store.open(id);
  try {
    await handle.whenSynced;
    return look(handle.doc);
  } finally {
    await handle.close();
  }
}

export function runDocStoreTests(name: string, setup: () => Promise<DocStoreFixture>): void {
  const it = suite<{ fx: DocStoreFixture }>(`DocStore contract: ${name}`, {
    fx: undefined as unknown as DocStore & DocStoreFixture,
  });
  it.before.each(async (context) => {
    context.fx = await setup();
  });
  it.after.each(async (context) => {
    await context.fx.teardown();
  });

  it('an unknown document opens empty and loads at once', async ({ fx }) => {
    assert.is(await read(fx.store, 'nobody', (doc) => doc.getMap('meta').size), 0);
  });

  it('what was written is there after a reload, edit for edit', async ({ fx }) => {
    await write(fx.store, 'doc1', (doc) => {
      doc.getMap('meta').set('name', 'Mix A');
    });
    await write(fx.store, 'doc1', (doc) => {
      doc.getArray<string>('items').push(['one', 'two']);
    });
    const reopened = await fx.reopen();
    assert.equal(
      await read(reopened, 'doc1', (doc) => [doc.getMap('meta').get('name'), doc.getArray('items').toArray()]),
      ['Mix A', ['one', 'two']],
    );
  });

  it('two handles on one id share the Y.Doc, which lives until the last one closes', async ({ fx }) => {
    const a = fx.store.open('doc1');
    const b = fx.store.open('doc1');
    await Promise.all([a.whenSynced, b.whenSynced]);
    assert.ok(a.doc === b.doc);
    a.doc.getMap('meta').set('name', 'shared');
    await a.close();
    await a.close();
    assert.not.ok(b.doc.isDestroyed, 'a second close of the same handle does not close the other');
    assert.is(b.doc.getMap('meta').get('name'), 'shared');
    await b.close();
    assert.ok(b.doc.isDestroyed);
  });

  it('listStored names every document with stored data; destroy removes it for good', async ({ fx }) => {
    await write(fx.store, 'keep', (doc) => {
      doc.getMap('meta').set('name', 'keep');
    });
    await write(fx.store, 'drop', (doc) => {
      doc.getMap('meta').set('name', 'drop');
    });
    assert.equal((await fx.store.listStored()).sort(), ['drop', 'keep']);
    await fx.store.destroy('drop');
    assert.equal(await fx.store.listStored(), ['keep']);
    const reopened = await fx.reopen();
    assert.equal(await reopened.listStored(), ['keep']);
    assert.is(await read(reopened, 'drop', (doc) => doc.getMap('meta').size), 0);
  });

  it('a document whose stored data cannot be applied is reported as damaged, naming it, instead of hanging', async ({
    fx,
  }) => {
    await write(fx.store, 'bad', (doc) => {
      doc.getMap('meta').set('name', 'bad');
    });
    await fx.corrupt('bad');
    const reopened = await fx.reopen();
    const handle = reopened.open('bad');
    try {
      await handle.whenSynced;
      assert.unreachable('a damaged document must not load');
    } catch (error) {
      assert.instance(error, DamagedDocumentError);
      assert.is((error as DamagedDocumentError).docId, 'bad');
    } finally {
      await handle.close();
    }
  });

  it.run();
}

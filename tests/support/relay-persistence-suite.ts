/**
 * The acceptance suite every DocPersistence implementation must pass (automerge-repo style):
 * `runPersistenceTests('Name', setup)` registers and runs an uvu suite against it.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as Y from 'yjs';
import type { DocPersistence } from '../../sync-server/relay/index.ts';

export interface PersistenceFixture {
  persistence: DocPersistence;
  /** Closes `persistence` and opens a new instance on the same storage. */
  reopen(): Promise<DocPersistence>;
  teardown(): Promise<void>;
}

/** Builds a document from stored updates. */
export function docFrom(updates: Uint8Array[]): Y.Doc {
  const doc = new Y.Doc();
  for (const update of updates) Y.applyUpdate(doc, update);
  return doc;
}

/** One small update per call: appends `value` to the array 'items' of `source`. */
export function appendItem(source: Y.Doc, value: string): Uint8Array {
  let captured: Uint8Array | null = null;
  const capture = (update: Uint8Array) => {
    captured = update;
  };
  source.on('update', capture);
  source.getArray<string>('items').push([value]);
  source.off('update', capture);
  if (!captured) throw new Error('no update produced');
  return captured;
}

export function runPersistenceTests(name: string, setup: () => Promise<PersistenceFixture>): void {
  const it = suite<{ fx: PersistenceFixture }>(`DocPersistence contract: ${name}`, {
    fx: undefined as unknown as PersistenceFixture,
  });
  it.before.each(async (context) => {
    context.fx = await setup();
  });
  it.after.each(async (context) => {
    await context.fx.teardown();
  });

  it('an unknown document loads as an empty log', async ({ fx }) => {
    assert.equal(await fx.persistence.load('nobody-wrote-me'), []);
  });

  it('every appended update is loaded back, and survives reopening the store', async ({ fx }) => {
    const source = new Y.Doc();
    for (let i = 0; i < 5; i++) await fx.persistence.appendUpdate('doc-a', appendItem(source, `v${i}`));
    assert.equal(
      docFrom(await fx.persistence.load('doc-a'))
        .getArray('items')
        .toArray(),
      ['v0', 'v1', 'v2', 'v3', 'v4'],
    );
    const reopened = await fx.reopen();
    assert.equal(
      docFrom(await reopened.load('doc-a'))
        .getArray('items')
        .toArray(),
      ['v0', 'v1', 'v2', 'v3', 'v4'],
    );
  });

  it('appends that were not awaited individually are all stored once awaited together', async ({ fx }) => {
    const source = new Y.Doc();
    await Promise.all(
      Array.from({ length: 50 }, (_, i) => fx.persistence.appendUpdate('burst', appendItem(source, `b${i}`))),
    );
    assert.is(docFrom(await fx.persistence.load('burst')).getArray('items').length, 50);
  });

  it('a burst larger than one commit batch, over several documents, is stored once each, byte for byte', async ({
    fx,
  }) => {
    // Every byte value inside the updates (binary content of a Y.Array), so an encoding slip
    // on the way into the store (hex, escapes, text columns) shows.
    const everyByte = Uint8Array.from({ length: 256 }, (_, i) => i);
    const sources = Array.from({ length: 7 }, () => new Y.Doc());
    const appends: Promise<void>[] = [];
    const sent = sources.map(() => [] as string[]);
    for (let i = 0; i < 1300; i++) {
      const d = i % sources.length;
      const source = sources[d]!;
      let update: Uint8Array | null = null;
      const capture = (u: Uint8Array) => (update = u);
      source.on('update', capture);
      source.getArray<Uint8Array | string>('items').push([`n${i}`, everyByte]);
      source.off('update', capture);
      sent[d]!.push(Buffer.from(update!).toString('hex'));
      appends.push(fx.persistence.appendUpdate(`burst-${d}`, update!));
    }
    await Promise.all(appends);
    for (let d = 0; d < sources.length; d++) {
      const stored = (await fx.persistence.load(`burst-${d}`)).map((u) => Buffer.from(u).toString('hex'));
      assert.equal([...stored].sort(), [...sent[d]!].sort(), `document ${d}: every update once, unchanged`);
      const items = docFrom(await fx.persistence.load(`burst-${d}`)).getArray<Uint8Array | string>('items');
      assert.equal(items.get(1), everyByte);
    }
  });

  it('documents are kept apart', async ({ fx }) => {
    const one = new Y.Doc();
    const two = new Y.Doc();
    await fx.persistence.appendUpdate('one', appendItem(one, 'first'));
    await fx.persistence.appendUpdate('two', appendItem(two, 'second'));
    assert.equal(
      docFrom(await fx.persistence.load('one'))
        .getArray('items')
        .toArray(),
      ['first'],
    );
    assert.equal(
      docFrom(await fx.persistence.load('two'))
        .getArray('items')
        .toArray(),
      ['second'],
    );
  });

  it('compaction merges the log into one update with the same content', async ({ fx }) => {
    const source = new Y.Doc();
    for (let i = 0; i < 20; i++) await fx.persistence.appendUpdate('compact-me', appendItem(source, `c${i}`));
    source.getArray('items').delete(0, 5);
    await fx.persistence.appendUpdate('compact-me', Y.encodeStateAsUpdate(source));
    await fx.persistence.compact('compact-me');
    const log = await fx.persistence.load('compact-me');
    assert.is(log.length, 1);
    assert.equal(docFrom(log).getArray('items').toArray(), source.getArray('items').toArray());
    assert.equal((await fx.persistence.logSize('compact-me')).updates, 1);
  });

  it('appends made while compaction runs are not lost', async ({ fx }) => {
    const source = new Y.Doc();
    for (let i = 0; i < 30; i++) await fx.persistence.appendUpdate('busy', appendItem(source, `before${i}`));
    // Appends one after the other, each awaited, so some land while the merge is under way.
    const appendMeanwhile = async () => {
      for (let i = 0; i < 30; i++) {
        await fx.persistence.appendUpdate('busy', appendItem(source, `during${i}`));
        if (i % 3 === 0) await new Promise((next) => setTimeout(next, 1));
      }
    };
    await Promise.all([fx.persistence.compact('busy'), appendMeanwhile()]);
    await fx.persistence.compact('busy');
    const doc = docFrom(await fx.persistence.load('busy'));
    assert.equal(doc.getArray('items').toArray(), source.getArray('items').toArray());
    assert.is(doc.getArray('items').length, 60);
  });

  it('list names the stored documents and delete removes exactly one', async ({ fx }) => {
    const source = new Y.Doc();
    await fx.persistence.appendUpdate('keep', appendItem(source, 'k'));
    await fx.persistence.appendUpdate('drop', appendItem(source, 'd'));
    assert.equal((await fx.persistence.list()).sort(), ['drop', 'keep']);
    await fx.persistence.delete('drop');
    assert.equal(await fx.persistence.list(), ['keep']);
    assert.equal(await fx.persistence.load('drop'), []);
    assert.is((await fx.persistence.load('keep')).length, 1);
  });

  it('a closed store refuses further appends instead of dropping them silently', async ({ fx }) => {
    await fx.persistence.close();
    let failed = false;
    await fx.persistence.appendUpdate('late', appendItem(new Y.Doc(), 'x')).catch(() => {
      failed = true;
    });
    assert.ok(failed);
  });

  it.run();
}

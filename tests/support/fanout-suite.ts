/**
 * The acceptance suite every Fanout implementation must pass (sync-server/relay/fanout.ts):
 * `runFanoutTests('Name', setup)` registers and runs an uvu suite against it. Delivery may be
 * asynchronous (a Redis fan-out will be), so the suite waits for messages instead of
 * expecting them synchronously, and checks absence after a later message has arrived.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Fanout, FanoutMessage } from '../../sync-server/relay/fanout.ts';

export interface FanoutFixture {
  /** Two handles on the same fan-out (for a networked one, two processes' clients; in process, the same object twice). */
  publisher: Fanout;
  subscriber: Fanout;
  teardown(): Promise<void>;
}

function collector() {
  const received: FanoutMessage[] = [];
  return {
    received,
    listener: (message: FanoutMessage) => {
      received.push(message);
    },
  };
}

/** Waits (bounded) until `check` holds; delivery may be asynchronous. */
async function until(check: () => boolean, what: string, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const message = (n: number, kind: FanoutMessage['kind'] = 'update', origin = 'conn-a'): FanoutMessage => ({
  kind,
  payload: new Uint8Array([n, n + 1, n + 2]),
  origin,
});

export function runFanoutTests(name: string, setup: () => Promise<FanoutFixture>): void {
  const it = suite<{ fx: FanoutFixture }>(`Fanout contract: ${name}`, { fx: undefined as unknown as FanoutFixture });
  it.before.each(async (context) => {
    context.fx = await setup();
  });
  it.after.each(async (context) => {
    await context.fx.teardown();
  });

  it('a published message reaches every subscriber of its document, kind, payload and origin intact', async ({
    fx,
  }) => {
    const a = collector(),
      b = collector();
    fx.subscriber.subscribe('doc1', a.listener);
    fx.subscriber.subscribe('doc1', b.listener);
    fx.publisher.publish('doc1', message(7, 'awareness', 'conn-x'));
    await until(() => a.received.length === 1 && b.received.length === 1, 'both subscribers');
    for (const got of [a.received[0]!, b.received[0]!]) {
      assert.is(got.kind, 'awareness');
      assert.is(got.origin, 'conn-x');
      assert.equal([...got.payload], [7, 8, 9]);
    }
  });

  it('a subscriber of another document hears nothing', async ({ fx }) => {
    const other = collector(),
      mine = collector();
    fx.subscriber.subscribe('doc2', other.listener);
    fx.subscriber.subscribe('doc1', mine.listener);
    fx.publisher.publish('doc1', message(1));
    fx.publisher.publish('doc1', message(2));
    await until(() => mine.received.length === 2, 'the doc1 subscriber');
    assert.is(other.received.length, 0);
  });

  it('messages of one document arrive in the order they were published', async ({ fx }) => {
    const c = collector();
    fx.subscriber.subscribe('doc1', c.listener);
    for (let n = 0; n < 20; n++) fx.publisher.publish('doc1', message(n));
    await until(() => c.received.length === 20, 'twenty messages');
    assert.equal(
      c.received.map((m) => m.payload[0]),
      Array.from({ length: 20 }, (_, n) => n),
    );
  });

  it('after unsubscribe a listener hears nothing more; the others still do; unsubscribing twice is harmless', async ({
    fx,
  }) => {
    const gone = collector(),
      stays = collector();
    const unsubscribe = fx.subscriber.subscribe('doc1', gone.listener);
    fx.subscriber.subscribe('doc1', stays.listener);
    fx.publisher.publish('doc1', message(1));
    await until(() => gone.received.length === 1 && stays.received.length === 1, 'the first message');
    unsubscribe();
    unsubscribe();
    fx.publisher.publish('doc1', message(2));
    await until(() => stays.received.length === 2, 'the second message');
    assert.is(gone.received.length, 1);
  });

  it('publishing to a document nobody listens to is harmless, and a later subscriber starts from then', async ({
    fx,
  }) => {
    fx.publisher.publish('doc3', message(1));
    const late = collector();
    fx.subscriber.subscribe('doc3', late.listener);
    fx.publisher.publish('doc3', message(2));
    await until(() => late.received.length >= 1, 'the message after subscribing');
    assert.equal(
      late.received.map((m) => m.payload[0]),
      [2],
    );
  });

  it.run();
}

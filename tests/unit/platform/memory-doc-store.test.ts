import { MemoryDocStore } from '../../../src/platform/docs/memory-doc-store.ts';
import { runDocStoreTests } from '../../support/doc-store-suite.ts';

runDocStoreTests('MemoryDocStore', async () => {
  const logs = new Map<string, Uint8Array[]>();
  return {
    store: new MemoryDocStore(logs),
    async reopen() {
      return new MemoryDocStore(logs);
    },
    async corrupt(id) {
      logs.get(id)!.push(new Uint8Array([0, 255, 255, 255, 7]));
    },
    async teardown() {},
  };
});

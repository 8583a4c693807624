import { MemoryPersistence } from '../../../sync-server/relay/index.ts';
import { runPersistenceTests } from '../../support/relay-persistence-suite.ts';

runPersistenceTests('MemoryPersistence', async () => {
  const logs = new Map<string, Uint8Array[]>();
  const fixture = {
    persistence: new MemoryPersistence(logs),
    async reopen() {
      await fixture.persistence.close();
      fixture.persistence = new MemoryPersistence(logs);
      return fixture.persistence;
    },
    async teardown() { await fixture.persistence.close(); },
  };
  return fixture;
});

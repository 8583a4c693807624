import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { SqliteAccountStore } from '../../../sync-server/accounts/sqlite-account-store.ts';
import { runAccountStoreTests } from '../../support/account-store-suite.ts';
import { tempDataDir } from '../../support/relay-harness.ts';

runAccountStoreTests('SqliteAccountStore', async () => {
  const dir = tempDataDir();
  const file = join(dir, 'accounts.sqlite');
  const fixture = {
    store: new SqliteAccountStore(file, randomUUID),
    async reopen() {
      await fixture.store.close();
      fixture.store = new SqliteAccountStore(file, randomUUID);
      return fixture.store;
    },
    async teardown() {
      await fixture.store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return fixture;
});

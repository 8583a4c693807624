import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { MemoryPersistence } from '../../../sync-server/relay/index.ts';
import { runPersistenceTests } from '../../support/relay-persistence-suite.ts';

const memoryModule = fileURLToPath(new URL('../../../sync-server/relay/memory-persistence.ts', import.meta.url));

runPersistenceTests('MemoryPersistence', async () => {
  const logs = new Map<string, Uint8Array[]>();
  const fixture = {
    persistence: new MemoryPersistence(logs),
    async reopen() {
      await fixture.persistence.close();
      fixture.persistence = new MemoryPersistence(logs);
      return fixture.persistence;
    },
    async teardown() {
      await fixture.persistence.close();
    },
  };
  return fixture;
});

// Regression: memory-persistence.ts imported sqlite-persistence.ts for mergeToState, so tests
// and benchmarks that chose the in-memory store still loaded the native better-sqlite3 module.
test('loading MemoryPersistence does not load better-sqlite3', () => {
  const probe =
    `await import(${JSON.stringify(memoryModule)});` +
    "const { createRequire } = await import('node:module');" +
    "process.stdout.write(JSON.stringify(Object.keys(createRequire(import.meta.url).cache).filter((k) => k.includes('better-sqlite3'))));";
  const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', probe], {
    encoding: 'utf8',
  });
  assert.equal(JSON.parse(out), []);
});

test.run();

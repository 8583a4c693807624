/**
 * For the journal's kill test: appends one update after another to the SqlitePersistence at
 * argv[2] (document 'killed', items k0, k1, ...) and prints the index of each append once it
 * is acknowledged, until the test kills the process.
 *   node --import tsx tests/support/append-until-killed.ts <relay.sqlite>
 */
import * as Y from 'yjs';
import { SqlitePersistence } from '../../sync-server/relay/index.ts';
import { appendItem } from './relay-persistence-suite.ts';

const persistence = new SqlitePersistence({ file: process.argv[2]! });
const source = new Y.Doc();
for (let i = 0; ; i++) {
  await persistence.appendUpdate('killed', appendItem(source, `k${i}`));
  process.stdout.write(`${i}\n`);
}

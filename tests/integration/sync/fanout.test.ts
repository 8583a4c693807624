import { InProcessFanout } from '../../../sync-server/relay/fanout.ts';
import { runFanoutTests } from '../../support/fanout-suite.ts';

runFanoutTests('InProcessFanout', async () => {
  const fanout = new InProcessFanout();
  return { publisher: fanout, subscriber: fanout, async teardown() {} };
});

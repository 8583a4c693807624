/**
 * The relay the benchmarks run, compiled to JavaScript the way `npm run build` compiles the
 * server (scripts/build-node.ts, bundleForNode), so a bench measures what
 * `mixdesk serve` runs: no tsx loader, whose module-hooks thread and transform cache are in
 * a process started with `--import tsx` (about 30 MB of RSS, and CPU at start-up) but never in
 * a production server. The entry is tests/support/relay-child.ts (its settings by environment
 * are what the benches need); the bundle goes to build/bench/ inside the repository so that
 * its `import.meta.url` resolves node_modules (better-sqlite3 for the worker threads) as the
 * source does.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleForNode } from '../build-node.ts';

/** Builds the relay child; resolves with the path of the file to run with `node`. */
export async function compiledRelayChild(): Promise<string> {
  const outdir = fileURLToPath(new URL('../../build/bench', import.meta.url));
  await bundleForNode('tests/support/relay-child.ts', outdir);
  return join(outdir, 'relay-child.js');
}

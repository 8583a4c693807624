/**
 * Node arguments that run the `mixdesk` CLI in a child process, for tests of its subcommands:
 * `spawnSync(process.execPath, cliArgs('xml', 'roundtrip', file))`. They run the TypeScript
 * source through tsx (never a stale build/node/); tests/integration/server/cli-serve.test.ts
 * is the one that builds and runs the compiled bin/mixdesk.js.
 */
import { fileURLToPath } from 'node:url';

const entry = fileURLToPath(new URL('./cli-from-source.ts', import.meta.url));
// Resolved here, not by name: a test may run the CLI in a temporary folder with no node_modules.
const tsx = import.meta.resolve('tsx');

export const cliArgs = (...args: string[]): string[] => ['--import', tsx, entry, ...args];

/**
 * `mixdesk` run from its TypeScript source: `node --import tsx tests/support/cli-from-source.ts <args>`.
 * What bin/mixdesk.js does with the compiled build/node/, minus the build, so tests of a
 * subcommand see the code as it is now rather than whatever was last built.
 */
import { main } from '../../src/cli/main.ts';

process.exitCode = await main(process.argv.slice(2));

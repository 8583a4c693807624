#!/usr/bin/env node
// The `mixdesk` command. The CLI is TypeScript; tsx runs it without a separate build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));

#!/usr/bin/env node
// The `mixdesk` command. It runs the CLI compiled to JavaScript in build/node/ (`npm run build`
// or `npm run build:node` writes it), so a production server never transpiles at start-up.
// A checkout that has not been built yet (a fresh clone) still works: when tsx, a dev
// dependency, is installed, the TypeScript source runs through it, with a note on stderr. An
// install without dev dependencies has no tsx and cannot build, so it is told to build first.
import { existsSync } from 'node:fs';

const compiled = new URL('../build/node/main.js', import.meta.url);
let main;
if (existsSync(compiled)) {
  ({ main } = await import(compiled.href));
} else {
  let register;
  try {
    ({ register } = await import('tsx/esm/api'));
  } catch {
    console.error('mixdesk: the CLI is not built. Run `npm run build` (with the dev dependencies installed) first.');
    process.exit(1);
  }
  console.error(
    'mixdesk: no build in build/node/, running the TypeScript source through tsx (`npm run build` compiles it).',
  );
  register();
  ({ main } = await import('../src/cli/main.ts'));
}
process.exitCode = await main(process.argv.slice(2));

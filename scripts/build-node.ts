/**
 * Compiles the server and the CLI to JavaScript: src/cli/main.ts (and through `mixdesk serve`
 * the whole sync-server/) -> build/node/, which bin/mixdesk.js runs. Part of `npm run build`;
 * alone: `npm run build:node`.
 *
 * Why a bundle: a production server should not transpile TypeScript on every cold start, and
 * `mixdesk --help` should cost little more than Node itself. npm packages stay external (they
 * are installed beside it, and better-sqlite3 is native); every subcommand is its own chunk
 * (code splitting), so `--help` loads only the command table. build/node/ sits two folders
 * below the repository like src/cli/, so `new URL('../../dist', import.meta.url)` in serve.ts
 * finds the PWA from either. Not under dist/: that folder is served to browsers as static files.
 */
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

export const NODE_BUILD_DIR = fileURLToPath(new URL('../build/node', import.meta.url));
const root = fileURLToPath(new URL('..', import.meta.url));

/**
 * Bundles `entry` for Node into `outdir` (emptied first) the way `mixdesk` runs: npm packages
 * external, code split so that modules loaded only when configured (pg, ioredis, nodemailer)
 * stay in chunks of their own. Also used by the benchmarks (scripts/bench/compiled-relay.ts).
 */
export async function bundleForNode(entry: string, outdir: string): Promise<void> {
  rmSync(outdir, { recursive: true, force: true });
  await build({
    absWorkingDir: root,
    entryPoints: [entry],
    outdir,
    bundle: true,
    splitting: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'warning',
  });
}

/** Builds build/node/ from scratch; resolves when written. */
export function buildNode(): Promise<void> {
  return bundleForNode('src/cli/main.ts', NODE_BUILD_DIR);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await buildNode();
  console.log(`built ${NODE_BUILD_DIR}`);
}

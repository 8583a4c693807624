/** Starts the real Mixdesk server (as `npm start` does) on a free port over the built dist/. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { silentLogger } from '../../sync-server/relay/index.ts';
import { startServer, type RunningServer } from '../../sync-server/server.ts';

export async function startAppServer(): Promise<RunningServer & { dataDir: string }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'mixdesk-data-'));
  const running = await startServer({
    port: 0, host: '127.0.0.1', dataDir,
    // MIXDESK_DIST lets several builds be tested side by side (e.g. two engineers' work trees).
    staticDir: process.env.MIXDESK_DIST ?? fileURLToPath(new URL('../../dist', import.meta.url)),
    ...(process.env.DEBUG_E2E ? {} : { relay: { logger: silentLogger } }),
  });
  return {
    ...running, dataDir,
    close: async () => { await running.close(); rmSync(dataDir, { recursive: true, force: true }); },
  };
}

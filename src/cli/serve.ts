/** `mixdesk serve`: what `npm start` runs. PORT (default 8787) and MIXDESK_DATA (default ./data). */
import { fileURLToPath } from 'node:url';
import { startServer } from '../../sync-server/server.ts';

export async function serve(_args: string[]): Promise<number> {
  const port = Number(process.env.PORT ?? 8787);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`mixdesk serve: PORT must be a port number, got '${process.env.PORT}'`);
    return 2;
  }
  const running = await startServer({
    port,
    dataDir: process.env.MIXDESK_DATA ?? 'data',
    staticDir: fileURLToPath(new URL('../../dist', import.meta.url)),
  });
  console.log(`Mixdesk is running on ${running.url}`);
  const stop = () => {
    running.close().then(() => process.exit(0), (error: unknown) => {
      console.error('mixdesk serve: could not close cleanly:', error);
      process.exit(1);
    });
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  return new Promise<number>(() => { /* runs until a signal */ });
}

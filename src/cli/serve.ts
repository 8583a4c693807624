/**
 * `mixdesk serve`: what `npm start` runs. PORT (default 8787), MIXDESK_DATA (default ./data),
 * MIXDESK_SMTP_URL for sign-in PIN mail (without it PINs are printed here), MIXDESK_MAIL_FROM.
 */
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
    accounts: { smtpUrl: process.env.MIXDESK_SMTP_URL || undefined, mailFrom: process.env.MIXDESK_MAIL_FROM || undefined },
  });
  console.log(`Mixdesk is running on ${running.url}`);
  const stop = async () => { await running.close(); process.exit(0); };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  return new Promise<number>(() => { /* runs until a signal */ });
}

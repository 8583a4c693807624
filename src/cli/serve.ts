/**
 * `mixdesk serve`: what `npm start` runs. Settings from the environment (README, docs/server.md):
 *   PORT (default 8787), HOST (default 127.0.0.1: this machine only), MIXDESK_DATA (default ./data),
 *   MIXDESK_ORIGINS (origins allowed besides the server's own), MIXDESK_SOURCEMAPS=1,
 *   MIXDESK_TLS=1 (reached over https), MIXDESK_TRUST_PROXY=1 (believe X-Forwarded-Proto/-For).
 * A start-up failure (bad setting, port in use, damaged database) is one line on stderr, exit 1.
 *   MIXDESK_SMTP_URL for sign-in PIN mail (without it PINs are printed here), MIXDESK_MAIL_FROM.
 *   MIXDESK_DATABASE_URL=postgres://... keeps documents and accounts in PostgreSQL instead of SQLite.
 *   MIXDESK_REDIS_URL=redis://host:port: fan out through Redis Streams to the other server processes.
 *   MIXDESK_DRAIN_MS: on SIGTERM, answer /readyz 503 for this long before closing (behind a load balancer).
 */
import { fileURLToPath } from 'node:url';
import { installProcessGuards } from '../../sync-server/process-guards.ts';
import { startServer, DEFAULT_HOST } from '../../sync-server/server.ts';
import { parseOriginList } from '../../sync-server/http/allowed-hosts.ts';
import { parseDrainMs, shutDownOnSignals } from '../../sync-server/shutdown-on-signals.ts';

const flag = (name: string): boolean => process.env[name] === '1' || process.env[name] === 'true';

export async function serve(_args: string[]): Promise<number> {
  installProcessGuards();
  const port = Number(process.env.PORT ?? 8787);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`mixdesk serve: PORT must be a port number, got '${process.env.PORT}'`);
    return 2;
  }
  let origins: string[];
  let drainMs: number;
  try {
    origins = parseOriginList(process.env.MIXDESK_ORIGINS);
    drainMs = parseDrainMs(process.env.MIXDESK_DRAIN_MS);
  } catch (error) {
    console.error(`mixdesk serve: ${(error as Error).message}`);
    return 2;
  }
  let running: Awaited<ReturnType<typeof startServer>>;
  try {
    running = await startServer({
      port,
      host: process.env.HOST || DEFAULT_HOST,
      origins,
      sourceMaps: flag('MIXDESK_SOURCEMAPS'),
      tls: flag('MIXDESK_TLS'),
      trustProxy: flag('MIXDESK_TRUST_PROXY'),
      dataDir: process.env.MIXDESK_DATA ?? 'data',
      databaseUrl: process.env.MIXDESK_DATABASE_URL || undefined,
      redisUrl: process.env.MIXDESK_REDIS_URL || undefined,
      staticDir: fileURLToPath(new URL('../../dist', import.meta.url)),
      accounts: {
        smtpUrl: process.env.MIXDESK_SMTP_URL || undefined,
        mailFrom: process.env.MIXDESK_MAIL_FROM || undefined,
      },
    });
  } catch (error) {
    console.error(`mixdesk serve: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
  console.log(`Mixdesk is running on ${running.url}`);
  shutDownOnSignals(running, { name: 'mixdesk serve', drainMs });
  return new Promise<number>(() => {
    /* runs until a signal */
  });
}

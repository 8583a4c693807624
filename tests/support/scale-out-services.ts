/**
 * A real PostgreSQL and a real Redis for one scale-out test file, or null (after saying so)
 * when either is not installed outside CI (under CI=true a missing one is a failure; see
 * postgres-server.ts and redis-server.ts).
 */
import { startPostgres, type PostgresServer } from './postgres-server.ts';
import { redisOrSkip, type TestRedis } from './redis-server.ts';

export interface ScaleOutServices {
  postgres: PostgresServer;
  redis: TestRedis;
  stop(): Promise<void>;
}

export async function scaleOutServicesOrSkip(suiteName: string): Promise<ScaleOutServices | null> {
  const postgres = await startPostgres();
  if (!postgres) return null;
  const redis = await redisOrSkip(suiteName).catch(async (error: unknown) => {
    await postgres.stop();
    throw error;
  });
  if (!redis) {
    await postgres.stop();
    return null;
  }
  return {
    postgres,
    redis,
    async stop() {
      await redis.stop();
      await postgres.stop();
    },
  };
}

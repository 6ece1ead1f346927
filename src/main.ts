// `npm start`: configuration, database (PGlite in DATA_DIR unless DATABASE_URL), migrations, demo data, server.
import { ConfigError, loadConfig } from './config.js';
import { openDatabase } from './db/client.js';
import { seedDemoIfEmpty } from './demo/seed.js';
import { todayIso } from './domain/working-days.js';
import { createLogger } from './logger.js';
import { ensurePolicies } from './policy/service.js';
import { createHub } from './server.js';
import { demoTokens, startupBanner } from './banner.js';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger(config.LOG_LEVEL);
  const database = await openDatabase(
    config.DATABASE_URL
      ? {
          kind: 'postgres',
          url: config.DATABASE_URL,
          poolSize: config.DATABASE_POOL_SIZE,
          migrationUrl: config.DATABASE_MIGRATION_URL,
          replicaUrls: config.DATABASE_REPLICA_URLS,
          replicaCheckMs: config.DATABASE_REPLICA_CHECK_SECONDS * 1000,
          directUrl: config.DATABASE_DIRECT_URL,
        }
      : { kind: 'pglite', dataDir: config.DATA_DIR },
  );
  await database.migrate();
  logger.info({ database: database.kind, dataDir: database.kind === 'pglite' ? config.DATA_DIR : undefined }, 'database migrated');
  await ensurePolicies(database.db);
  const hub = await createHub({ config, database, logger });
  if (config.SEED_DEMO) {
    const started = performance.now();
    const seeded = await seedDemoIfEmpty(hub, database, {
      households: config.DEMO_HOUSEHOLDS,
      seed: config.DEMO_SEED,
      today: todayIso(new Date(), config.BUREAU_TIMEZONE),
    });
    if (seeded)
      logger.info(
        { households: config.DEMO_HOUSEHOLDS, seed: config.DEMO_SEED, seconds: Math.round((performance.now() - started) / 100) / 10 },
        'demo data written through the API',
      );
  }
  const url = await hub.listen(config.PORT, config.HOST);
  logger.info({ url }, 'hub listening');
  const tokens = await demoTokens(hub, config);
  console.log(
    startupBanner({
      url,
      database: database.kind === 'pglite' ? `embedded PGlite in ${config.DATA_DIR}` : 'PostgreSQL',
      tokens,
      operatorKey: !!config.AUTH_JWT_SECRET,
    }),
  );

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'draining requests');
    // a hard deadline; it also keeps the event loop alive while the drain awaits unref'd timers
    const deadline = setTimeout(() => {
      logger.error('shutdown took too long; exiting');
      process.exit(1);
    }, config.SHUTDOWN_GRACE_MS + 5_000);
    try {
      await hub.stop();
      await database.close();
      clearTimeout(deadline);
      logger.info('stopped cleanly');
      process.exit(0);
    } catch (error) {
      logger.error({ err: error }, 'shutdown failed');
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

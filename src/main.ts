// `npm start`: configuration, database (PGlite in DATA_DIR unless DATABASE_URL), migrations, demo data, server.
import { ConfigError, loadConfig } from './config.js';
import { openDatabase } from './db/client.js';
import { seedDemoIfEmpty } from './demo/generator.js';
import { todayIso } from './domain/working-days.js';
import { createLogger } from './logger.js';
import { ensurePolicies } from './policy/service.js';
import { createHub } from './server.js';

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
      ? { kind: 'postgres', url: config.DATABASE_URL, poolSize: config.DATABASE_POOL_SIZE }
      : { kind: 'pglite', dataDir: config.DATA_DIR },
  );
  await database.migrate();
  logger.info({ database: database.kind, dataDir: database.kind === 'pglite' ? config.DATA_DIR : undefined }, 'database migrated');
  await ensurePolicies(database.db);
  if (config.SEED_DEMO) {
    const seeded = await seedDemoIfEmpty(database, { households: config.DEMO_HOUSEHOLDS, seed: config.DEMO_SEED, today: todayIso() });
    if (seeded) logger.info({ households: config.DEMO_HOUSEHOLDS, seed: config.DEMO_SEED }, 'demo data written');
  }
  const hub = await createHub({ config, database, logger });
  const url = await hub.listen(config.PORT, config.HOST);
  logger.info({ url }, 'hub listening');
  console.log(`
Housing verification hub ready at ${url}  (database: ${database.kind === 'pglite' ? `embedded PGlite in ${config.DATA_DIR}` : 'PostgreSQL'})
Try:
  curl -s ${url} -H 'content-type: application/json' \\
    -d '{"query":"{ households(first: 3) { totalCount nodes { id status district { name } size currentHousing { perCapitaArea } tenancy { arrears { monthsUnpaid amountOutstanding } } } } }"}'
Health: ${url.replace('/graphql', '/healthz')}   Readiness: ${url.replace('/graphql', '/readyz')}
`);

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

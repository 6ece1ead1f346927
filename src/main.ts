// `npm start`: configuration, database (PGlite in DATA_DIR unless DATABASE_URL), migrations, demo data, server.
import { ConfigError, loadConfig } from './config.js';
import { openDatabase } from './db/client.js';
import { seedDemoIfEmpty } from './demo/seed.js';
import { todayIso } from './domain/working-days.js';
import { createLogger } from './logger.js';
import { ensurePolicies } from './policy/service.js';
import { createHub, type Hub } from './server.js';
import type { CallerClaims } from './auth/caller.js';

/** one token per role, so a newcomer can try each (not in production: tokens come from the identity provider) */
async function demoTokens(hub: Hub): Promise<[string, string][]> {
  const roles: [string, CallerClaims][] = [
    ['ADMIN', { sub: 'demo-admin', role: 'ADMIN' }],
    ['MANAGER', { sub: 'demo-manager', role: 'MANAGER' }],
    ['CASEWORKER (district KC-KCZ)', { sub: 'demo-caseworker', role: 'CASEWORKER', districts: ['KC-KCZ'] }],
    ['AGENCY (utilities)', { sub: 'demo-utilities', role: 'AGENCY', agency: 'utilities' }],
    ['AUDITOR', { sub: 'demo-auditor', role: 'AUDITOR' }],
    ['ALERT_CONSUMER (district KC-KCZ)', { sub: 'demo-alerts', role: 'ALERT_CONSUMER', districts: ['KC-KCZ'] }],
  ];
  return Promise.all(roles.map(async ([label, claims]) => [label, await hub.authenticator.issue(claims)] as [string, string]));
}

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
      ? { kind: 'postgres', url: config.DATABASE_URL, poolSize: config.DATABASE_POOL_SIZE, migrationUrl: config.DATABASE_MIGRATION_URL }
      : { kind: 'pglite', dataDir: config.DATA_DIR },
  );
  await database.migrate();
  logger.info({ database: database.kind, dataDir: database.kind === 'pglite' ? config.DATA_DIR : undefined }, 'database migrated');
  await ensurePolicies(database.db);
  const hub = await createHub({ config, database, logger });
  if (config.SEED_DEMO) {
    const started = performance.now();
    const seeded = await seedDemoIfEmpty(hub, database, { households: config.DEMO_HOUSEHOLDS, seed: config.DEMO_SEED, today: todayIso(new Date(), config.BUREAU_TIMEZONE) });
    if (seeded) logger.info({ households: config.DEMO_HOUSEHOLDS, seed: config.DEMO_SEED, seconds: Math.round((performance.now() - started) / 100) / 10 }, 'demo data written through the API');
  }
  const url = await hub.listen(config.PORT, config.HOST);
  logger.info({ url }, 'hub listening');
  const tokens = config.NODE_ENV === 'production' ? [] : await demoTokens(hub);
  console.log(`
Housing verification hub ready at ${url}  (database: ${database.kind === 'pglite' ? `embedded PGlite in ${config.DATA_DIR}` : 'PostgreSQL'})
${tokens.length ? `Demo tokens (12 h${config.AUTH_JWT_SECRET ? '' : ', signed with a key made for this run'}):
${tokens.map(([label, token]) => `  ${label.padEnd(44)} ${token}`).join('\n')}
` : ''}Try:
  TOKEN=<a token above>
  curl -s ${url} -H 'content-type: application/json' -H "authorization: Bearer $TOKEN" \\
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

// Hubs over a database a test made itself (a private primary with a replica, or pgbouncer in front),
// queried over HTTP like startTestHub's; several may share one database, as instances in production do.
import type { CallerClaims } from '../../src/auth/caller.js';
import { loadConfig } from '../../src/config.js';
import type { Database } from '../../src/db/client.js';
import { generateDemoData, writeDemoData } from '../../src/demo/generator.js';
import { createLogger } from '../../src/logger.js';
import { ensurePolicies } from '../../src/policy/service.js';
import { createHub } from '../../src/server.js';
import { ADMIN, TEST_JWT_SECRET, TEST_TODAY, type GraphQLResponse, type TestHub } from './hub.js';

/** policies and the five demo districts, as startTestHub writes them */
export async function prepareDatabase(database: Database): Promise<void> {
  await database.migrate();
  await ensurePolicies(database.db);
  await writeDemoData(database, generateDemoData({ households: 0, seed: 7, today: TEST_TODAY }));
}

/** a hub on `database` (not closed with it: the caller owns the database) */
export async function startHubOn(database: Database, env: Record<string, string> = {}): Promise<TestHub> {
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    JOBS_ENABLED: 'false',
    AUTH_JWT_SECRET: TEST_JWT_SECRET,
    RATE_LIMIT_PER_MINUTE: '100000',
    ...env,
  });
  const hub = await createHub({ config, database, logger: createLogger('silent'), clock: () => new Date(`${TEST_TODAY}T09:00:00`) });
  const url = await hub.listen(0, '127.0.0.1');
  const as = (caller: CallerClaims | string | null) => {
    const token = caller === null ? Promise.resolve(null) : typeof caller === 'string' ? Promise.resolve(caller) : hub.authenticator.issue(caller);
    return {
      token,
      async gql(query: string, variables?: Record<string, unknown>, headers: Record<string, string> = {}) {
        const bearer = await token;
        const res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(bearer ? { authorization: `Bearer ${bearer}` } : {}), ...headers },
          body: JSON.stringify({ query, variables }),
        });
        return { status: res.status, headers: res.headers, body: (await res.json()) as GraphQLResponse['body'] };
      },
    };
  };
  const admin = as(ADMIN);
  return {
    hub,
    database,
    url,
    gql: (query, variables) => admin.gql(query, variables),
    as,
    adminAuth: async () => `Bearer ${await admin.token}`,
    close: () => hub.stop(),
  };
}

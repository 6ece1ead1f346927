// A real hub on 127.0.0.1 over a test database, queried over HTTP like any client would.
import { loadConfig } from '../../src/config.js';
import type { CallerClaims } from '../../src/auth/caller.js';
import type { Database } from '../../src/db/client.js';
import { generateAgencyRecords } from '../../src/demo/agency-data.js';
import { feedAgencyRecords, generateDemoData, writeDemoData } from '../../src/demo/generator.js';
import { createLogger } from '../../src/logger.js';
import { ensurePolicies } from '../../src/policy/service.js';
import { createHub, type Hub } from '../../src/server.js';
import { openTestDatabase } from './db.js';

/** The working date every test hub runs on, so deadlines and arrears are reproducible. */
export const TEST_TODAY = '2026-11-23';

export interface GraphQLResponse<T = any> {
  status: number;
  headers: Headers;
  body: { data?: T | null; errors?: { message: string; path?: string[]; extensions?: Record<string, unknown> }[] };
}

export interface TestHub {
  hub: Hub;
  database: Database;
  url: string;
  /** as an ADMIN */
  gql<T = any>(query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse<T>>;
  /** as the caller these claims describe (or with this bearer token, or none) */
  as(caller: CallerClaims | string | null): {
    gql<T = any>(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<GraphQLResponse<T>>;
    token: Promise<string | null>;
  };
  /** the Authorization header of an ADMIN */
  adminAuth(): Promise<string>;
  close(): Promise<void>;
}

export const TEST_JWT_SECRET = 'test-secret-of-at-least-32-characters!!';
export const ADMIN: CallerClaims = { sub: 'admin@test', role: 'ADMIN' };

export interface TestHubOptions {
  households?: number;
  seed?: number;
  /** also feed the demo agency records */
  agencyFeeds?: boolean;
  env?: Record<string, string>;
  /** a fresh install: no districts either (the default writes the five demo districts) */
  bare?: boolean;
  /** the hub's clock (default: 09:00 on TEST_TODAY, local time) */
  clock?: () => Date;
}

export async function startTestHub(options: TestHubOptions = {}): Promise<TestHub> {
  const database = await openTestDatabase();
  await ensurePolicies(database.db);
  // districts always; demo households, and what agencies know of them, only when asked for
  const data = generateDemoData({ households: options.households ?? 0, seed: options.seed ?? 7, today: TEST_TODAY });
  if (!options.bare) await writeDemoData(database, data);
  if (options.agencyFeeds) await feedAgencyRecords(database, generateAgencyRecords(data, options.seed ?? 7, TEST_TODAY), TEST_TODAY);
  const t = await startHubOn(database, options.env, options.clock);
  return {
    ...t,
    async close() {
      await t.close();
      await database.close();
    },
  };
}

/** a hub on a database the caller opened (and closes: several hubs may share one, as instances in production do) */
export async function startHubOn(
  database: Database,
  env: Record<string, string> = {},
  clock: () => Date = () => new Date(`${TEST_TODAY}T09:00:00`),
): Promise<TestHub> {
  // the job queue only where a test asks for it (JOBS_ENABLED=true): it polls its tables
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    JOBS_ENABLED: 'false',
    AUTH_JWT_SECRET: TEST_JWT_SECRET,
    RATE_LIMIT_PER_MINUTE: '100000',
    ...env,
  });
  const hub = await createHub({ config, database, logger: createLogger('silent'), clock });
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

// A real hub on 127.0.0.1 over a test database, queried over HTTP like any client would.
import { loadConfig } from '../../src/config.js';
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
  gql<T = any>(query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse<T>>;
  close(): Promise<void>;
}

export interface TestHubOptions {
  households?: number;
  seed?: number;
  /** also feed the demo agency records */
  agencyFeeds?: boolean;
  env?: Record<string, string>;
}

export async function startTestHub(options: TestHubOptions = {}): Promise<TestHub> {
  const database = await openTestDatabase();
  await ensurePolicies(database.db);
  // districts always; demo households, and what agencies know of them, only when asked for
  const data = generateDemoData({ households: options.households ?? 0, seed: options.seed ?? 7, today: TEST_TODAY });
  await writeDemoData(database, data);
  if (options.agencyFeeds) await feedAgencyRecords(database, generateAgencyRecords(data, options.seed ?? 7, TEST_TODAY), TEST_TODAY);
  // the job queue only where a test asks for it (JOBS_ENABLED=true): it polls its tables
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', JOBS_ENABLED: 'false', ...options.env });
  const hub = await createHub({ config, database, logger: createLogger('silent'), clock: () => new Date(`${TEST_TODAY}T09:00:00`) });
  const url = await hub.listen(0, '127.0.0.1');
  return {
    hub,
    database,
    url,
    async gql(query, variables) {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query, variables }),
      });
      return { status: res.status, headers: res.headers, body: (await res.json()) as GraphQLResponse['body'] };
    },
    async close() {
      await hub.stop();
      await database.close();
    },
  };
}

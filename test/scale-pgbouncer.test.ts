// Issue 17, item 5: the hub behind pgbouncer (Debian's package) in transaction mode. What the hub asks of
// a connection outside a transaction: nothing but single statements (node-postgres sends unnamed
// prepared statements, which live for one Sync; the page read ahead is named only without a pooler,
// Database.namedStatements), so requests, feeds and bulk loads pass through it. What keeps session state connects straight to the primary (DATABASE_DIRECT_URL):
// LISTEN, the migration lock, the job queue, and the rate limits (their store names its statements).
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../src/db/client.js';
import { openTestDatabase, testDatabaseUrl } from './helpers/db.js';
import type { TestHub } from './helpers/hub.js';
import { missingPgbouncer, startPgbouncer, type Bouncer } from './helpers/pgbouncer.js';
import { prepareDatabase, raiseVacancyAlert, startHubOn, subscribeAlerts } from './helpers/scale.js';
import { buildHousehold } from './helpers/scenario.js';

const skip = missingPgbouncer ?? (testDatabaseUrl ? null : 'PostgreSQL only: runs in the PostgreSQL pass (TEST_DATABASE_URL)');
if (skip) console.warn(`scale-pgbouncer.test.ts skipped: ${skip}`);

describe.skipIf(skip !== null)('behind pgbouncer in transaction mode, LISTEN direct', () => {
  let direct: Awaited<ReturnType<typeof openTestDatabase>>;
  let bouncer: Bouncer;
  let database: Database;
  let t: TestHub;
  let name: string;

  beforeAll(async () => {
    direct = await openTestDatabase(2);
    name = new URL(direct.url!).pathname.slice(1);
    const server = new URL(testDatabaseUrl!);
    bouncer = await startPgbouncer({ host: server.hostname, port: Number(server.port || 5432) });
    // every request's statement through pgbouncer; migrations, LISTEN, jobs, rate limits direct
    database = await openDatabase({ kind: 'postgres', url: bouncer.url(name), directUrl: direct.url!, poolSize: 4 });
    await prepareDatabase(database);
    t = await startHubOn(database);
  });
  afterAll(async () => {
    await t?.close();
    await database?.close();
    await bouncer?.stop();
    await direct?.close();
  });

  /** pgbouncer's counts for the test database, once its stats (refreshed each second) show `after` */
  const statsAfter = async (before: { transactions: number }) => {
    for (let i = 0; i < 30; i++) {
      const now = await bouncer.stats(name);
      if (now.transactions > before.transactions) return now;
      await new Promise((r) => setTimeout(r, 200));
    }
    return bouncer.stats(name);
  };

  it('serves mutations and queries through pgbouncer', async () => {
    const before = await bouncer.stats(name);
    const id = await buildHousehold(t, {});
    const res = await t.gql(`query($id: ID!) { household(id: $id) { id size members { relation incomes { year annualIncome } } } }`, { id });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.household).toMatchObject({
      id,
      size: 2,
      members: [{ relation: 'HEAD', incomes: [{ annualIncome: 10_000 }] }, { relation: 'SPOUSE' }],
    });
    const after = await statsAfter(before);
    // registering, feeding and reading the household: dozens of statements, every one through pgbouncer
    expect(after.queries - before.queries).toBeGreaterThan(20);
  });

  it('reads pages ahead through pgbouncer in unnamed statements, whichever server connection each lands on', async () => {
    // named (prepared) statements would outlive pgbouncer's transaction and meet another server connection
    expect(database.namedStatements).toBe(false);
    for (let i = 0; i < 3; i++) await buildHousehold(t, {});
    const PAGE = `{ households(first: 20) { nodes { id size members { relation } currentHousing { perCapitaArea }
      agencySummary { perCapitaAnnualIncome membersWithoutIncome } } } }`;
    // waves of concurrent pages: the hub's 4 connections meet pgbouncer's server connections in changing pairs
    const answers = [];
    for (let wave = 0; wave < 4; wave++) answers.push(...(await Promise.all(Array.from({ length: 4 + wave * 4 }, () => t.gql(PAGE)))));
    for (const res of answers) {
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data).toEqual(answers[0]!.body.data);
      // one statement, the households with what their fields read: had it failed (a named statement meeting another
      // server connection), the page would have failed with it
      expect(Number(res.headers.get('x-sql-statements'))).toBe(1);
    }
    // the scenario's households: two members on 20 m², each with 10,000 a year (test/helpers/scenario.ts)
    const nodes = answers[0]!.body.data.households.nodes as {
      size: number;
      currentHousing: { perCapitaArea: number };
      agencySummary: { perCapitaAnnualIncome: number };
    }[];
    expect(nodes.length).toBeGreaterThanOrEqual(3);
    for (const n of nodes) expect([n.size, n.currentHousing.perCapitaArea, n.agencySummary.perCapitaAnnualIncome]).toEqual([2, 10, 10_000]);
  });

  it('delivers an alert to a subscriber: raised through pgbouncer, heard on a direct LISTEN connection', async () => {
    const subscription = await subscribeAlerts(t);
    try {
      const id = await raiseVacancyAlert(t);
      await subscription.arrived(1);
      expect(subscription.received).toEqual([{ rule: 'VACANCY_EXIT', household: { id } }]);
    } finally {
      await subscription.dispose();
    }
    // the listening backend is not one of pgbouncer's server connections
    const client = new pg.Client({ connectionString: direct.url });
    await client.connect();
    try {
      const listening = (await client.query<{ pid: number }>(`select pid from pg_stat_activity where datname = current_database() and query ilike 'listen%'`))
        .rows;
      expect(listening).toHaveLength(1);
      const admin = new pg.Client({ connectionString: bouncer.url('pgbouncer') });
      await admin.connect();
      const servers = (await admin.query<{ database: string; remote_pid: string }>('SHOW SERVERS')).rows.filter((s) => s.database === name);
      await admin.end();
      expect(servers.length).toBeGreaterThan(0);
      expect(servers.map((s) => Number(s.remote_pid))).not.toContain(listening[0]!.pid);
    } finally {
      await client.end();
    }
  });
});

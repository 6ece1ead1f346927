// Issue 17, item 6: two hub instances on one primary and its streaming replica behave as one service:
// an alert raised through one reaches a subscriber of the other, the job queue runs each job once
// whichever instance takes it, a caller's rate limit is counted across both (the PostgreSQL store),
// and the audit log is one log whichever instance wrote it or is asked.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openDatabase, type Database } from '../src/db/client.js';
import { makeResidentId } from '../src/domain/resident-id.js';
import { missingPgBinaries, startReplicatedCluster, type ReplicatedCluster } from './helpers/cluster.js';
import { testDatabaseUrl } from './helpers/db.js';
import type { TestHub } from './helpers/hub.js';
import { prepareDatabase, raiseVacancyAlert, startHubOn, subscribeAlerts } from './helpers/scale.js';
import { buildHousehold, housedHousehold } from './helpers/scenario.js';

const skip = missingPgBinaries ?? (testDatabaseUrl ? null : 'PostgreSQL only: runs in the PostgreSQL pass (TEST_DATABASE_URL)');
if (skip) console.warn(`scale-two-instances.test.ts skipped: ${skip}`);

const PER_MINUTE = 60;
const ENV = {
  RATE_LIMIT_PER_MINUTE: String(PER_MINUTE),
  JOBS_ENABLED: 'true',
  JOBS_POLL_SECONDS: '0.5',
  REVIEW_CHUNK_SIZE: '1',
  REVIEW_DAILY_CRON: 'off',
};

describe.skipIf(skip !== null)('two hub instances on one primary and a replica', () => {
  let cluster: ReplicatedCluster;
  const databases: Database[] = [];
  let a: TestHub;
  let b: TestHub;

  const sql = async <R extends Record<string, unknown>>(text: string) => cluster.query<R>('primary', text);

  beforeAll(async () => {
    cluster = await startReplicatedCluster();
    // each instance with its own pools and listening connection, as two processes would have
    const open = async () => {
      const database = await openDatabase({ kind: 'postgres', url: cluster.primaryUrl(), replicaUrls: [cluster.replicaUrl()], poolSize: 4 });
      databases.push(database);
      return database;
    };
    const first = await open();
    await prepareDatabase(first);
    a = await startHubOn(first, ENV);
    b = await startHubOn(await open(), ENV);
    await cluster.caughtUp();
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    for (const database of databases) await database.close();
    await cluster?.stop();
  });

  it('an alert raised through instance A reaches a subscriber on instance B', async () => {
    const onB = await subscribeAlerts(b);
    try {
      const id = await raiseVacancyAlert(a);
      await onB.arrived(1);
      expect(onB.received).toEqual([{ rule: 'VACANCY_EXIT', household: { id } }]);
    } finally {
      await onB.dispose();
    }
  });

  it('a review started on A runs each chunk once, on whichever instance takes it', async () => {
    for (let i = 0; i < 3; i++) await housedHousehold(a);
    const [{ housed }] = (await sql<{ housed: number }>(`select count(*)::int as housed from households where status = 'HOUSED'`)) as [{ housed: number }];
    const [{ before }] = (await sql<{ before: number }>(`select count(*)::int as before from qualification_evaluations`)) as [{ before: number }];
    const started = await a.gql(`mutation { startReview(kind: ANNUAL) { id households chunks } }`);
    expect(started.body.errors).toBeUndefined();
    const run = started.body.data.startReview as { id: string; households: number; chunks: number };
    expect(run).toMatchObject({ households: housed, chunks: housed });
    // started again on B the same day: the same run, no chunk queued twice
    const again = await b.gql(`mutation { startReview(kind: ANNUAL) { id } }`);
    expect(again.body.data.startReview.id).toBe(run.id);
    await vi.waitFor(
      async () => {
        const [row] = await sql<{ finished: boolean }>(`select finished_at is not null as finished from review_runs where id = ${Number(run.id)}`);
        if (!row?.finished) throw new Error('review not finished');
      },
      { timeout: 30_000, interval: 200 },
    );
    // every housed household evaluated exactly once: no chunk ran on both instances
    const [{ after }] = (await sql<{ after: number }>(`select count(*)::int as after from qualification_evaluations`)) as [{ after: number }];
    expect(after - before).toBe(housed);
    // B queues the chunks it finds not done: one A finishes in between is queued again and, run, finds
    // itself done and does nothing (the evaluations above are the proof), so count the chunks, not the jobs
    const chunkJobs = await sql<{ state: string; n: number }>(
      `select state::text, count(*)::int as n from pgboss.job where name = 'review-chunk' group by state order by state`,
    );
    expect(chunkJobs.map((j) => j.state)).toEqual(['completed']);
    expect(chunkJobs[0]!.n).toBeGreaterThanOrEqual(housed);
    const [{ done }] = (await sql<{ done: number }>(
      `select count(*)::int as done from review_chunks where run_id = ${Number(run.id)} and done_at is not null`,
    )) as [{ done: number }];
    expect(done).toBe(housed);
  });

  it("counts a caller's requests against one budget across both instances", async () => {
    const caller = { sub: 'limited@test', role: 'ADMIN' } as const;
    const [onA, onB] = [a.as(caller), b.as(caller)];
    const statuses: number[] = [];
    for (let i = 0; i < PER_MINUTE / 2; i++) {
      statuses.push((await onA.gql('{ __typename }')).status, (await onB.gql('{ __typename }')).status);
    }
    expect(statuses.every((s) => s === 200)).toBe(true);
    // each instance alone has seen only half the budget, yet both refuse the next request
    for (const instance of [onA, onB]) {
      const refused = await instance.gql('{ __typename }');
      expect(refused.status).toBe(429);
      expect(refused.body.errors?.[0]?.extensions?.['code']).toBe('RATE_LIMITED');
    }
    // another caller is not affected
    expect((await b.as({ sub: 'other@test', role: 'ADMIN' }).gql('{ __typename }')).status).toBe(200);
  });

  it("reads a caller's own write through the other instance at once, while others read the replica", async () => {
    const writer = { sub: 'writer@test', role: 'ADMIN' } as const;
    const HOUSEHOLD = `query($id: ID!) { household(id: $id) { id } }`;
    await cluster.caughtUp();
    await cluster.pauseReplay();
    try {
      const residentId = makeResidentId('130827', '1985-07-15', 211, 'FEMALE');
      const registered = await a.as(writer).gql(`mutation($input: RegisterHouseholdInput!) { registerHousehold(input: $input) { id } }`, {
        input: {
          districtId: 'KC-KCZ',
          category: 'LOCAL',
          members: [{ residentId, name: '两实例', birthDate: '1985-07-15', relation: 'HEAD' }],
          currentHousing: { floorArea: 20, tenure: 'RENTED' },
        },
      });
      expect(registered.body.errors).toBeUndefined();
      const id = registered.body.data.registerHousehold.id as string;
      // written through A; B sends the writer's query to the primary (the window is kept in the database)
      expect((await b.as(writer).gql(HOUSEHOLD, { id })).body.data.household).toEqual({ id });
      // anyone else's query on B is answered by the paused replica
      expect((await b.as({ sub: 'someone@test', role: 'ADMIN' }).gql(HOUSEHOLD, { id })).body.data?.household ?? null).toBeNull();
    } finally {
      await cluster.resumeReplay();
    }
  });

  it('keeps one audit log: what was read through either instance is found through either', async () => {
    const id = await buildHousehold(a, {});
    const viewer = { sub: 'viewer@test', role: 'ADMIN' } as const;
    const VIEW = `query($id: ID!) { household(id: $id) { members { name } } }`;
    await cluster.caughtUp();
    for (const instance of [a, b]) expect((await instance.as(viewer).gql(VIEW, { id })).body.errors).toBeUndefined();
    const auditor = { sub: 'auditor@test', role: 'AUDITOR' } as const;
    const LOG = `{ auditLog(filter: { actor: "viewer@test" }) { totalCount nodes { requestId action householdId } } }`;
    await cluster.caughtUp();
    const [fromA, fromB] = [(await a.as(auditor).gql(LOG)).body, (await b.as(auditor).gql(LOG)).body];
    expect(fromA.errors).toBeUndefined();
    expect(fromA.data.auditLog.totalCount).toBe(2);
    expect(fromA.data.auditLog.nodes.map((n: { action: string; householdId: string }) => [n.action, n.householdId])).toEqual([
      ['VIEW', id],
      ['VIEW', id],
    ]);
    expect(fromB).toEqual(fromA);
  });
});

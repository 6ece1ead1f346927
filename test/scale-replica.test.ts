// Issue 17, item 3: with DATABASE_REPLICA_URLS a query's reads go to a streaming replica; mutations, their
// own selections, the audit log and a writer's next reads stay on the primary. Against a real replica:
// this file makes a primary (initdb) and a replica of it (pg_basebackup -R) in a temporary directory.
// Where the answer came from is shown by pausing the replica's replay: a row written meanwhile is on
// the primary only, so a read that misses it was answered by the replica.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';
import { openDatabase, type Database } from '../src/db/client.js';
import { RecentWriters } from '../src/db/replicas.js';
import { makeResidentId } from '../src/domain/resident-id.js';
import { missingPgBinaries, startReplicatedCluster, type ReplicatedCluster } from './helpers/cluster.js';
import { testDatabaseUrl } from './helpers/db.js';
import type { TestHub } from './helpers/hub.js';
import { prepareDatabase, startHubOn } from './helpers/scale.js';
import { buildHousehold } from './helpers/scenario.js';

// like the other PostgreSQL-only files, it runs in the PostgreSQL pass (its servers are its own)
const skip = missingPgBinaries ?? (testDatabaseUrl ? null : 'PostgreSQL only: runs in the PostgreSQL pass (TEST_DATABASE_URL)');
if (skip) console.warn(`scale-replica.test.ts skipped: ${skip}`);

const READER = { sub: 'reader@test', role: 'ADMIN' } as const;
const HOUSEHOLD = `query($id: ID!) { household(id: $id) { id members { name } } }`;

const count = async (cluster: ReplicatedCluster, on: 'primary' | 'replica', where: string) =>
  (await cluster.query<{ n: number }>(on, `select count(*)::int as n from ${where}`))[0]!.n;

describe.skipIf(skip !== null)('read replicas (a real streaming replica made with pg_basebackup)', () => {
  let cluster: ReplicatedCluster;
  let database: Database;
  let t: TestHub;

  beforeAll(async () => {
    cluster = await startReplicatedCluster();
    database = await openDatabase({ kind: 'postgres', url: cluster.primaryUrl(), replicaUrls: [cluster.replicaUrl()], poolSize: 4, replicaCheckMs: 200 });
    await prepareDatabase(database);
    t = await startHubOn(database);
    await cluster.caughtUp();
  });
  afterAll(async () => {
    await t?.close();
    await database?.close();
    await cluster?.stop();
  });

  it('the replica is a standby: it refuses writes', async () => {
    expect(database.replicas).toBe(1);
    await expect(cluster.query('replica', `insert into districts (id, name, jurisdiction, policy_id) values ('X', 'x', 'x', 'KC')`)).rejects.toThrow(
      /read-only transaction/,
    );
  });

  it('a query is answered by the replica, a mutation and its selection by the primary, and the writer reads its write at once', async () => {
    const earlier = await buildHousehold(t, {});
    await cluster.caughtUp();
    await cluster.pauseReplay();
    const reader = t.as(READER);
    let id: string;
    try {
      const residentId = makeResidentId('130827', '1979-04-02', 437, 'MALE');
      const registered = await t.gql(`mutation($input: RegisterHouseholdInput!) { registerHousehold(input: $input) { id size members { name } } }`, {
        input: {
          districtId: 'KC-KCZ',
          category: 'LOCAL',
          members: [{ residentId, name: '副本测试', birthDate: '1979-04-02', relation: 'HEAD' }],
          currentHousing: { floorArea: 20, tenure: 'RENTED' },
        },
      });
      expect(registered.body.errors).toBeUndefined();
      // the mutation's own selection read the primary: the members it just wrote are there
      expect(registered.body.data.registerHousehold).toMatchObject({ size: 1, members: [{ name: expect.any(String) }] });
      id = registered.body.data.registerHousehold.id as string;
      // written on the primary; the replica, replay paused, has not got it
      expect(await count(cluster, 'primary', `households where id = ${id}`)).toBe(1);
      expect(await count(cluster, 'replica', `households where id = ${id}`)).toBe(0);

      // the writer's next query reads the primary (read-your-own-writes)
      expect((await t.gql(HOUSEHOLD, { id })).body.data.household).toMatchObject({ id, members: [{ name: expect.any(String) }] });

      // another caller's query is answered by the replica: the earlier household is there, the new one not yet
      expect((await reader.gql(HOUSEHOLD, { id: earlier })).body.data.household).toMatchObject({ id: earlier });
      const missed = await reader.gql(HOUSEHOLD, { id });
      expect(missed.body.data?.household ?? null).toBeNull();

      // the audit entry of the reader's query (a write) went to the primary
      expect(await count(cluster, 'primary', `audit_log where actor = 'reader@test' and action = 'VIEW' and household_id = ${earlier}`)).toBe(1);
      expect(await count(cluster, 'replica', `audit_log where actor = 'reader@test'`)).toBe(0);
    } finally {
      await cluster.resumeReplay();
    }
    await cluster.caughtUp();
    expect((await reader.gql(HOUSEHOLD, { id })).body.data.household).toMatchObject({ id });
  });

  it('agency records (raw SQL reads) of a query come from the replica too', async () => {
    const id = await buildHousehold(t, {});
    await cluster.caughtUp();
    const [{ resident_id: head }] = (await cluster.query<{ resident_id: string }>(
      'primary',
      `select resident_id from persons where household_id = ${id} and relation = 'HEAD'`,
    )) as [{ resident_id: string }];
    const INCOMES = `query($id: ID!) { household(id: $id) { members { incomes { year annualIncome } } } }`;
    const incomes = async () => {
      const res = await t.as(READER).gql(INCOMES, { id });
      expect(res.body.errors).toBeUndefined();
      const members = res.body.data.household.members as { incomes: { year: number; annualIncome: number }[] | null }[];
      return members.flatMap((m) => (m.incomes ?? []).map((i) => i.annualIncome)).sort((a, b) => a - b);
    };
    const before = await incomes();
    await cluster.pauseReplay();
    try {
      const fed = await t.gql(`mutation($r: CivilAffairsRecords!) { submitCivilAffairsFeed(batchKey: "replica-income", records: $r) { status } }`, {
        r: { income: [{ residentId: head, year: 2024, annualIncome: 123_456 }] },
      });
      expect(fed.body.errors).toBeUndefined();
      expect(await incomes()).toEqual(before);
    } finally {
      await cluster.resumeReplay();
    }
    await cluster.caughtUp();
    expect(await incomes()).toEqual([...before, 123_456].sort((a, b) => a - b));
  });

  // last: it stops the replica
  it('reads the primary while the replica is down, and the replica again once it is back', async () => {
    const reader = t.as(READER);
    const earlier = await buildHousehold(t, {});
    await cluster.caughtUp();
    await cluster.stopReplica();
    // within a check (200 ms here, DATABASE_REPLICA_CHECK_SECONDS) the replica leaves the rotation
    await vi.waitFor(
      async () => {
        const res = await reader.gql(HOUSEHOLD, { id: earlier });
        expect(res.body.errors).toBeUndefined();
        expect(res.body.data.household).toMatchObject({ id: earlier });
      },
      { timeout: 10_000, interval: 100 },
    );
    for (let i = 0; i < 3; i++) expect((await reader.gql(HOUSEHOLD, { id: earlier })).body.data.household).toMatchObject({ id: earlier });

    await cluster.startReplica();
    await cluster.caughtUp();
    await cluster.pauseReplay();
    try {
      const later = await buildHousehold(t, {});
      // back in the rotation: the reader's query misses what the paused replica has not replayed
      await vi.waitFor(
        async () => {
          const res = await reader.gql(HOUSEHOLD, { id: later });
          expect(res.body.data?.household ?? null).toBeNull();
        },
        { timeout: 10_000, interval: 100 },
      );
    } finally {
      await cluster.resumeReplay();
    }
  });
});

describe('RecentWriters (the read-your-own-writes window)', () => {
  it('holds a caller on the primary for the window after its last write, and only that caller', () => {
    let now = 1_000;
    const recent = new RecentWriters(10_000, () => now);
    recent.wrote('ADMIN:a');
    expect(recent.recentlyWrote('ADMIN:a')).toBe(true);
    expect(recent.recentlyWrote('ADMIN:b')).toBe(false);
    now += 9_999;
    expect(recent.recentlyWrote('ADMIN:a')).toBe(true);
    now += 1;
    expect(recent.recentlyWrote('ADMIN:a')).toBe(false);
  });
});

describe('the replica and pooler settings', () => {
  const primary = 'postgres://hub@db1:5432/hub';
  it('reads DATABASE_REPLICA_URLS as a comma list of PostgreSQL URLs, and DATABASE_DIRECT_URL', () => {
    const config = loadConfig({
      DATABASE_URL: primary,
      DATABASE_REPLICA_URLS: ' postgres://hub@db2:5432/hub, postgresql://hub@db3/hub ,',
      DATABASE_DIRECT_URL: 'postgres://hub@db1:5433/hub',
    });
    expect(config.DATABASE_REPLICA_URLS).toEqual(['postgres://hub@db2:5432/hub', 'postgresql://hub@db3/hub']);
    expect(config.DATABASE_DIRECT_URL).toBe('postgres://hub@db1:5433/hub');
    expect(config.DATABASE_READ_YOUR_WRITES_SECONDS).toBe(10);
    expect(loadConfig({}).DATABASE_REPLICA_URLS).toBeUndefined();
  });

  it('refuses a replica that is not a PostgreSQL URL, and replicas or a direct URL without DATABASE_URL', () => {
    const problems = (env: Record<string, string>) => {
      try {
        loadConfig(env);
        return [];
      } catch (error) {
        return (error as ConfigError).problems;
      }
    };
    expect(problems({ DATABASE_URL: primary, DATABASE_REPLICA_URLS: 'postgres://hub@db2/hub,http://db3' })).toEqual([
      'DATABASE_REPLICA_URLS.1: must be a postgres:// or postgresql:// URL',
    ]);
    expect(problems({ DATABASE_REPLICA_URLS: 'postgres://hub@db2/hub' })).toEqual(['DATABASE_REPLICA_URLS: needs DATABASE_URL too (the primary)']);
    expect(problems({ DATABASE_DIRECT_URL: 'postgres://hub@db1/hub' })).toEqual(['DATABASE_DIRECT_URL: needs DATABASE_URL too']);
  });
});

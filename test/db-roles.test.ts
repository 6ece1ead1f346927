// Issue 13, item 16: the hub migrates as one role (DATABASE_MIGRATION_URL) and serves as another
// (DATABASE_URL) with row rights only, so the append-only audit log cannot be undone by the hub.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { openDatabase, type Database } from '../src/db/client.js';
import { createLogger } from '../src/logger.js';
import { ensurePolicies } from '../src/policy/service.js';
import { createHub, type Hub } from '../src/server.js';
import { makeResidentId } from '../src/domain/resident-id.js';
import { testDatabaseUrl } from './helpers/db.js';
import { TEST_JWT_SECRET, TEST_TODAY } from './helpers/hub.js';

const suffix = `${process.pid}_${randomBytes(3).toString('hex')}`;
const OWNER = `hub_owner_${suffix}`;
const APP = `hub_app_${suffix}`;
const DB = `hub_roles_${suffix}`;

const urlAs = (role: string) => {
  const url = new URL(testDatabaseUrl!);
  url.username = role;
  url.password = '';
  url.pathname = `/${DB}`;
  return url.toString();
};

async function superuser<T>(fn: (c: pg.Client) => Promise<T>, database?: string): Promise<T> {
  const url = new URL(testDatabaseUrl!);
  if (database) url.pathname = `/${database}`;
  const c = new pg.Client({ connectionString: url.toString() });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** what the runtime role's own connection answers to a statement */
async function asApp(statement: string): Promise<string> {
  const c = new pg.Client({ connectionString: urlAs(APP) });
  await c.connect();
  try {
    await c.query(statement);
    return 'done';
  } catch (error) {
    return (error as Error).message;
  } finally {
    await c.end();
  }
}

describe.skipIf(!testDatabaseUrl)('PostgreSQL: a migration role and a DML-only runtime role', () => {
  let database: Database;
  let hub: Hub;
  let url: string;

  beforeAll(async () => {
    await superuser(async (c) => {
      await c.query(`create role ${OWNER} login`);
      await c.query(`create role ${APP} login`);
      await c.query(`create database ${DB} owner ${OWNER}`);
    });
    const config = loadConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      JOBS_ENABLED: 'true',
      AUTH_JWT_SECRET: TEST_JWT_SECRET,
      DATABASE_URL: urlAs(APP),
      DATABASE_MIGRATION_URL: urlAs(OWNER),
    });
    database = await openDatabase({ kind: 'postgres', url: config.DATABASE_URL!, migrationUrl: config.DATABASE_MIGRATION_URL, poolSize: 4 });
    await database.migrate();
    await ensurePolicies(database.db);
    hub = await createHub({ config, database, logger: createLogger('silent'), clock: () => new Date(`${TEST_TODAY}T09:00:00`) });
    url = await hub.listen(0, '127.0.0.1');
  }, 60_000);

  afterAll(async () => {
    await hub?.stop();
    await database?.close();
    await superuser(async (c) => {
      await c.query(`drop database if exists ${DB} with (force)`);
      await c.query(`drop owned by ${APP} cascade`).catch(() => undefined);
      await c.query(`drop role if exists ${APP}`);
      await c.query(`drop role if exists ${OWNER}`);
    });
  });

  const gql = async (query: string, variables?: Record<string, unknown>) => {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await hub.authenticator.issue({ sub: 'admin@test', role: 'ADMIN' })}` },
      body: JSON.stringify({ query, variables }),
    });
    return (await res.json()) as { data?: any; errors?: unknown[] };
  };

  it('the tables belong to the migration role; the runtime role owns nothing and is no superuser', async () => {
    const owners = await superuser(
      async (c) =>
        (
          await c.query<{ owner: string; n: string }>(
            `select tableowner as owner, count(*) as n from pg_tables where schemaname = 'public' group by tableowner`,
          )
        ).rows,
      DB,
    );
    expect(owners).toEqual([{ owner: OWNER, n: expect.any(String) }]);
    expect(await asApp(`select 1 from pg_roles where rolname = current_user and not rolsuper and not rolcreaterole and not rolcreatedb`)).toBe('done');
  });

  it('the hub works as the runtime role: it writes, reads and audits', async () => {
    const district = await gql(`mutation { createDistrict(input: { id: "KC-KCZ", name: "宽城镇", jurisdiction: "宽城满族自治县", policyId: "KC" }) { id } }`);
    expect(district.errors).toBeUndefined();
    const reg = await gql(`mutation($input: RegisterHouseholdInput!) { registerHousehold(input: $input) { id } }`, {
      input: {
        districtId: 'KC-KCZ',
        category: 'LOCAL',
        members: [{ residentId: makeResidentId('130827', '1980-03-10', 1, 'MALE'), name: '张三', birthDate: '1980-03-10', relation: 'HEAD' }],
        currentHousing: { floorArea: 20, tenure: 'RENTED' },
      },
    });
    expect(reg.errors).toBeUndefined();
    const read = await gql(`query($id: ID!) { household(id: $id) { members { name } } }`, { id: reg.data.registerHousehold.id });
    expect(read.errors).toBeUndefined();
    expect(read.data.household.members[0].name).toBe('张*');
    const entries = await superuser(async (c) => (await c.query<{ action: string }>(`select action from audit_log order by id`)).rows.map((r) => r.action), DB);
    expect(entries).toEqual(expect.arrayContaining(['createDistrict', 'registerHousehold', 'VIEW']));
  });

  it('the runtime role cannot change, empty, drop or unguard the audit log', async () => {
    for (const statement of [
      `update audit_log set actor = 'someone else'`,
      `delete from audit_log`,
      `truncate audit_log`,
      `alter table audit_log disable trigger audit_log_no_update_or_delete`,
      `alter table audit_log disable trigger all`,
      `drop trigger audit_log_no_truncate on audit_log`,
      `alter table audit_log add column forged text`,
      `drop table audit_log`,
      `alter function audit_log_append_only() owner to current_user`,
      `create or replace function audit_log_append_only() returns trigger language plpgsql as $$ begin return old; end $$`,
    ]) {
      expect(await asApp(statement), statement).toMatch(/permission denied|must be owner|append-only/);
    }
    expect(await asApp(`insert into audit_log (request_id, actor, role, action) values ('r', 'a', 'ADMIN', 'TEST')`)).toBe('done');
    expect(await asApp(`select count(*) from audit_log`)).toBe('done');
  });

  it('refuses to serve as a superuser or as the migration role itself', async () => {
    for (const runtime of [testDatabaseUrl!.replace(/\/[^/]*$/, `/${DB}`), urlAs(OWNER)]) {
      const wrong = await openDatabase({ kind: 'postgres', url: runtime, migrationUrl: urlAs(OWNER), poolSize: 1 });
      try {
        await expect(wrong.migrate()).rejects.toThrow(/DML rights only/);
      } finally {
        await wrong.close();
      }
    }
  });
});

describe('configuration', () => {
  it('DATABASE_MIGRATION_URL needs DATABASE_URL', () => {
    expect(() => loadConfig({ DATABASE_MIGRATION_URL: 'postgres://owner@db/hub' })).toThrow(/DATABASE_MIGRATION_URL: needs DATABASE_URL/);
  });
});

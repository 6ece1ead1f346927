// #13 item 19: no internals in answers (SQL, unmasked input in stack traces, demo tokens under the
// operator's key), and credentials that cannot be made to last forever or guessed at full speed.
import { sql } from 'drizzle-orm';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoTokens, startupBanner } from '../src/banner.js';
import { ADMIN, startTestHub, TEST_JWT_SECRET, type TestHub } from './helpers/hub.js';

// shaped like a resident ID (a birth date in the middle): masked wherever it is shown
const RESIDENT_ID = '110101199003071234';
const MASKED = '110101********1234';

async function keyOf(t: TestHub, expiresAt?: string): Promise<string> {
  const res = await t.gql(`mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { key } }`, {
    input: { name: 'internals test', role: 'MANAGER', ...(expiresAt ? { expiresAt } : {}) },
  });
  expect(res.body.errors).toBeUndefined();
  return res.body.data.createApiKey.key as string;
}

const countKeys = async (t: TestHub) => {
  const result = (await t.database.db.execute(sql`select count(*)::int as n from api_keys`)) as unknown as { rows: { n: number }[] };
  return Number(result.rows[0]!.n);
};

describe('answers during a database fault', () => {
  let t: TestHub;
  beforeAll(async () => {
    t = await startTestHub({ households: 3 });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('an API key caller gets 503 (not 401) without SQL when the key cannot be looked up, and is let in again after', async () => {
    const key = await keyOf(t);
    expect((await t.as(key).gql('{ me { role } }')).status).toBe(200);
    await t.database.db.execute(sql`alter table api_keys rename to api_keys_away`);
    try {
      const res = await t.as(key).gql('{ me { role } }');
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBeTruthy();
      expect(res.body.errors?.[0]?.extensions?.['code']).toBe('SERVICE_UNAVAILABLE');
      expect(JSON.stringify(res.body)).not.toMatch(/select|api_keys|Failed query/i);
    } finally {
      await t.database.db.execute(sql`alter table api_keys_away rename to api_keys`);
    }
    expect((await t.as(key).gql('{ me { role } }')).status).toBe(200);
  });

  it('a failed query is answered INTERNAL_SERVER_ERROR with a generic message, not the SQL', async () => {
    await t.database.db.execute(sql`alter table households rename to households_away`);
    try {
      const res = await t.gql('{ households(first: 2) { totalCount nodes { id } } }');
      expect(res.body.errors?.length).toBeGreaterThan(0);
      for (const error of res.body.errors!) {
        expect(error.extensions?.['code']).toBe('INTERNAL_SERVER_ERROR');
        expect(error.message).not.toMatch(/Failed query|select|households|relation/i);
      }
      expect(JSON.stringify(res.body)).not.toMatch(/Failed query|select /i);
    } finally {
      await t.database.db.execute(sql`alter table households_away rename to households`);
    }
  });

  it('client errors keep their message and code', async () => {
    const res = await t.gql(`mutation { createApiKey(input: { name: "", role: MANAGER }) { key } }`);
    expect(res.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.name' });
    expect(res.body.errors?.[0]?.message).not.toMatch(/^internal error/);
  });
});

describe('stack traces in development', () => {
  let t: TestHub;
  beforeAll(async () => {
    t = await startTestHub({ env: { NODE_ENV: 'development' } });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('do not echo a resident ID the request carried', async () => {
    // an invalid literal: its message, and the stack trace's first line, repeat the value
    const res = await t.gql(`{ households(first: "${RESIDENT_ID}") { totalCount } }`);
    expect(res.body.errors?.length).toBeGreaterThan(0);
    const text = JSON.stringify(res.body);
    expect(text).not.toContain(RESIDENT_ID);
    expect(text).toContain(MASKED);
    // development still gets the frames
    expect(res.body.errors!.some((e) => Array.isArray(e.extensions?.['stacktrace']) && (e.extensions['stacktrace'] as string[]).length > 0)).toBe(true);
  });

  it('of an internal error carry neither the SQL nor its parameters', async () => {
    await t.database.db.execute(sql`alter table persons rename to persons_away`);
    try {
      const res = await t.gql(`query($id: String!) { person(residentId: $id) { id } }`, { id: RESIDENT_ID });
      const text = JSON.stringify(res.body);
      expect(res.body.errors?.length).toBeGreaterThan(0);
      expect(text).not.toContain(RESIDENT_ID);
      expect(text).not.toMatch(/Failed query|select /i);
    } finally {
      await t.database.db.execute(sql`alter table persons_away rename to persons`);
    }
  });
});

describe('credentials', () => {
  let t: TestHub;
  beforeAll(async () => {
    t = await startTestHub({ env: { AUTH_FAILURES_PER_MINUTE: '30' } });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('the start-up banner prints demo tokens only when the key was made for this run', async () => {
    expect(await demoTokens(t.hub, { NODE_ENV: 'development', AUTH_JWT_SECRET: TEST_JWT_SECRET })).toEqual([]);
    expect(await demoTokens(t.hub, { NODE_ENV: 'production', AUTH_JWT_SECRET: undefined })).toEqual([]);
    const own = startupBanner({ url: 'http://localhost:4000/graphql', database: 'PostgreSQL', tokens: [], operatorKey: true });
    expect(own).not.toMatch(/eyJ/);
    expect(own).toMatch(/identity provider/);
    const tokens = await demoTokens(t.hub, { NODE_ENV: 'development', AUTH_JWT_SECRET: undefined });
    expect(tokens).toHaveLength(6);
    expect(startupBanner({ url: 'http://localhost:4000/graphql', database: 'PostgreSQL', tokens, operatorKey: false })).toContain(tokens[0]![1]);
  });

  it('refuses a JWT without an expiry, signed with the right key', async () => {
    const forever = await new SignJWT({ role: 'ADMIN' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('forever')
      .setIssuer('housing-hub')
      .setAudience('housing-hub')
      .setIssuedAt()
      .sign(new TextEncoder().encode(TEST_JWT_SECRET));
    const res = await t.as(forever).gql('{ me { role } }');
    expect(res.status).toBe(401);
    expect(res.body.errors?.[0]?.message).toMatch(/no expiry/);
    expect((await t.as(ADMIN).gql('{ me { role } }')).status).toBe(200);
  });

  it('createApiKey refuses an expiry in the past (BAD_USER_INPUT on input.expiresAt) and writes nothing', async () => {
    const before = await countKeys(t);
    const res = await t.gql(`mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { key } }`, {
      input: { name: 'already dead', role: 'MANAGER', expiresAt: new Date(Date.now() - 60_000).toISOString() },
    });
    expect(res.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.expiresAt' });
    expect(await countKeys(t)).toBe(before);
    // the other side: an expiry ahead is taken and the key works
    const key = await keyOf(t, new Date(Date.now() + 3_600_000).toISOString());
    expect((await t.as(key).gql('{ me { role } }')).status).toBe(200);
    expect(await countKeys(t)).toBe(before + 1);
  });

  // last: it blocks this test's address
  it('answers 429 to an address that keeps showing bad API keys, before looking them up', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 1000; i++) {
      const guess = `hub_${String(i).padStart(12, 'a')}_${'x'.repeat(43)}`;
      const res = await fetch(t.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${guess}` },
        body: '{"query":"{ me { role } }"}',
      });
      statuses.push(res.status);
      if (res.status === 429) expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
      await res.body?.cancel();
    }
    // at most AUTH_FAILURES_PER_MINUTE lookups (one refusal was spent by the test above), then 429 only
    const first = statuses.indexOf(429);
    expect(first).toBeGreaterThan(0);
    expect(first).toBeLessThanOrEqual(30);
    expect(statuses.slice(0, first).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(first).every((s) => s === 429)).toBe(true);
  });
});

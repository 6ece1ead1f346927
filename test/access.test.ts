// Issue 6: who may do what, what is recorded, what is masked, and what the API refuses.
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { auditLog } from '../src/auth/tables.js';
import { households } from '../src/db/schema.js';
import { startTestHub, TEST_JWT_SECRET, type GraphQLResponse, type TestHub } from './helpers/hub.js';
import { buildHousehold, memberIds } from './helpers/scenario.js';
import { CALLERS } from './helpers/roles.js';

let t: TestHub;
let own: string; // a household of KC-KCZ
let other: string; // a household of KC-LXM
let otherMember: string;
let otherAlert: string;

beforeAll(async () => {
  t = await startTestHub();
  own = await buildHousehold(t, {});
  other = await buildHousehold(t, {});
  await t.database.db
    .update(households)
    .set({ districtId: 'KC-LXM' })
    .where(eq(households.id, Number(other)));
  otherMember = (await memberIds(t, other))[0]!;
  // an alert in the other district
  await t.database.db.execute(
    sql`insert into alerts (household_id, district_id, rule, article, severity, action, period, summary, evidence) values (${Number(other)}, 'KC-LXM', 'TEST', 'KC-18', 'LOW', 'look', '2026', 'test alert', '{}')`,
  );
  otherAlert = String(((await t.database.db.execute(sql`select max(id) as id from alerts`)) as unknown as { rows: { id: number }[] }).rows[0]!.id);
});
afterAll(async () => {
  await t?.close();
});

const codes = (res: GraphQLResponse) => (res.body.errors ?? []).map((e) => e.extensions?.['code']);
const denied = (res: GraphQLResponse) => codes(res).includes('FORBIDDEN');

interface Operation {
  name: string;
  query: string;
  variables?: () => Record<string, unknown>;
  allowed: (keyof typeof CALLERS)[];
}

const OPERATIONS: Operation[] = [
  { name: 'me', query: '{ me { id role } }', allowed: ['ADMIN', 'MANAGER', 'CASEWORKER', 'AGENCY', 'AUDITOR', 'ALERT_CONSUMER'] },
  { name: 'districts', query: '{ districts { id } }', allowed: ['ADMIN', 'MANAGER', 'CASEWORKER', 'AUDITOR', 'ALERT_CONSUMER'] },
  {
    name: 'a household of the caseworker’s district',
    query: 'query($id: ID!) { household(id: $id) { id } }',
    variables: () => ({ id: own }),
    allowed: ['ADMIN', 'MANAGER', 'CASEWORKER'],
  },
  {
    name: 'a household of another district',
    query: 'query($id: ID!) { household(id: $id) { id } }',
    variables: () => ({ id: other }),
    allowed: ['ADMIN', 'MANAGER'],
  },
  {
    name: 'a profile with agency data',
    query: 'query($id: ID!) { household(id: $id) { members { hukou { areaCode } vehicles { plate } } } }',
    variables: () => ({ id: other }),
    allowed: ['ADMIN', 'MANAGER'],
  },
  { name: 'households', query: '{ households(first: 5) { totalCount } }', allowed: ['ADMIN', 'MANAGER', 'CASEWORKER'] },
  {
    name: 'a person of another district',
    query: 'query($r: String!) { person(residentId: $r) { birthDate } }',
    variables: () => ({ r: otherMember }),
    allowed: ['ADMIN', 'MANAGER'],
  },
  {
    name: 'a full identity, with a purpose',
    query: 'query($id: ID!) { household(id: $id) { head { identity(purpose: "checking a complaint") { residentId } } } }',
    variables: () => ({ id: own }),
    allowed: ['ADMIN', 'MANAGER', 'CASEWORKER'],
  },
  {
    name: 'register a household in another district',
    query:
      'mutation { registerHousehold(input: { districtId: "KC-LXM", category: LOCAL, members: [], currentHousing: { floorArea: 10, tenure: RENTED } }) { id } }',
    allowed: ['ADMIN', 'MANAGER'],
  },
  {
    name: 'the utilities feed',
    query: 'mutation { submitUtilitiesFeed(batchKey: "matrix-ut", records: { reading: [] }) { status } }',
    allowed: ['ADMIN', 'AGENCY'],
  },
  {
    name: 'another agency’s feed',
    query: 'mutation { submitPublicSecurityFeed(batchKey: "matrix-ps", records: { vehicle: [] }) { status } }',
    allowed: ['ADMIN'],
  },
  { name: 'policies', query: '{ policies { id } }', allowed: ['ADMIN', 'MANAGER', 'CASEWORKER', 'AUDITOR'] },
  {
    name: 'set a policy parameter',
    query: 'mutation { setPolicyParameter(input: { policyId: "KC", code: "NO_SUCH", value: 1, effectiveFrom: "2027-01-01" }) { code } }',
    allowed: ['ADMIN', 'MANAGER'],
  },
  { name: 'the waitlist of another district', query: '{ waitlist(districtId: "KC-LXM") { rank } }', allowed: ['ADMIN', 'MANAGER'] },
  {
    name: 'check an applicant',
    query: 'query { checkApplicant(input: { category: LOCAL, members: [], currentHousing: { floorArea: 10, tenure: RENTED } }) { verdict } }',
    allowed: ['ADMIN', 'MANAGER', 'CASEWORKER'],
  },
  { name: 'alerts', query: '{ alerts(first: 5) { totalCount } }', allowed: ['ADMIN', 'MANAGER', 'CASEWORKER', 'ALERT_CONSUMER'] },
  { name: 'alert counts', query: '{ alertCounts { rule count } }', allowed: ['ADMIN', 'MANAGER', 'CASEWORKER', 'ALERT_CONSUMER'] },
  {
    name: 'update an alert of another district',
    query: 'mutation($id: ID!) { updateAlert(input: { alertId: $id, status: OPEN }) { id } }',
    variables: () => ({ id: otherAlert }),
    allowed: ['ADMIN', 'MANAGER'],
  },
  { name: 'run detection', query: 'mutation { runDetection(householdIds: ["999999"]) }', allowed: ['ADMIN', 'MANAGER'] },
  { name: 'webhook deliveries', query: '{ webhookDeliveries { id } }', allowed: ['ADMIN', 'MANAGER'] },
  { name: 'review runs', query: '{ reviewRuns { id } }', allowed: ['ADMIN', 'MANAGER'] },
  { name: 'agency feeds', query: '{ agencyFeeds { agency } }', allowed: ['ADMIN', 'MANAGER'] },
  { name: 'the audit log', query: '{ auditLog(first: 1) { totalCount } }', allowed: ['AUDITOR'] },
  { name: 'API keys', query: '{ apiKeys { id } }', allowed: ['ADMIN'] },
];

describe('each role × each operation: allowed, or FORBIDDEN', () => {
  for (const op of OPERATIONS) {
    for (const role of Object.keys(CALLERS) as (keyof typeof CALLERS)[]) {
      const allowed = op.allowed.includes(role);
      it(`${role} ${allowed ? 'may' : 'may not'}: ${op.name}`, async () => {
        const res = await t.as(CALLERS[role]!).gql(op.query, op.variables?.());
        expect(res.status).not.toBe(401);
        expect(denied(res)).toBe(!allowed);
        if (!allowed) expect(res.body.errors!.find((e) => e.extensions?.['code'] === 'FORBIDDEN')!.message).toBe('forbidden');
      });
    }
  }

  it('every root field of the schema is in the matrix or guarded by @auth (the build refuses one without)', async () => {
    const { buildSchema } = await import('../src/schema.js');
    expect(() => buildSchema()).not.toThrow();
  });
});

describe('tokens', () => {
  const bearer = (token: string | null) => t.as(token);

  it('refuses a request without a token, with a forged one and with an expired one (401 UNAUTHENTICATED)', async () => {
    const { SignJWT } = await import('jose');
    const forged = await new SignJWT({ role: 'ADMIN' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('mallory')
      .setIssuer('housing-hub')
      .setAudience('housing-hub')
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode('another-secret-of-at-least-32-chars!!'));
    const expired = await t.hub.authenticator.issue(CALLERS['ADMIN']!, Math.floor(Date.now() / 1000) - 60);
    for (const [token, reason] of [
      [null, 'send Authorization'],
      [forged, 'not valid'],
      [expired, 'expired'],
      ['not-a-token', 'not valid'],
    ] as const) {
      const res = await bearer(token).gql('{ me { id } }');
      expect(res.status).toBe(401);
      expect(res.body.errors?.[0]?.extensions?.['code']).toBe('UNAUTHENTICATED');
      expect(res.body.errors?.[0]?.message).toContain(reason);
    }
  });

  it('an API key works until it is revoked; only its hash is stored', async () => {
    const created = await t.gql(
      `mutation { createApiKey(input: { name: "district office", role: CASEWORKER, districts: ["KC-KCZ"] }) { key apiKey { id prefix role districts } } }`,
    );
    expect(created.body.errors).toBeUndefined();
    const { key, apiKey } = created.body.data.createApiKey;
    expect(apiKey).toMatchObject({ role: 'CASEWORKER', districts: ['KC-KCZ'] });
    const stored = (await t.database.db.execute(sql`select hash from api_keys where id = ${Number(apiKey.id)}`)) as unknown as { rows: { hash: string }[] };
    expect(stored.rows[0]!.hash).not.toContain(key);
    expect((await bearer(key).gql('{ me { role districts } }')).body.data.me).toEqual({ role: 'CASEWORKER', districts: ['KC-KCZ'] });
    await t.gql(`mutation($id: ID!) { revokeApiKey(id: $id) { revokedAt } }`, { id: apiKey.id });
    expect((await bearer(key).gql('{ me { role } }')).status).toBe(401);
  });

  it('refuses to make a CASEWORKER key without districts or an AGENCY key without an agency', async () => {
    const res = await t.gql(`mutation { createApiKey(input: { name: "x", role: AGENCY }) { key } }`);
    expect(codes(res)).toEqual(['BAD_USER_INPUT']);
  });
});

describe('district scope', () => {
  const caseworker = () => t.as(CALLERS['CASEWORKER']!);

  it('a household that does not exist and one of another district are refused alike', async () => {
    const missing = await caseworker().gql('{ household(id: "999999") { id } }');
    const elsewhere = await caseworker().gql(`{ household(id: "${other}") { id } }`);
    expect(missing.body.errors?.[0]).toMatchObject({ message: 'forbidden', extensions: { code: 'FORBIDDEN' } });
    expect(elsewhere.body.errors?.[0]).toMatchObject({ message: 'forbidden', extensions: { code: 'FORBIDDEN' } });
  });

  it('lists show only the caller’s districts; asking for another district is refused', async () => {
    const list = await caseworker().gql('{ households(first: 100) { nodes { district { id } } } }');
    expect(new Set(list.body.data.households.nodes.map((n: { district: { id: string } }) => n.district.id))).toEqual(new Set(['KC-KCZ']));
    const alerts = await t.as(CALLERS['ALERT_CONSUMER']!).gql('{ alerts(first: 100) { nodes { districtId } } }');
    expect(alerts.body.data.alerts.nodes.every((a: { districtId: string }) => a.districtId === 'KC-KCZ')).toBe(true);
    expect(denied(await caseworker().gql('{ households(filter: { districtId: "KC-LXM" }) { totalCount } }'))).toBe(true);
  });

  it('an alert consumer reads alerts but not the household behind them', async () => {
    const res = await t
      .as({ sub: 'bot', role: 'ALERT_CONSUMER', districts: ['KC-LXM'] })
      .gql('{ alerts(first: 5) { nodes { householdId household { members { birthDate } } } } }');
    expect(res.body.data?.alerts?.nodes ?? null).toBeNull();
    expect(denied(res)).toBe(true);
  });
});

describe('subscriptions', () => {
  async function subscribe(authorization: string | null, query: string) {
    const { createClient } = await import('graphql-ws');
    const { default: WebSocket } = await import('ws');
    const client = createClient({
      url: t.url.replace('http://', 'ws://'),
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      lazy: false,
      onNonLazyError: () => undefined, // the refusal is asserted below, not printed
      connectionParams: authorization ? { authorization } : {},
    });
    const outcome = await new Promise<{ error?: unknown; next?: unknown }>((resolve) => {
      client.subscribe({ query }, { next: (next) => resolve({ next }), error: (error) => resolve({ error }), complete: () => resolve({}) });
      setTimeout(() => resolve({}), 1_000); // still open: subscribed
    });
    await client.dispose();
    return outcome;
  }

  it('refuses a connection without a valid token', async () => {
    const outcome = await subscribe(null, 'subscription { alertRaised { id } }');
    expect(outcome.error).toBeDefined();
  });

  it('refuses an alert consumer another district’s alerts, and an agency any', async () => {
    const bot = `Bearer ${await t.as({ sub: 'bot', role: 'ALERT_CONSUMER', districts: ['KC-KCZ'] }).token}`;
    const elsewhere = await subscribe(bot, 'subscription { alertRaised(districtId: "KC-LXM") { id } }');
    expect(JSON.stringify(elsewhere)).toContain('FORBIDDEN');
    const agency = `Bearer ${await t.as(CALLERS['AGENCY']!).token}`;
    expect(JSON.stringify(await subscribe(agency, 'subscription { alertRaised { id } }'))).toContain('FORBIDDEN');
    expect(await subscribe(bot, 'subscription { alertRaised(districtId: "KC-KCZ") { id } }')).toEqual({});
  });
});

describe('masking', () => {
  const ID = /^\d{6}\*{8}\d{3}[\dX]$/;

  it('resident IDs and names are masked on every path; the full values only through identity(purpose)', async () => {
    const res = await t.gql(
      `query($id: ID!) { household(id: $id) { members { residentId name identity(purpose: "verifying the tenancy") { residentId name } aka: residentId } } }`,
      { id: own },
    );
    const [head] = res.body.data.household.members;
    expect(head.residentId).toMatch(ID);
    expect(head.aka).toMatch(ID);
    expect(head.name).toMatch(/^.\*+$/);
    expect(head.identity.residentId).toMatch(/^\d{17}[\dX]$/);
    expect(head.identity.name).toBe('成员0');
  });

  it('an alias named like the released field does not unmask anything', async () => {
    const res = await t.gql(`query($id: ID!) { household(id: $id) { members { identity: residentId } } }`, { id: own });
    expect(res.body.data.household.members[0].identity).toMatch(ID);
  });

  it('masks IDs in alert periods and evidence, and in error messages', async () => {
    const spouse = (await memberIds(t, own))[1]!;
    await t.gql(`mutation($r: CivilAffairsRecords!) { submitCivilAffairsFeed(batchKey: "mask-death", records: $r) { status } }`, {
      r: { death: [{ residentId: spouse, diedOn: '2026-11-01' }] },
    });
    await t.gql(`mutation($ids: [ID!]) { runDetection(householdIds: $ids) }`, { ids: [own] });
    const alerts = await t.gql(`query($id: ID!) { alerts(filter: { householdId: $id }) { nodes { rule period } } }`, { id: own });
    const death = alerts.body.data.alerts.nodes.find((a: { rule: string }) => a.rule === 'MEMBER_DEATH');
    expect(death.period).toMatch(ID);
    const text = JSON.stringify(alerts.body);
    expect(text).not.toContain(spouse);
    const refused = await t.gql(`mutation($input: RegisterHouseholdInput!) { registerHousehold(input: $input) { id } }`, {
      input: {
        districtId: 'KC-KCZ',
        category: 'LOCAL',
        members: [{ residentId: spouse, name: '重复', birthDate: '1982-06-01', relation: 'HEAD' }],
        currentHousing: { floorArea: 10, tenure: 'RENTED' },
      },
    });
    expect(JSON.stringify(refused.body)).not.toContain(spouse);
    // graphql-js echoes a bad variable's value in its message: masked there too
    const echoed = await t.gql(`query($n: Int) { households(first: $n) { totalCount } }`, { n: spouse });
    expect(echoed.body.errors?.[0]?.message).toContain(`${spouse.slice(0, 6)}********${spouse.slice(-4)}`);
    expect(JSON.stringify(echoed.body)).not.toContain(spouse);
  });

  it('refuses identity without a real purpose', async () => {
    const res = await t.gql(`query($id: ID!) { household(id: $id) { head { identity(purpose: "x") { residentId } } } }`, { id: own });
    expect(codes(res)).toContain('BAD_USER_INPUT');
  });
});

describe('audit log (KC-35)', () => {
  it('records every read of a household’s agency data with who, role, household, agencies and purpose; the auditor reads it', async () => {
    const caseworker = t.as(CALLERS['CASEWORKER']!);
    const read = await caseworker.gql(
      `query($id: ID!) { household(id: $id) { members { hukou { areaCode } vehicles { plate } } } }`,
      { id: own },
      { 'x-hub-purpose': 'annual review 2026' },
    );
    expect(read.body.errors).toBeUndefined();
    // written beside the answer: it lands a moment later
    const reads = await vi.waitFor(async () => {
      const log = await t
        .as(CALLERS['AUDITOR']!)
        .gql(
          `query($h: ID!) { auditLog(filter: { householdId: $h, actor: "caseworker@kcz" }, first: 10) { totalCount nodes { actor role action householdId agencies purpose requestId } } }`,
          { h: own },
        );
      expect(log.body.errors).toBeUndefined();
      const rows = log.body.data.auditLog.nodes.filter((n: { action: string }) => n.action === 'READ');
      expect(rows).toHaveLength(2); // one row per member read
      return rows;
    });
    for (const row of reads) {
      expect(row).toMatchObject({
        actor: 'caseworker@kcz',
        role: 'CASEWORKER',
        householdId: own,
        purpose: 'annual review 2026',
        requestId: read.headers.get('x-request-id'),
      });
      expect(row.agencies).toEqual(['public-security']);
    }
  });

  it('records of the agency summary only the agencies it measures (it reads no pension, contract or deposit)', async () => {
    const caseworker = t.as(CALLERS['CASEWORKER']!);
    const read = await caseworker.gql(
      `query($id: ID!) { household(id: $id) { agencySummary { vehicleCount homesOwned } } }`,
      { id: own },
      { 'x-hub-purpose': 'summary only' },
    );
    expect(read.body.errors).toBeUndefined();
    const agencies = await vi.waitFor(async () => {
      const log = await t
        .as(CALLERS['AUDITOR']!)
        .gql(`query($h: ID!) { auditLog(filter: { householdId: $h, action: "READ" }, first: 20) { nodes { agencies requestId } } }`, { h: own });
      const rows = (log.body.data.auditLog.nodes as { agencies: string[]; requestId: string }[]).filter(
        (n) => n.requestId === read.headers.get('x-request-id'),
      );
      expect(rows.length).toBeGreaterThan(0);
      return new Set(rows.flatMap((r) => r.agencies));
    });
    expect(agencies.has('civil-affairs')).toBe(true);
    for (const agency of agencies) expect(['civil-affairs', 'public-security', 'real-estate', 'market-regulation']).toContain(agency);
  });

  it('records a released identity with its purpose, and changes (a parameter, an alert, a feed)', async () => {
    await t.gql(`query($id: ID!) { household(id: $id) { head { identity(purpose: "court order 2026-17") { residentId } } } }`, { id: own });
    await t.gql(`mutation { setPolicyParameter(input: { policyId: "KC", code: "COUNTY_URBAN_INCOME", value: 41000, effectiveFrom: "2027-01-01" }) { code } }`);
    const feed = await fetch(t.url.replace('/graphql', '/feeds/utilities/reading?batchKey=audit-bulk'), {
      method: 'POST',
      headers: { 'content-type': 'application/x-ndjson', authorization: `Bearer ${await t.as(CALLERS['AGENCY']!).token}` },
      body: '{"unitId":1,"month":"2026-10","kind":"WATER","quantity":3,"unit":"m3"}\n',
    });
    expect(feed.status).toBe(200);
    await vi.waitFor(async () => {
      const rows = await t.database.db.select().from(auditLog);
      expect(rows.find((r) => r.action === 'IDENTITY' && r.purpose === 'court order 2026-17')).toMatchObject({ householdId: Number(own), actor: 'admin@test' });
      expect(rows.find((r) => r.action === 'setPolicyParameter')).toMatchObject({ actor: 'admin@test', role: 'ADMIN' });
      expect(rows.find((r) => r.action === 'feed:utilities/reading')).toMatchObject({ actor: 'utilities-system', role: 'AGENCY' });
    });
  });

  it('is append-only: the database refuses to change or delete a row', async () => {
    const refusal = (statement: ReturnType<typeof sql>) =>
      t.database.db.execute(statement).then(
        () => 'done',
        (error: Error & { cause?: Error }) => error.cause?.message ?? error.message,
      );
    expect(await refusal(sql`update audit_log set actor = 'someone else'`)).toMatch(/append-only: UPDATE refused/);
    expect(await refusal(sql`delete from audit_log`)).toMatch(/append-only: DELETE refused/);
    expect(await refusal(sql`truncate audit_log`)).toMatch(/append-only: TRUNCATE refused/);
    expect((await t.database.db.select().from(auditLog)).length).toBeGreaterThan(0);
  });

  it('an agency submitting another agency’s bulk feed is refused before anything is read', async () => {
    const res = await fetch(t.url.replace('/graphql', '/feeds/public-security/vehicle?batchKey=x'), {
      method: 'POST',
      headers: { 'content-type': 'application/x-ndjson', authorization: `Bearer ${await t.as(CALLERS['AGENCY']!).token}` },
      body: '{}\n',
    });
    expect(res.status).toBe(403);
  });
});

describe('hardening', () => {
  it('rejects a query deeper than the limit, one with too many aliases, and a body too large, with clear errors', async () => {
    let deep = 'id';
    for (let i = 0; i < 6; i++) deep = `household { members { ${deep} } }`;
    const tooDeep = await t.gql(`{ person(residentId: "x") { ${deep} } }`);
    expect(tooDeep.body.errors?.[0]?.message).toMatch(/depth/i);
    const aliases = Array.from({ length: 20 }, (_, i) => `a${i}: me { id }`).join(' ');
    const tooMany = await t.gql(`{ ${aliases} }`);
    expect(tooMany.body.errors?.[0]?.message).toMatch(/aliases/i);
    const huge = await t.gql(`{ me { id } } # ${'x'.repeat(200_000)}`);
    expect(huge.status).toBe(413);
    expect(huge.body.errors?.[0]?.extensions?.['code']).toBe('PAYLOAD_TOO_LARGE');
  });

  it('refuses a request a browser could send cross-site (CSRF prevention)', async () => {
    const res = await fetch(t.url, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', authorization: await t.adminAuth() },
      body: JSON.stringify({ query: '{ me { id } }' }),
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/CSRF/i);
  });

  it('limits each token to its requests a minute (429 RATE_LIMITED), other tokens unaffected', async () => {
    const limited = await startTestHub({ env: { RATE_LIMIT_PER_MINUTE: '3' } });
    try {
      const a = limited.as({ sub: 'busy', role: 'MANAGER' });
      for (let i = 0; i < 3; i++) expect((await a.gql('{ me { id } }')).status).toBe(200);
      const over = await a.gql('{ me { id } }');
      expect(over.status).toBe(429);
      expect(over.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(over.body.errors?.[0]?.extensions?.['code']).toBe('RATE_LIMITED');
      expect((await limited.as({ sub: 'calm', role: 'MANAGER' }).gql('{ me { id } }')).status).toBe(200);
    } finally {
      await limited.close();
    }
  });

  it('in production: no introspection, no field suggestions', async () => {
    const prod = await startTestHub({ env: { NODE_ENV: 'production', AUTH_JWT_SECRET: TEST_JWT_SECRET } });
    try {
      const intro = await prod.gql('{ __schema { types { name } } }');
      expect(intro.body.errors?.[0]?.message).toMatch(/introspection/i);
      const typo = await prod.gql('{ househods(first: 1) { totalCount } }');
      expect(typo.body.errors?.[0]?.message).not.toMatch(/did you mean/i);
    } finally {
      await prod.close();
    }
  });

  it('passes every MUST of the graphql-http server audits (GraphQL over HTTP)', async () => {
    const { auditServer } = await import('graphql-http');
    const auth = await t.adminAuth();
    const results = await auditServer({
      url: t.url,
      fetchFn: (input: string | URL | Request, init?: RequestInit) => {
        const headers = new Headers(init?.headers);
        headers.set('authorization', auth);
        return fetch(input, { ...init, headers });
      },
    });
    const failedMusts = results.filter((r) => r.status !== 'ok' && r.name.startsWith('MUST'));
    expect(failedMusts.map((r) => `${r.name}: ${'reason' in r ? r.reason : ''}`)).toEqual([]);
    expect(results.filter((r) => r.name.startsWith('MUST')).length).toBeGreaterThan(10);
  });
});

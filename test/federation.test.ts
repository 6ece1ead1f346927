// Issue 15, items 1 and 2: the hub as a federation subgraph. _entities is not a back door: only requests
// the gateway signed (HMAC, as Hive Gateway's upstream signing sends them) may use it, and each entity is
// resolved under the root fields' rules: roles, district scope, masking and audit.
import { webcrypto } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { parse, print } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallerClaims } from '../src/auth/caller.js';
import { auditLog } from '../src/auth/tables.js';
import { households } from '../src/db/schema.js';
import { defaultParamsSerializer } from '@graphql-mesh/hmac-upstream-signature';
import { ADMIN, startTestHub, type GraphQLResponse, type TestHub } from './helpers/hub.js';
import { CALLERS } from './helpers/roles.js';
import { buildHousehold, memberIds } from './helpers/scenario.js';

const GATEWAY_SECRET = 'gateway-hmac-secret-of-at-least-32-chars';

let t: TestHub;
let own: string;
let other: string;
let ownPerson: string;
let otherPerson: string;
let ownResidentId: string;

beforeAll(async () => {
  t = await startTestHub({ env: { GATEWAY_HMAC_SECRET: GATEWAY_SECRET } });
  own = await buildHousehold(t, {});
  other = await buildHousehold(t, {});
  await t.database.db
    .update(households)
    .set({ districtId: 'KC-LXM' })
    .where(eq(households.id, Number(other)));
  ownResidentId = (await memberIds(t, own))[0]!;
  const ids = async (id: string) =>
    (await t.gql(`query($id: ID!) { household(id: $id) { members { id } } }`, { id })).body.data.household.members.map((m: { id: string }) => m.id);
  ownPerson = (await ids(own))[0];
  otherPerson = (await ids(other))[0];
});
afterAll(async () => {
  await t?.close();
});

/** what Hive Gateway's useHmacUpstreamSignature sends upstream: the printed document, its variables, the signature */
async function signedBody(secret: string, document: string, variables?: Record<string, unknown>) {
  const query = print(parse(document));
  const content = defaultParamsSerializer({ query, variables })!;
  const key = await webcrypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const signature = new Uint8Array(await webcrypto.subtle.sign('HMAC', key, new TextEncoder().encode(content)));
  return { query, variables, extensions: { 'hmac-signature': Buffer.from(signature).toString('base64') } };
}

/** a request as the gateway forwards it: the caller's bearer token, the body signed (or not) */
async function post(caller: CallerClaims | null, body: unknown, url = t.url): Promise<GraphQLResponse> {
  const token = caller ? await t.hub.authenticator.issue(caller) : null;
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as GraphQLResponse['body'] };
}

const ENTITIES = `query($representations: [_Any!]!) {
  _entities(representations: $representations) {
    ... on Household { id district { id } size members { id residentId name } }
    ... on Person { id residentId name birthDate household { id } }
  }
}`;
const entitiesOf = (...representations: Record<string, unknown>[]) => ({ representations });
const codes = (res: GraphQLResponse) => (res.body.errors ?? []).map((e) => e.extensions?.['code']);

const views = async (householdId: string, actor: string) =>
  t.database.db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.householdId, Number(householdId)), eq(auditLog.action, 'VIEW'), eq(auditLog.actor, actor)));

describe('signed _entities', () => {
  it('resolves Household and Person representations, resident IDs masked, and audits the view', async () => {
    const before = (await views(own, ADMIN.sub)).length;
    const vars = entitiesOf({ __typename: 'Household', id: own }, { __typename: 'Person', id: ownPerson });
    const res = await post(ADMIN, await signedBody(GATEWAY_SECRET, ENTITIES, vars));
    expect(res.status).toBe(200);
    expect(res.body.errors).toBeUndefined();
    const [household, person] = res.body.data._entities;
    expect(household).toMatchObject({ id: own, district: { id: 'KC-KCZ' }, size: 2 });
    expect(person).toMatchObject({ id: ownPerson, household: { id: own } });
    // masked as on every other path: first 6 and last 4 only
    expect(person.residentId).toBe(`${ownResidentId.slice(0, 6)}********${ownResidentId.slice(14)}`);
    expect(JSON.stringify(res.body)).not.toContain(ownResidentId);
    const after = await views(own, ADMIN.sub);
    expect(after.length).toBe(before + 1);
    expect((after.at(-1)!.detail as { fields: string[] }).fields).toEqual(expect.arrayContaining(['Household.members', 'Person.residentId', 'Person.name']));
  });

  it('answers null for an id that does not exist, and for one that is not a number', async () => {
    const vars = entitiesOf({ __typename: 'Household', id: '999999' }, { __typename: 'Person', id: 'x' }, { __typename: 'HousingUnit', id: '999999' });
    const res = await post(
      ADMIN,
      await signedBody(GATEWAY_SECRET, `query($representations: [_Any!]!) { _entities(representations: $representations) { __typename } }`, vars),
    );
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data._entities).toEqual([null, null, null]);
  });

  it('gives a district-bound caseworker null for another district’s household and person, its own as usual', async () => {
    const vars = entitiesOf({ __typename: 'Household', id: other }, { __typename: 'Person', id: otherPerson }, { __typename: 'Household', id: own });
    const res = await post(CALLERS['CASEWORKER']!, await signedBody(GATEWAY_SECRET, ENTITIES, vars));
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data._entities[0]).toBeNull();
    expect(res.body.data._entities[1]).toBeNull();
    expect(res.body.data._entities[2]).toMatchObject({ id: own });
    expect(await views(other, CALLERS['CASEWORKER']!.sub)).toEqual([]);
  });

  it('resolves HousingUnit and District entities, a unit of another district null for a district-bound caseworker (districts it sees all, as district(id))', async () => {
    const unit = async (districtId: string, address: string) =>
      (
        await t.gql(`mutation($input: CreateHousingUnitInput!) { createHousingUnit(input: $input) { id } }`, {
          input: { districtId, address, floorArea: 48, rooms: 2, kind: 'PUBLIC_RENTAL' },
        })
      ).body.data.createHousingUnit.id;
    const ownUnit = await unit('KC-KCZ', 'federation test road 1');
    const otherUnit = await unit('KC-LXM', 'federation test road 2');
    const query = `query($representations: [_Any!]!) { _entities(representations: $representations) { ... on HousingUnit { id address district { id } } ... on District { id name } } }`;
    const vars = entitiesOf(
      { __typename: 'HousingUnit', id: ownUnit },
      { __typename: 'HousingUnit', id: otherUnit },
      { __typename: 'District', id: 'KC-LXM' },
      { __typename: 'District', id: 'KC-KCZ' },
    );
    const admin = await post(ADMIN, await signedBody(GATEWAY_SECRET, query, vars));
    expect(admin.body.errors).toBeUndefined();
    expect(admin.body.data._entities.map((e: { id: string } | null) => e?.id ?? null)).toEqual([ownUnit, otherUnit, 'KC-LXM', 'KC-KCZ']);
    const caseworker = await post(CALLERS['CASEWORKER']!, await signedBody(GATEWAY_SECRET, query, vars));
    expect(caseworker.body.errors).toBeUndefined();
    expect(caseworker.body.data._entities.map((e: { id: string } | null) => e?.id ?? null)).toEqual([ownUnit, null, 'KC-LXM', 'KC-KCZ']);
  });

  it('refuses each entity to a role its root field refuses (an AGENCY caller reads no household)', async () => {
    const res = await post(CALLERS['AGENCY']!, await signedBody(GATEWAY_SECRET, ENTITIES, entitiesOf({ __typename: 'Household', id: own })));
    expect(res.body.data?._entities).toEqual([null]);
    expect(codes(res)).toEqual(['FORBIDDEN']);
    expect(await views(own, CALLERS['AGENCY']!.sub)).toEqual([]);
  });

  it('still needs the caller’s own credential: the gateway forwards Authorization', async () => {
    const res = await post(null, await signedBody(GATEWAY_SECRET, ENTITIES, entitiesOf({ __typename: 'Household', id: own })));
    expect(res.status).toBe(401);
    expect(codes(res)).toEqual(['UNAUTHENTICATED']);
  });
});

describe('unsigned _entities and _service', () => {
  it('refuses a direct unsigned _entities call, and shows nothing', async () => {
    const res = await post(ADMIN, { query: ENTITIES, variables: entitiesOf({ __typename: 'Household', id: own }) });
    expect(res.body.data ?? null).toBeNull();
    expect(codes(res)).toEqual(['FORBIDDEN']);
    expect(JSON.stringify(res.body)).not.toContain('KC-KCZ');
  });

  it('refuses a wrong signature, one made with another key, and a signed body changed afterwards', async () => {
    const vars = entitiesOf({ __typename: 'Household', id: own });
    const forged = await signedBody('not-the-gateway-secret-but-just-as-long!', ENTITIES, vars);
    const tampered = { ...(await signedBody(GATEWAY_SECRET, ENTITIES, vars)), variables: entitiesOf({ __typename: 'Household', id: other }) };
    const garbage = { query: ENTITIES, variables: vars, extensions: { 'hmac-signature': 'c2lnbmVk' } };
    for (const body of [forged, tampered, garbage]) {
      const res = await post(ADMIN, body);
      expect(res.body.data ?? null).toBeNull();
      expect(codes(res)).toEqual(['FORBIDDEN']);
    }
  });

  it('refuses _service unsigned and answers it signed', async () => {
    const unsigned = await post(ADMIN, { query: '{ _service { sdl } }' });
    expect(codes(unsigned)).toEqual(['FORBIDDEN']);
    const signed = await post(ADMIN, await signedBody(GATEWAY_SECRET, '{ _service { sdl } }'));
    expect(signed.body.errors).toBeUndefined();
    expect(signed.body.data._service.sdl).toMatch(/type Person\s+@key\(fields: "id"\)/);
  });

  it('leaves the root fields as they were: no signature needed for household(id)', async () => {
    const res = await t.gql(`query($id: ID!) { household(id: $id) { id } }`, { id: own });
    expect(res.body).toEqual({ data: { household: { id: own } } });
  });
});

describe('over WebSocket', () => {
  it('refuses _entities signed or not: only subscriptions go over WebSocket', async () => {
    const { createClient } = await import('graphql-ws');
    const { default: WebSocket } = await import('ws');
    const client = createClient({
      url: t.url.replace('http://', 'ws://'),
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      connectionParams: { authorization: await t.adminAuth() },
    });
    try {
      const vars = entitiesOf({ __typename: 'Household', id: own });
      for (const payload of [{ query: ENTITIES, variables: vars }, await signedBody(GATEWAY_SECRET, ENTITIES, vars)]) {
        const outcome = await new Promise<{ next?: unknown; error?: unknown }>((resolve) => {
          client.subscribe(payload, { next: (next) => resolve({ next }), error: (error) => resolve({ error }), complete: () => resolve({}) });
        });
        expect(outcome.next).toBeUndefined();
        expect((outcome.error as { extensions?: { code?: string } }[]).map((e) => e.extensions?.code)).toEqual(['BAD_REQUEST']);
      }
    } finally {
      await client.dispose();
    }
  });
});

describe('a hub with no GATEWAY_HMAC_SECRET', () => {
  let bare: TestHub;
  beforeAll(async () => {
    bare = await startTestHub();
  });
  afterAll(async () => {
    await bare?.close();
  });

  it('refuses _entities and _service whatever the signature', async () => {
    const token = await bare.hub.authenticator.issue(ADMIN);
    for (const body of [await signedBody(GATEWAY_SECRET, '{ _service { sdl } }'), { query: '{ _service { sdl } }' }]) {
      const res = await fetch(bare.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify(body),
      });
      const json = (await res.json()) as GraphQLResponse['body'];
      expect(json.errors?.map((e) => e.extensions?.['code'])).toEqual(['FORBIDDEN']);
    }
  });
});

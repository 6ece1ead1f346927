// Issue 15, part 4: civil affairs runs its own GraphQL subgraph (src/demo/agency-subgraph.ts), composed with the hub
// behind the gateway. Hub, agency subgraph and gateway run on 127.0.0.1 and are asked as a dashboard asks: a page
// joining the hub's fields with the agency's costs one _entities request and one loader batch there; the agency down
// or slow leaves its fields null with a coded error and the hub's intact; the hub's own live source for civil
// affairs is the same subgraph, so qualification shows the agency's criteria UNKNOWN then. No resident ID crosses
// the gateway: the agency knows people by the pseudonym subjectRef.
import { randomUUID } from 'node:crypto';
import { and, eq, inArray } from 'drizzle-orm';
import { createClient } from 'graphql-ws';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import type { CallerClaims } from '../src/auth/caller.js';
import { auditLog } from '../src/auth/tables.js';
import { generateAgencyRecords, type AgencyRecords } from '../src/demo/agency-data.js';
import { startAgencySubgraph, type AgencySubgraph } from '../src/demo/agency-subgraph.js';
import { generateDemoData } from '../src/demo/generator.js';
import { ERRORS } from '../src/errors.js';
import { createGateway, type Gateway } from '../src/gateway/gateway.js';
import { PUBLISHED_SDL } from '../src/schema.js';
import { ADMIN, startTestHub, TEST_TODAY, type GraphQLResponse, type TestHub } from './helpers/hub.js';
import { CALLERS } from './helpers/roles.js';
import { housedHousehold } from './helpers/scenario.js';

const GATEWAY_SECRET = 'gateway-hmac-secret-of-at-least-32-chars';
const SUBJECT_SECRET = 'federation-subject-secret-of-32-chars-min';
const AGENCY_TOKEN = 'civil-affairs-subgraph-token';
const SEED = 7;
const HOUSEHOLDS = 20;
const UPSTREAM_TIMEOUT_MS = 2_000;
/** the hub's own limit on the agency: under the gateway's on the hub, so a slow agency costs the hub's answer nothing */
const HUB_AGENCY_TIMEOUT_MS = 800;

let records: AgencyRecords;
let agency: AgencySubgraph;
let t: TestHub;
let gateway: Gateway;
let gatewayUrl: string;

beforeAll(async () => {
  records = generateAgencyRecords(generateDemoData({ households: HOUSEHOLDS, seed: SEED, today: TEST_TODAY }), SEED, TEST_TODAY);
  agency = await startAgencySubgraph({ records, asOf: TEST_TODAY, subjectSecret: SUBJECT_SECRET, gatewaySecret: GATEWAY_SECRET, token: AGENCY_TOKEN });
  t = await startTestHub({
    households: HOUSEHOLDS,
    seed: SEED,
    env: {
      GATEWAY_HMAC_SECRET: GATEWAY_SECRET,
      FEDERATION_SUBJECT_SECRET: SUBJECT_SECRET,
      // the hub's live source for civil affairs: the same subgraph
      AGENCY_CIVIL_AFFAIRS_URL: agency.url,
      AGENCY_CIVIL_AFFAIRS_PROTOCOL: 'graphql',
      AGENCY_CIVIL_AFFAIRS_TOKEN: AGENCY_TOKEN,
      AGENCY_TIMEOUT_MS: String(HUB_AGENCY_TIMEOUT_MS),
      AGENCY_DEADLINE_MS: String(HUB_AGENCY_TIMEOUT_MS),
      AGENCY_RETRIES: '0',
      AGENCY_BREAKER_RESET_MS: '200',
    },
  });
  gateway = await createGateway({
    // the agency's SDL is read from the agency itself, by a signed _service request
    subgraphs: [
      { name: 'hub', url: t.url, sdlFile: PUBLISHED_SDL },
      { name: 'civil_affairs', url: agency.url },
    ],
    hmacSecret: GATEWAY_SECRET,
    timeoutMs: UPSTREAM_TIMEOUT_MS,
    retries: 0,
    logging: false,
  });
  gatewayUrl = await gateway.listen(0, '127.0.0.1');
});
afterAll(async () => {
  await gateway?.close();
  await t?.close();
  await agency?.close();
});
afterEach(async () => {
  agency.behaviour = {};
  await new Promise((r) => setTimeout(r, 250)); // past the hub's breaker reset
});

async function ask(url: string, caller: CallerClaims | null, query: string, variables?: Record<string, unknown>, headers: Record<string, string> = {}) {
  const token = caller ? await t.hub.authenticator.issue(caller) : null;
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as GraphQLResponse['body'] } as GraphQLResponse;
}
const viaGateway = (caller: CallerClaims | null, query: string, variables?: Record<string, unknown>, headers?: Record<string, string>) =>
  ask(gatewayUrl, caller, query, variables, headers);
const direct = (caller: CallerClaims | null, query: string, variables?: Record<string, unknown>) => ask(t.url, caller, query, variables);

interface Member {
  id: string;
  name: string;
  civilAffairs: { asOf: string; allowance: { status: string } | null; incomes: { year: number; annualIncome: number }[] } | null;
}
type Page = { households: { nodes: { id: string; status: string; district: { id: string }; members: Member[] }[] } };

const DASHBOARD = /* GraphQL */ `
  query Dashboard($first: Int) {
    households(first: $first) {
      nodes {
        id
        status
        district {
          id
        }
        members {
          id
          name
          civilAffairs {
            asOf
            allowance {
              status
            }
            incomes {
              year
              annualIncome
            }
          }
        }
      }
    }
  }
`;
/** the same page without the agency's fields: what the hub alone answers */
const HUB_ONLY = DASHBOARD.replace(/civilAffairs \{[\s\S]*?\n {10}\}\n/, '');

const allMembers = (page: Page) => page.households.nodes.flatMap((n) => n.members);
const residentIds = () => Object.values(records['civil-affairs']).flatMap((list) => list.map((r) => String(r['residentId'])));

describe('a dashboard page through the gateway, the agency’s fields joined', () => {
  it('costs exactly one _entities request to the agency and one loader batch there, and carries no resident ID to it', async () => {
    const [requests, batches] = [agency.entitiesRequests, agency.batches.length];
    const res = await viaGateway(ADMIN, DASHBOARD, { first: HOUSEHOLDS });
    expect(res.body.errors).toBeUndefined();
    const members = allMembers(res.body.data as Page);
    expect(members.length).toBeGreaterThan(HOUSEHOLDS);
    expect(agency.entitiesRequests - requests).toBe(1);
    expect(agency.batches.slice(batches)).toEqual([members.length]);
    // every person answered; the agency's records show (the demo households on the allowance have it)
    expect(members.every((m) => m.civilAffairs?.asOf === TEST_TODAY)).toBe(true);
    expect(members.filter((m) => m.civilAffairs?.allowance).length).toBe(records['civil-affairs']['allowance']!.length);
    expect(members.flatMap((m) => m.civilAffairs?.incomes ?? []).length).toBe(records['civil-affairs']['income']!.length);
    // the hub's fields as the hub alone gives them, masked
    expect(members.every((m) => /^.\*+$/u.test(m.name))).toBe(true);
    const alone = await direct(ADMIN, HUB_ONLY, { first: HOUSEHOLDS });
    expect(alone.body.errors).toBeUndefined();
    const stripped = (res.body.data as Page).households.nodes.map((n) => ({ ...n, members: n.members.map(({ civilAffairs: _, ...m }) => m) }));
    expect(stripped).toEqual((alone.body.data as Page).households.nodes);
    // the agency was asked by pseudonym only
    const sent = agency.bodies.join('\n');
    expect(sent).toContain('subjectRef');
    for (const id of residentIds()) expect(sent).not.toContain(id);
  });

  it('shows what the hub’s own fields (its live source: the same subgraph) show', async () => {
    const res = await viaGateway(ADMIN, `{ households(first: 10) { nodes { members { allowance { status } civilAffairs { allowance { status } } } } } }`);
    expect(res.body.errors).toBeUndefined();
    const members = res.body.data.households.nodes.flatMap((n: { members: unknown[] }) => n.members) as {
      allowance: { status: string } | null;
      civilAffairs: { allowance: { status: string } | null };
    }[];
    expect(members.map((m) => m.civilAffairs.allowance?.status ?? null)).toEqual(members.map((m) => m.allowance?.status ?? null));
  });

  it('still costs one request and one batch when the same people are asked under two aliases', async () => {
    const [requests, batches] = [agency.entitiesRequests, agency.batches.length];
    const res = await viaGateway(
      ADMIN,
      `{ households(first: 10) { nodes { id
          a: members { id status: civilAffairs { allowance { status } } }
          b: members { id money: civilAffairs { incomes { year annualIncome } } again: civilAffairs { asOf } } } } }`,
    );
    expect(res.body.errors).toBeUndefined();
    const nodes = res.body.data.households.nodes as { a: { id: string }[]; b: { id: string; again: { asOf: string } }[] }[];
    const people = nodes.flatMap((n) => n.a.map((m) => m.id));
    expect(nodes.flatMap((n) => n.b).every((m) => m.again.asOf === TEST_TODAY)).toBe(true);
    expect(agency.entitiesRequests - requests).toBe(1);
    expect(agency.batches.slice(batches)).toEqual([new Set(people).size]);
  });
});

const civilCriteria = (page: { households: { nodes: { qualification: { categories: { criteria: Criterion[] }[] } }[] } }) =>
  page.households.nodes
    .flatMap((n) => n.qualification.categories.flatMap((c) => c.criteria))
    .filter((c) => c.evidence.some((e) => e.agency === 'civil-affairs'));
interface Criterion {
  code: string;
  outcome: string;
  reason: string | null;
  evidence: { agency: string }[];
}
const QUALIFICATION = `{ households(first: 5) { nodes { id qualification { categories { criteria { code outcome reason evidence { agency } } } } } } }`;

describe('the agency down or slow', () => {
  /** every error on an agency field: at a member's civilAffairs, coded, and telling nothing of the agency's insides */
  function expectAgencyFieldsFailed(res: GraphQLResponse, page: Page) {
    const members = allMembers(page);
    expect(members.length).toBeGreaterThan(0);
    expect(members.every((m) => m.civilAffairs === null)).toBe(true);
    // the hub's fields intact
    expect(page.households.nodes.every((n) => /^\d+$/.test(n.id) && n.district.id && n.status)).toBe(true);
    expect(members.every((m) => /^\d+$/.test(m.id) && /^.\*+$/u.test(m.name))).toBe(true);
    const errors = res.body.errors ?? [];
    expect(errors.length).toBeGreaterThan(0);
    for (const error of errors) {
      expect(error.path).toEqual(['households', 'nodes', expect.any(Number), 'members', expect.any(Number), 'civilAffairs']);
      expect(error.extensions?.['code']).toBe('AGENCY_UNAVAILABLE');
      expect(Object.keys(ERRORS)).toContain(error.extensions?.['code']);
      expect(error.message).toBe('civil_affairs did not answer');
    }
    const text = JSON.stringify(res.body);
    for (const leak of ['10.1.2.3', 'pool exhausted', 'ECONNRESET', 'socket', agency.url, 'secret ledger']) expect(text).not.toContain(leak);
  }

  it('down (connection cut): partial data, the agency’s fields null with AGENCY_UNAVAILABLE at their path; qualification UNKNOWN', async () => {
    const healthy = civilCriteria((await direct(ADMIN, QUALIFICATION)).body.data);
    expect(healthy.length).toBeGreaterThan(0);
    expect(healthy.every((c) => c.outcome !== 'UNKNOWN')).toBe(true);

    agency.behaviour = { reset: true };
    const res = await viaGateway(ADMIN, DASHBOARD, { first: 5 });
    expectAgencyFieldsFailed(res, res.body.data as Page);

    const qualification = await viaGateway(ADMIN, QUALIFICATION);
    expect(qualification.body.errors).toBeUndefined();
    const criteria = civilCriteria(qualification.body.data);
    expect(criteria.length).toBe(healthy.length);
    for (const c of criteria) {
      expect(c.outcome).toBe('UNKNOWN');
      expect(c.reason).toMatch(/^civil-affairs unavailable: /);
    }
  });

  it('answering HTTP 503 with its internal message, or failing each person with one: the message is not passed on', async () => {
    agency.behaviour = { status: 503 };
    const down = await viaGateway(ADMIN, DASHBOARD, { first: 3 });
    expectAgencyFieldsFailed(down, down.body.data as Page);

    agency.behaviour = { failWith: 'secret ledger at db-7.ca.internal refused the query' };
    const failing = await viaGateway(ADMIN, DASHBOARD, { first: 3 });
    expectAgencyFieldsFailed(failing, failing.body.data as Page);
    expect(JSON.stringify(failing.body)).not.toContain('db-7');
    // the agency itself does say it: the gateway is what keeps it from the client
    const raw = await fetch(agency.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${AGENCY_TOKEN}` },
      body: JSON.stringify({
        query: `query($r: [_Any!]!) { _entities(representations: $r) { ... on Person { civilAffairs { asOf } } } }`,
        variables: { r: [{ __typename: 'Person', subjectRef: 'A'.repeat(43) }] },
      }),
    });
    expect(await raw.text()).toContain('db-7');
  });

  it(`slow (beyond the gateway's ${UPSTREAM_TIMEOUT_MS} ms): the page answers in time, the agency's fields null and coded; qualification UNKNOWN`, async () => {
    agency.behaviour = { delayMs: UPSTREAM_TIMEOUT_MS * 2 };
    const started = Date.now();
    const res = await viaGateway(ADMIN, DASHBOARD, { first: 5 });
    expect(Date.now() - started).toBeLessThan(UPSTREAM_TIMEOUT_MS * 1.8);
    expectAgencyFieldsFailed(res, res.body.data as Page);

    const qualification = await viaGateway(ADMIN, QUALIFICATION);
    expect(qualification.body.errors).toBeUndefined();
    const criteria = civilCriteria(qualification.body.data);
    expect(criteria.length).toBeGreaterThan(0);
    expect(
      criteria.every((c) => c.outcome === 'UNKNOWN' && /^civil-affairs unavailable: (no answer within|unavailable \(circuit open)/.test(c.reason ?? '')),
    ).toBe(true);
  });
});

describe('the hub’s rules through the gateway, with the agency’s fields', () => {
  it('keeps a CASEWORKER to its district: the agency is asked only about people the hub showed', async () => {
    const caseworker = CALLERS['CASEWORKER']!;
    const [requests, batches] = [agency.entitiesRequests, agency.batches.length];
    const res = await viaGateway(caseworker, DASHBOARD, { first: 20 });
    expect(res.body.errors).toBeUndefined();
    const page = res.body.data as Page;
    expect(new Set(page.households.nodes.map((n) => n.district.id))).toEqual(new Set(['KC-KCZ']));
    expect(agency.entitiesRequests - requests).toBe(1);
    expect(agency.batches.slice(batches)).toEqual([allMembers(page).length]);
  });

  it('refuses the agency’s fields to a role the hub refuses Person to, and asks the agency nothing', async () => {
    const requests = agency.entitiesRequests;
    const auditor = CALLERS['AUDITOR']!;
    const [through, alone] = await Promise.all([viaGateway(auditor, DASHBOARD, { first: 3 }), direct(auditor, HUB_ONLY, { first: 3 })]);
    expect((through.body.errors ?? []).map((e) => e.extensions?.['code'])).toContain('FORBIDDEN');
    expect(through.body.data ?? null).toEqual(alone.body.data ?? null);
    expect(agency.entitiesRequests).toBe(requests);
  });

  it('audits the people whose pseudonym went to the agency as a view of their household, with the caller and request id', async () => {
    const requestId = `fed-${randomUUID()}`;
    const caseworker = CALLERS['CASEWORKER']!;
    // no resident ID or name asked: only the agency's fields
    const res = await viaGateway(caseworker, `{ households(first: 3) { nodes { id members { civilAffairs { asOf } } } } }`, undefined, {
      'x-request-id': requestId,
    });
    expect(res.body.errors).toBeUndefined();
    const ids = res.body.data.households.nodes.map((n: { id: string }) => Number(n.id)) as number[];
    const rows = await vi.waitFor(async () => {
      const found = await t.database.db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.requestId, requestId), inArray(auditLog.householdId, ids)));
      expect(new Set(found.map((r) => r.householdId))).toEqual(new Set(ids));
      return found;
    });
    expect(rows.every((r) => r.actor === caseworker.sub)).toBe(true);
    // the entry names the pseudonym read, household by household
    for (const id of ids) {
      const views = rows.filter((r) => r.householdId === id && r.action === 'VIEW');
      expect(views.flatMap((r) => (r.detail as { fields: string[] }).fields)).toContain('Person.subjectRef');
    }
  });

  it('never shows the pseudonym: not to the gateway’s clients, not to a direct unsigned caller of the hub', async () => {
    const through = await viaGateway(ADMIN, `{ households(first: 1) { nodes { members { subjectRef } } } }`);
    expect(through.body.data ?? null).toBeNull();
    expect(JSON.stringify(through.body.errors)).toMatch(/subjectRef/);
    const alone = await direct(ADMIN, `{ households(first: 1) { nodes { members { id subjectRef } } } }`);
    const members = alone.body.data.households.nodes[0].members as { id: string; subjectRef: string | null }[];
    expect(members.every((m) => m.subjectRef === null)).toBe(true);
    expect(alone.body.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
  });

  it('the agency answers no one but the gateway and its bearer: an unsigned _entities call is refused', async () => {
    const query = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Person { civilAffairs { asOf } } } }`;
    const variables = { r: [{ __typename: 'Person', subjectRef: 'A'.repeat(43) }] };
    const unsigned = await fetch(agency.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
    expect(unsigned.status).toBe(401);
    const withToken = await fetch(agency.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${AGENCY_TOKEN}` },
      body: JSON.stringify({ query, variables }),
    });
    expect(((await withToken.json()) as { data: { _entities: unknown[] } }).data._entities).toEqual([{ civilAffairs: { asOf: TEST_TODAY } }]);
    // and the hub's own _entities, unsigned (test/federation.test.ts covers it in full)
    const hub = await direct(ADMIN, `query($r: [_Any!]!) { _entities(representations: $r) { __typename } }`, { r: [{ __typename: 'Person', id: '1' }] });
    expect(hub.body.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
  });

  it('does not hand the caller’s bearer token to the agency', async () => {
    const res = await viaGateway(ADMIN, DASHBOARD, { first: 1 });
    expect(res.body.errors).toBeUndefined();
    expect(agency.authorizations.filter((a) => a && a !== `Bearer ${AGENCY_TOKEN}`)).toEqual([]);
  });
});

describe('an alert through the gateway, enriched by the agency', () => {
  it('reaches a graphql-ws subscriber of the gateway with the members’ civil affairs profile; with the agency down, coded errors', async () => {
    const subscriber = createClient({
      url: gatewayUrl.replace('http://', 'ws://'),
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      lazy: true,
      connectionParams: { authorization: await t.adminAuth() },
    });
    type Event = { rule: string; household: { id: string; members: { civilAffairs: { asOf: string; incomes: unknown[] } | null }[] } };
    const received: {
      data?: { alertRaised: Event } | null;
      errors?: readonly { message: string; path?: readonly (string | number)[]; extensions?: Record<string, unknown> }[];
    }[] = [];
    let failure: unknown = null;
    try {
      subscriber.subscribe<{ alertRaised: Event }>(
        { query: 'subscription { alertRaised { rule household { id members { civilAffairs { asOf incomes { year } } } } } }' },
        { next: (message) => void received.push(message), error: (error) => (failure = error), complete: () => undefined },
      );
      await new Promise((r) => setTimeout(r, 500)); // let the subscription reach the hub
      /** utilities pushes a feed for a newly housed household: three months lived in, then seven empty, raises the vacancy alert */
      const vacancyFeed = async (batchKey: string) => {
        const { id, unitId } = await housedHousehold(t);
        const reading = (month: string, occupied: boolean) => [
          { unitId, month, kind: 'WATER', quantity: occupied ? 6 : 0, unit: 'm3' },
          { unitId, month, kind: 'ELECTRICITY', quantity: occupied ? 150 : 2, unit: 'kWh' },
          { unitId, month, kind: 'GAS', quantity: occupied ? 10 : 0.2, unit: 'm3' },
        ];
        const readings = Array.from({ length: 10 }, (_, i) => reading(`2026-${String(i + 1).padStart(2, '0')}`, i < 3)).flat();
        const feed = await viaGateway(
          ADMIN,
          `mutation($k: String!, $r: UtilitiesRecords!) { submitUtilitiesFeed(batchKey: $k, records: $r) { alertsRaised } }`,
          {
            k: batchKey,
            r: { reading: readings },
          },
        );
        expect(feed.body.errors).toBeUndefined();
        expect(feed.body.data.submitUtilitiesFeed.alertsRaised).toBeGreaterThan(0);
        return vi.waitFor(
          () => {
            expect(failure).toBeNull();
            const message = received.find((m) => m.data?.alertRaised.household.id === id);
            expect(message).toBeDefined();
            return message!;
          },
          { timeout: 10_000, interval: 50 },
        );
      };

      const healthy = await vacancyFeed('fed-vacancy-1');
      expect(healthy.errors).toBeUndefined();
      const members = healthy.data!.alertRaised.household.members;
      expect(members.length).toBeGreaterThan(0);
      expect(members.every((m) => m.civilAffairs?.asOf === TEST_TODAY && Array.isArray(m.civilAffairs.incomes))).toBe(true);

      // the agency down: the alert still arrives, its agency fields null with the hub's code, nothing of the agency's words
      agency.behaviour = { status: 503 };
      const degraded = await vacancyFeed('fed-vacancy-2');
      const without = degraded.data!.alertRaised.household.members;
      expect(without.length).toBeGreaterThan(0);
      expect(without.every((m) => m.civilAffairs === null)).toBe(true);
      expect(degraded.errors?.map((e) => [e.extensions?.['code'], e.path])).toEqual(
        without.map((_, i) => ['AGENCY_UNAVAILABLE', ['alertRaised', 'household', 'members', i, 'civilAffairs']]),
      );
      expect(JSON.stringify(degraded)).not.toContain('10.1.2.3');
    } finally {
      await subscriber.dispose();
    }
  });
});

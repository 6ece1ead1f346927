// Issue 15, part 4: the hub's live source for civil affairs is the agency's own GraphQL subgraph
// (AGENCY_CIVIL_AFFAIRS_PROTOCOL=graphql): one _entities request per batch, asked by pseudonym, records validated
// by the kind's schema as REST records are. Qualification answers the same whether civil affairs pushed its
// records as feeds or answers over GraphQL, and shows its criteria UNKNOWN when the subgraph is down.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';
import { generateAgencyRecords, type AgencyRecords } from '../src/demo/agency-data.js';
import { startAgencySubgraph, type AgencySubgraph } from '../src/demo/agency-subgraph.js';
import { generateDemoData } from '../src/demo/generator.js';
import { startTestHub, TEST_TODAY, type TestHub } from './helpers/hub.js';

const SUBJECT_SECRET = 'federation-subject-secret-of-32-chars-min';
const TOKEN = 'civil-affairs-subgraph-token';
const SEED = 11;
/** the hub's limit on one call: generous, so a machine busy with other work does not fail a healthy call */
const TIMEOUT_MS = 2_000;
const HOUSEHOLDS = 20;

const QUALIFICATION = /* GraphQL */ `
  query ($first: Int) {
    households(first: $first) {
      nodes {
        id
        qualification {
          categories {
            category
            criteria {
              code
              outcome
              reason
              evidence {
                agency
              }
            }
          }
        }
      }
    }
  }
`;
interface Criterion {
  code: string;
  outcome: string;
  reason: string | null;
  evidence: { agency: string }[];
}
type Page = { households: { nodes: { id: string; qualification: { categories: { category: string; criteria: Criterion[] }[] } }[] } };
const civilCriteria = (page: Page) =>
  page.households.nodes.flatMap((n) =>
    n.qualification.categories.flatMap((c) =>
      c.criteria.filter((x) => x.evidence.some((e) => e.agency === 'civil-affairs')).map((x) => ({ household: n.id, category: c.category, ...x })),
    ),
  );

let records: AgencyRecords;
let agency: AgencySubgraph;
let live: TestHub;
let fed: TestHub;

beforeAll(async () => {
  records = generateAgencyRecords(generateDemoData({ households: HOUSEHOLDS, seed: SEED, today: TEST_TODAY }), SEED, TEST_TODAY);
  agency = await startAgencySubgraph({ records, asOf: TEST_TODAY, subjectSecret: SUBJECT_SECRET, token: TOKEN });
  // every agency from its feeds; civil affairs, on this hub, live from its subgraph
  live = await startTestHub({
    households: HOUSEHOLDS,
    seed: SEED,
    agencyFeeds: true,
    env: {
      FEDERATION_SUBJECT_SECRET: SUBJECT_SECRET,
      AGENCY_CIVIL_AFFAIRS_URL: agency.url,
      AGENCY_CIVIL_AFFAIRS_PROTOCOL: 'graphql',
      AGENCY_CIVIL_AFFAIRS_TOKEN: TOKEN,
      AGENCY_TIMEOUT_MS: String(TIMEOUT_MS),
      AGENCY_DEADLINE_MS: String(TIMEOUT_MS),
      AGENCY_RETRIES: '1',
      AGENCY_BREAKER_RESET_MS: '200',
    },
  });
  fed = await startTestHub({ households: HOUSEHOLDS, seed: SEED, agencyFeeds: true });
});
afterAll(async () => {
  await live?.close();
  await fed?.close();
  await agency?.close();
});
afterEach(async () => {
  agency.behaviour = {};
  await new Promise((r) => setTimeout(r, 250)); // past the breaker's reset
});

describe('civil affairs live from its GraphQL subgraph', () => {
  it('loads a page’s people in one _entities request and one loader batch, asked by pseudonym, the records as the agency has them', async () => {
    const [requests, batches] = [agency.entitiesRequests, agency.batches.length];
    const res = await live.gql(
      `{ households(first: ${HOUSEHOLDS}) { nodes { members { id allowance { status source } incomes { year annualIncome source } maritalStatus { status } } } } }`,
    );
    expect(res.body.errors).toBeUndefined();
    const members = res.body.data.households.nodes.flatMap((n: { members: unknown[] }) => n.members) as {
      allowance: { status: string; source: string } | null;
      incomes: { year: number; annualIncome: number; source: string }[];
      maritalStatus: { status: string } | null;
    }[];
    expect(agency.entitiesRequests - requests).toBe(1);
    expect(agency.batches.slice(batches)).toEqual([members.length]);
    expect(members.filter((m) => m.allowance).length).toBe(records['civil-affairs']['allowance']!.length);
    expect(members.flatMap((m) => m.incomes).length).toBe(records['civil-affairs']['income']!.length);
    expect(members.flatMap((m) => [m.allowance?.source, ...m.incomes.map((i) => i.source)]).filter(Boolean)).toSatisfy((s: string[]) =>
      s.every((x) => x === 'LIVE'),
    );
    // nothing but pseudonyms went to the agency
    const sent = agency.bodies.slice(-1)[0]!;
    for (const list of Object.values(records['civil-affairs'])) for (const r of list) expect(sent).not.toContain(String(r['residentId']));
  });

  it('qualifies as it does with the records pushed as feeds', async () => {
    const [fromGraphql, fromFeeds] = await Promise.all([
      live.gql<Page>(QUALIFICATION, { first: HOUSEHOLDS }),
      fed.gql<Page>(QUALIFICATION, { first: HOUSEHOLDS }),
    ]);
    expect(fromGraphql.body.errors).toBeUndefined();
    const outcomes = (page: Page) => civilCriteria(page).map(({ household, category, code, outcome }) => ({ household, category, code, outcome }));
    expect(outcomes(fromGraphql.body.data!).length).toBeGreaterThan(0);
    expect(outcomes(fromGraphql.body.data!).every((c) => c.outcome !== 'UNKNOWN')).toBe(true);
    expect(outcomes(fromGraphql.body.data!)).toEqual(outcomes(fromFeeds.body.data!));
  });

  it('shows the criteria on civil affairs UNKNOWN, with the cause, when the subgraph is down; the others answer', async () => {
    agency.behaviour = { reset: true };
    const res = await live.gql<Page>(QUALIFICATION, { first: 5 });
    expect(res.body.errors).toBeUndefined();
    const criteria = civilCriteria(res.body.data!);
    expect(criteria.length).toBeGreaterThan(0);
    for (const c of criteria) {
      expect(c.outcome).toBe('UNKNOWN');
      // unreachable; or, when earlier failures opened the breaker, not even asked
      expect(c.reason).toMatch(/^civil-affairs unavailable: (unreachable|unavailable \(circuit open)/);
    }
    const others = res.body
      .data!.households.nodes.flatMap((n) => n.qualification.categories.flatMap((c) => c.criteria))
      .filter((c) => c.evidence.length && c.evidence.every((e) => e.agency !== 'civil-affairs'));
    expect(others.some((c) => c.outcome !== 'UNKNOWN')).toBe(true);
  });

  it('fails only the people the agency could not answer for (an Error per key, the batch not rejected)', async () => {
    agency.behaviour = { failWith: 'ledger db-7 refused' };
    const res = await live.gql<Page>(QUALIFICATION, { first: 5 });
    expect(res.body.errors).toBeUndefined();
    const criteria = civilCriteria(res.body.data!);
    expect(criteria.length).toBeGreaterThan(0);
    expect(criteria.every((c) => c.outcome === 'UNKNOWN' && c.reason === 'civil-affairs unavailable: could not answer for this person')).toBe(true);
    expect(JSON.stringify(res.body)).not.toContain('db-7');
  });

  it('gives up a slow subgraph at its timeout, and does not repeat a refused call', async () => {
    agency.behaviour = { delayMs: TIMEOUT_MS * 3 };
    const started = Date.now();
    const slow = await live.gql<Page>(QUALIFICATION, { first: 3 });
    expect(Date.now() - started).toBeLessThan(TIMEOUT_MS * 2);
    expect(civilCriteria(slow.body.data!).every((c) => /^civil-affairs unavailable: no answer within/.test(c.reason ?? ''))).toBe(true);

    await new Promise((r) => setTimeout(r, 250));
    agency.behaviour = { status: 401 };
    const before = agency.entitiesRequests;
    const refused = await live.gql<Page>(QUALIFICATION, { first: 3 });
    expect(civilCriteria(refused.body.data!).every((c) => c.reason === 'civil-affairs unavailable: refused the call with HTTP 401')).toBe(true);
    expect(agency.entitiesRequests - before).toBe(1);
  });
});

describe('configuration', () => {
  it('refuses a GraphQL live source without the secret its pseudonyms are made with', () => {
    expect(() => loadConfig({ AGENCY_CIVIL_AFFAIRS_URL: 'http://127.0.0.1:4200/graphql', AGENCY_CIVIL_AFFAIRS_PROTOCOL: 'graphql' })).toThrow(ConfigError);
    expect(() => loadConfig({ AGENCY_CIVIL_AFFAIRS_PROTOCOL: 'soap' })).toThrow(/AGENCY_CIVIL_AFFAIRS_PROTOCOL: must be rest or graphql/);
    const config = loadConfig({
      AGENCY_CIVIL_AFFAIRS_URL: 'http://127.0.0.1:4200/graphql',
      AGENCY_CIVIL_AFFAIRS_PROTOCOL: 'graphql',
      FEDERATION_SUBJECT_SECRET: SUBJECT_SECRET,
    });
    expect(config.agencySources['civil-affairs']).toMatchObject({ protocol: 'graphql', subjectSecret: SUBJECT_SECRET });
  });
});

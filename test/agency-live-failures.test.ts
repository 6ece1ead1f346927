// #13 items 3 and 8: an agency failing or slow in live mode, as a caseworker's pages meet it.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { generateAgencyRecords } from '../src/demo/agency-data.js';
import { startAgencySim, type AgencySim } from '../src/demo/agency-sim.js';
import { generateDemoData } from '../src/demo/generator.js';
import { startTestHub, TEST_TODAY, type TestHub } from './helpers/hub.js';

const SEED = 11;
const HOUSEHOLDS = 20;
const TOKENS = Object.fromEntries(
  ['CIVIL_AFFAIRS', 'PUBLIC_SECURITY', 'SOCIAL_SECURITY', 'PROVIDENT_FUND', 'UTILITIES', 'REAL_ESTATE', 'MARKET_REGULATION'].map((a) => [
    `AGENCY_${a}_TOKEN`,
    'sim-token',
  ]),
);
const QUALIFICATION = /* GraphQL */ `
  query ($first: Int) {
    households(first: $first) {
      nodes {
        id
        qualification {
          verdict
          categories {
            category
            verdict
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
type Page = {
  households: { nodes: { id: string; qualification: { verdict: string; categories: { category: string; verdict: string; criteria: Criterion[] }[] } }[] };
};

async function startSim(): Promise<AgencySim> {
  const data = generateDemoData({ households: HOUSEHOLDS, seed: SEED, today: TEST_TODAY });
  return startAgencySim({ records: generateAgencyRecords(data, SEED, TEST_TODAY), asOf: TEST_TODAY, token: 'sim-token' });
}

const criteriaOf = (page: Page) => page.households.nodes.flatMap((n) => n.qualification.categories.flatMap((c) => c.criteria));

describe('qualification with an agency failing (live)', () => {
  let sim: AgencySim;
  let t: TestHub;
  beforeAll(async () => {
    sim = await startSim();
    t = await startTestHub({
      households: HOUSEHOLDS,
      seed: SEED,
      env: { AGENCY_BASE_URL: sim.url, ...TOKENS, AGENCY_TIMEOUT_MS: '4000', AGENCY_RETRIES: '1', AGENCY_BREAKER_RESET_MS: '300' },
    });
  });
  afterAll(async () => {
    await t?.close();
    await sim?.close();
  });
  afterEach(async () => {
    sim.behaviour = {};
    await new Promise((r) => setTimeout(r, 350)); // past the breaker's reset
  });

  it('answers the page: the criteria on public security are UNKNOWN with the cause, the others answer', async () => {
    const healthy = await t.gql<Page>(QUALIFICATION, { first: 5 });
    expect(healthy.body.errors).toBeUndefined();
    const onPublicSecurity = criteriaOf(healthy.body.data!).filter((c) => c.evidence.some((e) => e.agency === 'public-security'));
    expect(onPublicSecurity.some((c) => c.outcome === 'PASS')).toBe(true);

    sim.behaviour['public-security'] = { status: 503 };
    const res = await t.gql<Page>(QUALIFICATION, { first: 5 });
    expect(res.status).toBe(200);
    expect(res.body.errors).toBeUndefined();
    const nodes = res.body.data!.households.nodes;
    expect(nodes).toHaveLength(5);
    const criteria = criteriaOf(res.body.data!);
    const resting = criteria.filter((c) => c.evidence.some((e) => e.agency === 'public-security'));
    expect(resting.length).toBeGreaterThan(0);
    for (const c of resting) {
      expect(c.outcome).toBe('UNKNOWN');
      expect(c.reason).toBe('public-security unavailable: answered HTTP 503');
    }
    for (const code of ['LOCAL.HUKOU', 'LOCAL.RESIDENCE_YEARS', 'LOCAL.VEHICLE_PRICE', 'MIGRANT.VEHICLE_PRICE']) {
      const of = criteria.filter((c) => c.code === code);
      expect(of.length).toBeGreaterThan(0);
      expect(of.every((c) => c.outcome === 'UNKNOWN')).toBe(true);
    }
    // never ELIGIBLE on a category that has a criterion on the missing agency
    for (const n of nodes) {
      for (const cat of n.qualification.categories) {
        if (cat.criteria.some((c) => c.reason?.startsWith('public-security unavailable'))) expect(cat.verdict).not.toBe('ELIGIBLE');
      }
    }
    // the rest still decides: criteria on other agencies and on the bureau's records are not touched
    const others = criteria.filter((c) => !c.evidence.some((e) => e.agency === 'public-security') && c.evidence.length > 0);
    expect(others.some((c) => c.outcome === 'PASS' || c.outcome === 'FAIL')).toBe(true);
    expect(others.every((c) => !c.reason?.includes('public-security'))).toBe(true);
  });

  it('says the circuit is open once the agency kept failing, still without an error on the page', async () => {
    sim.behaviour['civil-affairs'] = { reset: true };
    let income: Criterion[] = [];
    for (let i = 0; i < 4 && !income.some((c) => c.reason?.includes('circuit open')); i++) {
      const res = await t.gql<Page>(QUALIFICATION, { first: 2 });
      expect(res.body.errors).toBeUndefined();
      income = criteriaOf(res.body.data!).filter((c) => c.code === 'INCOME');
      expect(income.length).toBeGreaterThan(0);
      expect(income.every((c) => c.outcome === 'UNKNOWN' && c.reason?.startsWith('civil-affairs unavailable: '))).toBe(true);
    }
    expect(income.every((c) => c.reason === 'civil-affairs unavailable: unavailable (circuit open after repeated failures)')).toBe(true);
  });

  it('checkApplicant answers with the criteria on the failing agency UNKNOWN', async () => {
    const data = generateDemoData({ households: HOUSEHOLDS, seed: SEED, today: TEST_TODAY });
    const members = data.persons.filter((p) => p.householdId === data.persons[0]!.householdId).map((p) => ({ residentId: p.residentId, relation: p.relation }));
    sim.behaviour['real-estate'] = { status: 500 };
    const res = await t.gql(`query($input: ApplicantCheckInput!) { checkApplicant(input: $input) { verdict criteria { code outcome reason } } }`, {
      input: { category: 'LOCAL', members, currentHousing: { floorArea: 20, tenure: 'RENTED' } },
    });
    if (res.body.errors?.[0]?.extensions?.['code'] === 'BAD_USER_INPUT') throw new Error(JSON.stringify(res.body.errors));
    expect(res.body.errors).toBeUndefined();
    const homes = res.body.data.checkApplicant.criteria.find((c: Criterion) => c.code === 'LOCAL.HOMES');
    expect(homes).toMatchObject({ outcome: 'UNKNOWN', reason: 'real-estate unavailable: answered HTTP 500' });
    expect(res.body.data.checkApplicant.verdict).not.toBe('ELIGIBLE');
  });
});

describe('a slow agency (live)', () => {
  let sim: AgencySim;
  let t: TestHub;
  beforeAll(async () => {
    sim = await startSim();
    // the defaults but for a shorter timeout: retries on, the breaker's own window and volume
    t = await startTestHub({
      households: HOUSEHOLDS,
      seed: SEED,
      env: { AGENCY_BASE_URL: sim.url, ...TOKENS, AGENCY_TIMEOUT_MS: '1200', AGENCY_RETRIES: '2' },
    });
  });
  afterAll(async () => {
    await t?.close();
    await sim?.close();
  });

  const PAGE = `{ households(first: 3) { nodes { id members { vehicles { plate } hukou { areaCode } } } } }`;

  it('costs a page one timeout, not one per attempt, and opens the breaker after a few such pages', async () => {
    sim.behaviour['public-security'] = { delayMs: 4_000 };
    const durations: number[] = [];
    const calls: number[] = [];
    for (let page = 0; page < 4; page++) {
      const before = sim.calls['public-security'];
      const started = performance.now();
      const res = await t.gql(PAGE);
      durations.push(performance.now() - started);
      calls.push(sim.calls['public-security'] - before);
      expect(res.status).toBe(200);
      expect(res.body.data.households.nodes).toHaveLength(3);
      const errors = (res.body.errors ?? []).filter((e) => e.extensions?.['agency'] === 'public-security');
      expect(errors.length).toBeGreaterThan(0);
      if (page < 3) expect(errors[0]!.message).toMatch(/no answer within 1200 ms/);
      else expect(errors[0]!.message).toMatch(/circuit open/);
    }
    // one attempt per page: a timeout is not repeated
    expect(calls.slice(0, 3)).toEqual([1, 1, 1]);
    for (const ms of durations.slice(0, 3)) expect(ms).toBeLessThan(2_400);
    // the breaker counted the three slow pages: the fourth does not call the agency and does not wait
    expect(calls[3]).toBe(0);
    expect(durations[3]).toBeLessThan(1_100);
  });
});

// #13 item 2: "no record" is evidence of "none" only for a kind the agency delivered complete (a
// complete extract, every record accepted, or a nothing-to-report declaration). An empty file, a batch
// whose every record was rejected, a batch of another kind or a plain delta leave stale evidence stale.
// Each household here is fed 120 days ago (scenario feeds: complete extracts and declarations then).
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectRows } from '../src/db/client.js';
import { makeResidentId } from '../src/domain/resident-id.js';
import { startTestHub, TEST_TODAY, type TestHub } from './helpers/hub.js';
import { buildHousehold } from './helpers/scenario.js';

const OLD = '2026-07-26'; // 120 days before TEST_TODAY
const other = makeResidentId('130827', '1966-02-02', 431, 'MALE');

let t: TestHub;
let household: string;
beforeAll(async () => {
  t = await startTestHub();
  household = await buildHousehold(t, { feedAsOf: OLD });
});
afterAll(async () => {
  await t?.close();
});

const QUALIFICATION = /* GraphQL */ `
  query ($id: ID!) {
    household(id: $id) {
      qualification {
        criteria {
          code
          outcome
          reason
          evidence {
            agency
            kind
            record
            asOf
            ageDays
            stale
          }
        }
      }
    }
  }
`;

async function criterion(code: string) {
  const res = await t.gql(QUALIFICATION, { id: household });
  expect(res.body.errors).toBeUndefined();
  return res.body.data.household.qualification.criteria.find((c: { code: string }) => c.code === code) as {
    outcome: string;
    reason: string | null;
    evidence: { agency: string; kind: string | null; record: string | null; asOf: string | null; ageDays: number | null; stale: boolean }[];
  };
}

const feed = (mutation: string, type: string) => /* GraphQL */ `
  mutation($key: String!, $asOf: Date, $mode: FeedMode, $records: ${type}!, $complete: [String!], $nothing: [String!]) {
    ${mutation}(batchKey: $key, asOf: $asOf, mode: $mode, records: $records, complete: $complete, nothingToReport: $nothing) {
      status received accepted rejected covered { kind asOf basis } warnings
    }
  }
`;
const RE_FEED = feed('submitRealEstateFeed', 'RealEstateRecords');
const PS_FEED = feed('submitPublicSecurityFeed', 'PublicSecurityRecords');
const property = (certificateNo: string, floorArea = 60) => ({
  certificateNo,
  ownerResidentId: other,
  kind: 'HOME',
  location: '宽城镇',
  floorArea,
  acquiredOn: '2010-01-01',
});
const business = (n: number, capital = 10_000) =>
  JSON.stringify({
    registrationNo: `9113082700000${String(n).padStart(4, '0')}X`,
    ownerResidentId: other,
    name: '店',
    registeredCapital: capital,
    status: 'ACTIVE',
    registeredOn: '2020-01-01',
  });

async function written() {
  const [row] = await selectRows<{ batches: number; coverage: number }>(
    t.database.db,
    sql`select (select count(*)::int from feed_batches) as batches, (select count(*)::int from feed_coverage) as coverage`,
  );
  return row!;
}

const post = async (path: string, body: string, type = 'application/x-ndjson') =>
  fetch(t.url.replace('/graphql', path), { method: 'POST', headers: { 'content-type': type, authorization: await t.adminAuth() }, body });

describe('stale "no home" evidence (LOCAL.HOMES) stays stale', () => {
  it('starts stale: the real-estate extract is 120 days old', async () => {
    expect(await criterion('LOCAL.HOMES')).toMatchObject({ outcome: 'UNKNOWN', reason: 'real-estate property data is 120 days old' });
  });

  it('an empty batch is refused, writes nothing and refreshes nothing', async () => {
    const before = await written();
    for (const records of [{}, { property: [] }]) {
      const res = await t.gql(RE_FEED, { key: 're-empty', records });
      expect(res.body.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'records' } });
    }
    // marked complete, still empty: refused
    const marked = await t.gql(RE_FEED, { key: 're-empty', records: { property: [] }, complete: ['property'] });
    expect(marked.body.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'records' } });
    expect(await written()).toEqual(before);
    expect((await criterion('LOCAL.HOMES')).outcome).toBe('UNKNOWN');
  });

  it('a complete extract whose every record was rejected is PARTIAL, says why it did not count, and refreshes nothing', async () => {
    const res = await t.gql(RE_FEED, { key: 're-all-rejected', records: { property: [property('R-1', -5), property('R-2', -1)] }, complete: ['property'] });
    expect(res.body.data.submitRealEstateFeed).toMatchObject({ status: 'PARTIAL', accepted: 0, rejected: 2, covered: [] });
    expect(res.body.data.submitRealEstateFeed.warnings).toEqual([
      expect.stringMatching(/^property: 2 record\(s\) rejected, so this is not a complete extract/),
    ]);
    expect(await criterion('LOCAL.HOMES')).toMatchObject({ outcome: 'UNKNOWN', reason: 'real-estate property data is 120 days old' });
  });

  it('a complete extract with one record rejected does not count either', async () => {
    const res = await t.gql(RE_FEED, { key: 're-one-rejected', records: { property: [property('R-3'), property('R-4', -1)] }, complete: ['property'] });
    expect(res.body.data.submitRealEstateFeed).toMatchObject({ status: 'PARTIAL', accepted: 1, covered: [] });
    expect((await criterion('LOCAL.HOMES')).outcome).toBe('UNKNOWN');
  });

  it('a refused ALL_OR_NOTHING complete extract refreshes nothing', async () => {
    const res = await t.gql(RE_FEED, {
      key: 're-refused',
      mode: 'ALL_OR_NOTHING',
      records: { property: [property('R-5'), property('R-6', -1)] },
      complete: ['property'],
    });
    expect(res.body.data.submitRealEstateFeed).toMatchObject({ status: 'REFUSED', covered: [] });
    expect((await criterion('LOCAL.HOMES')).outcome).toBe('UNKNOWN');
  });

  it('a delta (records not declared a complete extract) refreshes nothing', async () => {
    const res = await t.gql(RE_FEED, { key: 're-delta', records: { property: [property('R-7')] } });
    expect(res.body.data.submitRealEstateFeed).toMatchObject({ status: 'ACCEPTED', accepted: 1, covered: [], warnings: [] });
    expect((await criterion('LOCAL.HOMES')).outcome).toBe('UNKNOWN');
  });

  it('a complete extract, every record accepted, makes it a fresh PASS dated by the batch', async () => {
    const res = await t.gql(RE_FEED, { key: 're-complete', records: { property: [property('R-8')] }, complete: ['property'] });
    expect(res.body.data.submitRealEstateFeed).toMatchObject({
      status: 'ACCEPTED',
      covered: [{ kind: 'property', asOf: TEST_TODAY, basis: 'COMPLETE_EXTRACT' }],
      warnings: [],
    });
    const homes = await criterion('LOCAL.HOMES');
    expect(homes).toMatchObject({ outcome: 'PASS', reason: null });
    expect(homes.evidence).toEqual([{ agency: 'real-estate', kind: 'property', record: null, asOf: TEST_TODAY, ageDays: 0, stale: false }]);
  });
});

describe('stale "no vehicle" evidence (LOCAL.VEHICLE_PRICE)', () => {
  it('a batch of another kind of the same agency leaves it stale (a death record, a complete hukou extract)', async () => {
    expect(await criterion('LOCAL.VEHICLE_PRICE')).toMatchObject({ outcome: 'UNKNOWN', reason: 'public-security vehicle data is 120 days old' });
    const death = await t.gql(PS_FEED, { key: 'ps-death', records: { death: [{ residentId: other, diedOn: '2026-11-01' }] }, complete: ['death'] });
    expect(death.body.data.submitPublicSecurityFeed).toMatchObject({ status: 'ACCEPTED', covered: [{ kind: 'death', basis: 'COMPLETE_EXTRACT' }] });
    const hukou = await t.gql(PS_FEED, {
      key: 'ps-hukou',
      records: { hukou: [{ residentId: other, areaCode: '130827', kind: 'URBAN', since: '1966-02-02' }] },
      complete: ['hukou'],
    });
    expect(hukou.body.data.submitPublicSecurityFeed.covered).toEqual([{ kind: 'hukou', asOf: TEST_TODAY, basis: 'COMPLETE_EXTRACT' }]);
    expect(await criterion('LOCAL.VEHICLE_PRICE')).toMatchObject({ outcome: 'UNKNOWN', reason: 'public-security vehicle data is 120 days old' });
  });

  it('nothing to report cannot come with records of the kind', async () => {
    const before = await written();
    const res = await t.gql(PS_FEED, {
      key: 'ps-contradiction',
      records: { vehicle: [{ plate: '冀H77777', ownerResidentId: other, purchasePrice: 1, registeredOn: '2024-01-01' }] },
      nothing: ['vehicle'],
    });
    expect(res.body.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'nothingToReport' } });
    const unknown = await t.gql(PS_FEED, { key: 'ps-unknown-kind', records: {}, nothing: ['property'] });
    expect(unknown.body.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'nothingToReport' } });
    expect(await written()).toEqual(before);
  });

  it('a nothing-to-report declaration for vehicles makes it a fresh PASS', async () => {
    // a kind named twice is declared once
    const res = await t.gql(PS_FEED, { key: 'ps-no-vehicles', records: {}, nothing: ['vehicle', 'vehicle'] });
    expect(res.body.data.submitPublicSecurityFeed).toMatchObject({
      status: 'ACCEPTED',
      received: 0,
      covered: [{ kind: 'vehicle', asOf: TEST_TODAY, basis: 'NOTHING_TO_REPORT' }],
    });
    expect(await criterion('LOCAL.VEHICLE_PRICE')).toMatchObject({ outcome: 'PASS', reason: null });
  });
});

describe('stale "no business" evidence (LOCAL.CAPITAL) through bulk files', () => {
  it('an empty file is refused with 400 and refreshes nothing', async () => {
    const before = await written();
    for (const [body, type] of [
      ['', 'application/x-ndjson'],
      ['\n\n', 'application/x-ndjson'],
      ['registrationNo,ownerResidentId,name,registeredCapital,status,registeredOn\n', 'text/csv'],
    ] as const) {
      const res = await post('/feeds/market-regulation/business?batchKey=mr-empty&complete=true', body, type);
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ error: { code: 'BAD_USER_INPUT', field: 'records' } });
    }
    expect(await written()).toEqual(before);
    expect(await criterion('LOCAL.CAPITAL')).toMatchObject({ outcome: 'UNKNOWN', reason: 'market-regulation business data is 120 days old' });
  });

  it('a complete file whose every record was rejected refreshes nothing', async () => {
    const res = await post('/feeds/market-regulation/business?batchKey=mr-all-bad&complete=true', [business(1, -1), '{oops'].join('\n'));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'PARTIAL', accepted: 0, covered: [], warnings: [expect.stringContaining('not a complete extract')] });
    expect((await criterion('LOCAL.CAPITAL')).outcome).toBe('UNKNOWN');
  });

  it('a nothing-to-report declaration counts from its own date; records with it are refused', async () => {
    const bad = await post('/feeds/market-regulation/business?batchKey=mr-nothing-bad&nothingToReport=true', business(2));
    expect(bad.status).toBe(400);
    const res = await post('/feeds/market-regulation/business?batchKey=mr-nothing&nothingToReport=true&asOf=2026-08-01', '');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ACCEPTED', covered: [{ kind: 'business', asOf: '2026-08-01', basis: 'NOTHING_TO_REPORT' }] });
    // newer than the household's feeds, still older than 90 days
    expect(await criterion('LOCAL.CAPITAL')).toMatchObject({ outcome: 'UNKNOWN', reason: 'market-regulation business data is 114 days old' });
  });

  it('a complete file, every record accepted, makes it a fresh PASS', async () => {
    const res = await post('/feeds/market-regulation/business?batchKey=mr-complete&complete=true', [business(3), business(4)].join('\n'));
    expect(await res.json()).toMatchObject({ status: 'ACCEPTED', accepted: 2, covered: [{ kind: 'business', asOf: TEST_TODAY, basis: 'COMPLETE_EXTRACT' }] });
    expect(await criterion('LOCAL.CAPITAL')).toMatchObject({ outcome: 'PASS', reason: null });
  });
});

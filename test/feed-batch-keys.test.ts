// #13 item 13: a batch key is kept with a digest of the batch's content. The same key with the same
// content is a replay (the first answer, nothing written); with other content it is refused as a
// CONFLICT naming the key, and none of its records are stored: on GraphQL feeds and POST /feeds alike.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectRows } from '../src/db/client.js';
import { makeResidentId } from '../src/domain/resident-id.js';
import { startTestHub, type TestHub } from './helpers/hub.js';

const owner = makeResidentId('130827', '1971-07-07', 211, 'MALE');
const vehicle = (plate: string, price: number) => ({ plate, ownerResidentId: owner, purchasePrice: price, registeredOn: '2024-05-01' });
const PS_FEED = /* GraphQL */ `
  mutation ($key: String!, $asOf: Date, $mode: FeedMode, $records: PublicSecurityRecords!, $complete: [String!]) {
    submitPublicSecurityFeed(batchKey: $key, asOf: $asOf, mode: $mode, records: $records, complete: $complete) {
      status
      replayed
      received
      accepted
      inserted
    }
  }
`;

let t: TestHub;
beforeAll(async () => {
  t = await startTestHub();
});
afterAll(async () => {
  await t?.close();
});

async function stored() {
  const [row] = await selectRows<{ vehicles: number; readings: number; batches: number; coverage: number }>(
    t.database.db,
    sql`select (select count(*)::int from ps_vehicles) as vehicles, (select count(*)::int from ut_readings) as readings,
               (select count(*)::int from feed_batches) as batches, (select count(*)::int from feed_coverage) as coverage`,
  );
  return row!;
}

const post = async (path: string, body: string, type = 'application/x-ndjson') =>
  fetch(t.url.replace('/graphql', path), { method: 'POST', headers: { 'content-type': type, authorization: await t.adminAuth() }, body });

describe('GraphQL feeds', () => {
  it('the same key with the same content is a replay and writes nothing, whatever the as-of date', async () => {
    const first = await t.gql(PS_FEED, { key: 'ps-k1', asOf: '2026-11-01', records: { vehicle: [vehicle('冀H20001', 50_000)] } });
    expect(first.body.data.submitPublicSecurityFeed).toEqual({ status: 'ACCEPTED', replayed: false, received: 1, accepted: 1, inserted: 1 });
    const before = await stored();
    // a retry the next day without asOf is still the same batch
    const again = await t.gql(PS_FEED, { key: 'ps-k1', records: { vehicle: [vehicle('冀H20001', 50_000)] } });
    expect(again.body.data.submitPublicSecurityFeed).toEqual({ status: 'ACCEPTED', replayed: true, received: 1, accepted: 1, inserted: 1 });
    expect(await stored()).toEqual(before);
  });

  it('the same key with other records is a CONFLICT naming the key; nothing of it is stored', async () => {
    const before = await stored();
    for (const records of [
      { vehicle: [vehicle('冀H20001', 50_001)] }, // one value changed
      { vehicle: [vehicle('冀H20001', 50_000), vehicle('冀H20002', 1)] }, // one record more
      { hukou: [{ residentId: owner, areaCode: '130827', kind: 'URBAN', since: '1971-07-07' }] }, // another kind
    ]) {
      const res = await t.gql(PS_FEED, { key: 'ps-k1', records });
      expect(res.body.data).toBeNull();
      expect(res.body.errors?.[0]).toMatchObject({ message: expect.stringContaining('ps-k1'), extensions: { code: 'CONFLICT', field: 'batchKey' } });
    }
    expect(await stored()).toEqual(before);
    const [price] = await selectRows<{ p: string }>(t.database.db, sql`select purchase_price::text as p from ps_vehicles where plate = '冀H20001'`);
    expect(price!.p).toBe('50000.00');
  });

  it('the same records declared differently (now a complete extract) are other content', async () => {
    const res = await t.gql(PS_FEED, { key: 'ps-k1', records: { vehicle: [vehicle('冀H20001', 50_000)] }, complete: ['vehicle'] });
    expect(res.body.errors?.[0]).toMatchObject({ extensions: { code: 'CONFLICT', field: 'batchKey' } });
  });

  it('a refused ALL_OR_NOTHING batch leaves its key free for the corrected content', async () => {
    const refused = await t.gql(PS_FEED, { key: 'ps-k2', mode: 'ALL_OR_NOTHING', records: { vehicle: [vehicle('冀H20003', -1)] } });
    expect(refused.body.data.submitPublicSecurityFeed.status).toBe('REFUSED');
    const corrected = await t.gql(PS_FEED, { key: 'ps-k2', mode: 'ALL_OR_NOTHING', records: { vehicle: [vehicle('冀H20003', 1)] } });
    expect(corrected.body.data.submitPublicSecurityFeed).toMatchObject({ status: 'ACCEPTED', replayed: false, inserted: 1 });
  });

  it('a batch stored before digests were kept is answered as a replay, as it was then', async () => {
    await t.gql(PS_FEED, { key: 'ps-k3', records: { vehicle: [vehicle('冀H20004', 1)] } });
    await t.database.db.execute(sql`update feed_batches set digest = null where batch_key = 'ps-k3'`);
    const res = await t.gql(PS_FEED, { key: 'ps-k3', records: { vehicle: [vehicle('冀H20005', 2)] } });
    expect(res.body.data.submitPublicSecurityFeed).toMatchObject({ replayed: true });
  });
});

describe('POST /feeds (the digest taken while the body streams)', () => {
  const reading = (month: string, quantity: number) => JSON.stringify({ unitId: 7, month, kind: 'WATER', quantity, unit: 'm3' });
  const body = Array.from({ length: 300 }, (_, i) => reading(`${2000 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`, i)).join('\n');

  it('the same file again is a replay; the same key with another file is 409 naming the key, nothing stored', async () => {
    const first = await post('/feeds/utilities/reading?batchKey=ut-k1', body);
    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({ status: 'ACCEPTED', replayed: false, accepted: 300 });
    const before = await stored();
    const again = await post('/feeds/utilities/reading?batchKey=ut-k1', body);
    expect(await again.json()).toMatchObject({ replayed: true, accepted: 300 });
    const changed = body.replace(/"quantity":299/, '"quantity":300');
    expect(changed).not.toBe(body);
    const other = await post('/feeds/utilities/reading?batchKey=ut-k1', changed);
    expect(other.status).toBe(409);
    expect(await other.json()).toEqual({ error: { code: 'CONFLICT', field: 'batchKey', message: expect.stringContaining('ut-k1') } });
    // the GraphQL path shares the key space of the agency: the same key there with other records is a conflict too
    const gql = await t.gql(
      `mutation { submitUtilitiesFeed(batchKey: "ut-k1", records: { reading: [{ unitId: 7, month: "2030-01", kind: WATER, quantity: 1, unit: "m3" }] }) { status } }`,
    );
    expect(gql.body.errors?.[0]).toMatchObject({ extensions: { code: 'CONFLICT', field: 'batchKey' } });
    expect(await stored()).toEqual(before);
  });

  it('two different files sent at once under one key: one is stored, the other is a conflict', async () => {
    const a = Array.from({ length: 600 }, (_, i) =>
      JSON.stringify({
        unitId: 8,
        month: `${2000 + Math.floor(i / 36)}-${String((i % 12) + 1).padStart(2, '0')}`,
        kind: ['WATER', 'GAS', 'ELECTRICITY'][Math.floor(i / 12) % 3],
        quantity: i,
        unit: Math.floor(i / 12) % 3 === 2 ? 'kWh' : 'm3',
      }),
    ).join('\n');
    const b = a.replace('"quantity":0,', '"quantity":1,');
    expect(b).not.toBe(a);
    const before = await stored();
    const answers = await Promise.all([post('/feeds/utilities/reading?batchKey=ut-race-k', a), post('/feeds/utilities/reading?batchKey=ut-race-k', b)]);
    expect(answers.map((r) => r.status).sort()).toEqual([200, 409]);
    const after = await stored();
    expect(after.batches).toBe(before.batches + 1);
  });
});

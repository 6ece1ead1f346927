import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectRows } from '../src/db/client.js';
import { checkCharacter, makeResidentId } from '../src/domain/resident-id.js';
import { testDatabaseKind } from './helpers/db.js';
import { startTestHub, type TestHub } from './helpers/hub.js';

const PS_FEED = /* GraphQL */ `
  mutation ($key: String!, $mode: FeedMode, $asOf: Date, $records: PublicSecurityRecords!) {
    submitPublicSecurityFeed(batchKey: $key, mode: $mode, asOf: $asOf, records: $records) {
      agency
      batchKey
      mode
      status
      replayed
      received
      accepted
      rejected
      inserted
      updated
      unchanged
      errors {
        kind
        index
        field
        reason
      }
    }
  }
`;
const UT_FEED = /* GraphQL */ `
  mutation ($key: String!, $records: UtilitiesRecords!) {
    submitUtilitiesFeed(batchKey: $key, records: $records) {
      status
      received
      accepted
      rejected
      errors {
        kind
        index
        field
        reason
      }
    }
  }
`;

const owner = makeResidentId('130827', '1975-04-03', 17, 'MALE');
const wrongCheck = owner.slice(0, 17) + (checkCharacter(owner.slice(0, 17)) === '3' ? '4' : '3');
const vehicle = (plate: string, price: number, residentId = owner) => ({
  plate,
  ownerResidentId: residentId,
  purchasePrice: price,
  registeredOn: '2024-05-01',
});

async function counts(t: TestHub) {
  const [row] = await selectRows<Record<string, number>>(
    t.database.db,
    sql`select (select count(*)::int from ps_vehicles) as vehicles, (select count(*)::int from ps_hukou) as hukou,
               (select count(*)::int from agency_record_history) as history, (select count(*)::int from feed_batches) as batches,
               (select count(*)::int from ut_readings) as readings`,
  );
  return row!;
}

describe('agency feeds through GraphQL', () => {
  let t: TestHub;
  beforeAll(async () => {
    t = await startTestHub({ households: 3 });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('keeps the good records of a batch and reports each bad one with its index, field and reason', async () => {
    const res = await t.gql(PS_FEED, {
      key: 'ps-2026-11-01',
      asOf: '2026-11-01',
      records: {
        vehicle: [vehicle('冀H10001', 98000), vehicle('冀H10002', 50000, wrongCheck), vehicle('冀H10003', -5), vehicle('冀H10001', 99000)],
        hukou: [
          { residentId: owner, areaCode: '130827', kind: 'URBAN', since: '1975-04-03' },
          { residentId: owner, areaCode: '13082', kind: 'URBAN', since: '1975-04-03' },
        ],
      },
    });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.submitPublicSecurityFeed).toEqual({
      agency: 'public-security',
      batchKey: 'ps-2026-11-01',
      mode: 'KEEP_VALID',
      status: 'PARTIAL',
      replayed: false,
      received: 6,
      accepted: 2,
      rejected: 4,
      inserted: 2,
      updated: 0,
      unchanged: 0,
      errors: [
        { kind: 'hukou', index: 1, field: 'areaCode', reason: 'must be a 6-digit area code' },
        { kind: 'vehicle', index: 1, field: 'ownerResidentId', reason: expect.stringMatching(/^invalid resident ID: wrong check character/) },
        { kind: 'vehicle', index: 2, field: 'purchasePrice', reason: 'must not be negative' },
        { kind: 'vehicle', index: 3, field: 'plate', reason: 'same key as record 0 of this batch' },
      ],
    });
    const person = await selectRows<{ plate: string; purchase_price: string; as_of: string }>(
      t.database.db,
      sql`select plate, purchase_price, as_of::text from ps_vehicles where owner_resident_id = ${owner}`,
    );
    expect(person).toEqual([{ plate: '冀H10001', purchase_price: '98000.00', as_of: '2026-11-01' }]);
  });

  it('answers a batch sent again as a replay and changes nothing', async () => {
    const before = await counts(t);
    // the same content (other content under this key is a CONFLICT: test/feed-batch-keys.test.ts)
    const res = await t.gql(PS_FEED, {
      key: 'ps-2026-11-01',
      records: {
        vehicle: [vehicle('冀H10001', 98000), vehicle('冀H10002', 50000, wrongCheck), vehicle('冀H10003', -5), vehicle('冀H10001', 99000)],
        hukou: [
          { residentId: owner, areaCode: '130827', kind: 'URBAN', since: '1975-04-03' },
          { residentId: owner, areaCode: '13082', kind: 'URBAN', since: '1975-04-03' },
        ],
      },
    });
    expect(res.body.data.submitPublicSecurityFeed).toMatchObject({ replayed: true, status: 'PARTIAL', received: 6, accepted: 2 });
    expect(await counts(t)).toEqual(before);
  });

  it('replaces a re-sent record and keeps the previous value in history; identical values are left alone; new keys are added', async () => {
    const res = await t.gql(PS_FEED, {
      key: 'ps-2026-11-15',
      asOf: '2026-11-15',
      records: {
        vehicle: [vehicle('冀H10001', 150000), vehicle('冀H10077', 5000)],
        hukou: [{ residentId: owner, areaCode: '130827', kind: 'URBAN', since: '1975-04-03' }],
      },
    });
    expect(res.body.data.submitPublicSecurityFeed).toMatchObject({ status: 'ACCEPTED', inserted: 1, updated: 1, unchanged: 1 });
    const plates = await selectRows<{ plate: string; price: string }>(
      t.database.db,
      sql`select plate, purchase_price::text as price from ps_vehicles where plate in ('冀H10001', '冀H10077') order by plate`,
    );
    expect(plates).toEqual([
      { plate: '冀H10001', price: '150000.00' },
      { plate: '冀H10077', price: '5000.00' },
    ]);
    const history = await selectRows<{ kind: string; natural_key: unknown; price: string }>(
      t.database.db,
      sql`select kind, natural_key, previous->>'purchase_price' as price from agency_record_history`,
    );
    expect(history).toEqual([{ kind: 'vehicle', natural_key: ['冀H10001'], price: '98000.00' }]);
    // the unchanged hukou record is now known to hold as of the later batch
    const [hukou] = await selectRows<{ as_of: string }>(t.database.db, sql`select as_of::text from ps_hukou where resident_id = ${owner}`);
    expect(hukou!.as_of).toBe('2026-11-15');
  });

  it('rejects a repeat of a key the table already holds and applies the first record with it', async () => {
    const res = await t.gql(PS_FEED, {
      key: 'ps-repeat-known',
      asOf: '2026-11-16',
      records: { vehicle: [vehicle('冀H10001', 160000), vehicle('冀H10001', 170000), vehicle('冀H10088', 1000)] },
    });
    expect(res.body.data.submitPublicSecurityFeed).toMatchObject({
      status: 'PARTIAL',
      accepted: 2,
      rejected: 1,
      inserted: 1,
      updated: 1,
      errors: [{ kind: 'vehicle', index: 1, field: 'plate', reason: 'same key as record 0 of this batch' }],
    });
    const [row] = await selectRows<{ price: string }>(t.database.db, sql`select purchase_price::text as price from ps_vehicles where plate = '冀H10001'`);
    expect(row!.price).toBe('160000.00');
  });

  it('refuses a whole ALL_OR_NOTHING batch with one bad record, writes nothing, and leaves the key free', async () => {
    const before = await counts(t);
    const bad = await t.gql(PS_FEED, { key: 'ps-atomic', mode: 'ALL_OR_NOTHING', records: { vehicle: [vehicle('冀H20001', 10), vehicle('冀H20002', -1)] } });
    expect(bad.body.data.submitPublicSecurityFeed).toMatchObject({ status: 'REFUSED', accepted: 0, rejected: 1, inserted: 0, replayed: false });
    expect(await counts(t)).toEqual(before);
    const fixed = await t.gql(PS_FEED, { key: 'ps-atomic', mode: 'ALL_OR_NOTHING', records: { vehicle: [vehicle('冀H20001', 10), vehicle('冀H20002', 1)] } });
    expect(fixed.body.data.submitPublicSecurityFeed).toMatchObject({ status: 'ACCEPTED', inserted: 2 });
  });

  it('rejects a utility reading in the wrong unit', async () => {
    const res = await t.gql(UT_FEED, {
      key: 'ut-1',
      records: {
        reading: [
          { unitId: 1, month: '2026-10', kind: 'WATER', quantity: 4.5, unit: 'm3' },
          { unitId: 1, month: '2026-10', kind: 'ELECTRICITY', quantity: 120, unit: 'm3' },
          { unitId: 1, month: '2026-13', kind: 'GAS', quantity: 3, unit: 'm3' },
        ],
      },
    });
    expect(res.body.data.submitUtilitiesFeed).toEqual({
      status: 'PARTIAL',
      received: 3,
      accepted: 1,
      rejected: 2,
      errors: [
        { kind: 'reading', index: 1, field: 'unit', reason: 'wrong unit for the kind: WATER and GAS are in m3, ELECTRICITY in kWh' },
        { kind: 'reading', index: 2, field: 'month', reason: 'must be a month YYYY-MM' },
      ],
    });
  });

  it('refuses a request with a field the record type does not have, writing nothing', async () => {
    const before = await counts(t);
    const res = await t.gql(PS_FEED, { key: 'ps-unknown', records: { vehicle: [{ ...vehicle('冀H30001', 1), colour: 'red' }] } });
    expect(res.body.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
    expect(res.body.errors?.[0]?.message).toMatch(/colour/);
    expect(await counts(t)).toEqual(before);
  });

  it('refuses a feed dated in the future and a malformed batch key', async () => {
    const future = await t.gql(PS_FEED, { key: 'ps-future', asOf: '2026-12-01', records: { vehicle: [] } });
    expect(future.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'asOf' });
    const key = await t.gql(PS_FEED, { key: 'has spaces', records: { vehicle: [] } });
    expect(key.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'batchKey' });
  });

  it('shows fed records on the person with their as-of date and source', async () => {
    const [household] = await selectRows<{ id: number }>(t.database.db, sql`select household_id as id from persons limit 1`);
    const [person] = await selectRows<{ resident_id: string }>(
      t.database.db,
      sql`select resident_id from persons where household_id = ${household!.id} limit 1`,
    );
    await t.gql(PS_FEED, { key: 'ps-person', asOf: '2026-11-20', records: { vehicle: [vehicle('冀H40001', 120000, person!.resident_id)] } });
    const res = await t.gql(
      `query($id: String!) { person(residentId: $id) { vehicles { plate purchasePrice asOf source } household { agencySummary { highestVehiclePrice vehicleCount } } } }`,
      { id: person!.resident_id },
    );
    expect(res.body.data.person).toEqual({
      vehicles: [{ plate: '冀H40001', purchasePrice: 120000, asOf: '2026-11-20', source: 'FEED' }],
      household: { agencySummary: { highestVehiclePrice: 120000, vehicleCount: 1 } },
    });
  });
});

describe('bulk feeds over HTTP', () => {
  let t: TestHub;
  beforeAll(async () => {
    t = await startTestHub({ households: 3 });
  });
  afterAll(async () => {
    await t?.close();
  });

  const post = async (path: string, type: string, body: string) =>
    fetch(t.url.replace('/graphql', path), { method: 'POST', headers: { 'content-type': type, authorization: await t.adminAuth() }, body });

  it('streams NDJSON, reporting unparsable lines, unknown fields and bad values by index', async () => {
    const lines = [
      JSON.stringify({ unitId: 2, month: '2026-09', kind: 'WATER', quantity: 3, unit: 'm3' }),
      '{not json',
      JSON.stringify({ unitId: 2, month: '2026-09', kind: 'GAS', quantity: 3, unit: 'm3', meter: 'A7' }),
      JSON.stringify({ unitId: 2, month: '2026-09', kind: 'ELECTRICITY', quantity: -3, unit: 'kWh' }),
      JSON.stringify({ unitId: 2, month: '2026-10', kind: 'ELECTRICITY', quantity: 88, unit: 'kWh' }),
    ];
    const res = await post('/feeds/utilities/reading?batchKey=ut-bulk-1', 'application/x-ndjson', lines.join('\n'));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      status: 'PARTIAL',
      received: 5,
      accepted: 2,
      inserted: 2,
      errors: [
        { kind: 'reading', index: 1, field: null, reason: 'not a JSON object on one line' },
        { kind: 'reading', index: 2, field: 'meter', reason: 'unknown field: meter' },
        { kind: 'reading', index: 3, field: 'quantity', reason: 'must not be negative' },
      ],
    });
    const again = await post('/feeds/utilities/reading?batchKey=ut-bulk-1', 'application/x-ndjson', lines.join('\n'));
    expect(await again.json()).toMatchObject({ replayed: true, inserted: 2 });
  });

  it('reads NDJSON whose lines are cut across the pieces of the body, with CRLF endings', async () => {
    const records = Array.from({ length: 40 }, (_, i) => ({
      unitId: 1,
      month: `20${10 + Math.floor(i / 3)}-${String((i % 3) + 1).padStart(2, '0')}`,
      kind: 'WATER',
      quantity: i,
      unit: 'm3',
    }));
    // record 7 has a bad unit in Chinese: one cut falls inside a 3-byte character, one mid-line, one between \r and \n
    const bytes = Buffer.from(records.map((r, i) => JSON.stringify(i === 7 ? { ...r, unit: '立方米' } : r)).join('\r\n') + '\r\n');
    const cuts = [101, bytes.indexOf(Buffer.from('立')) + 1, bytes.indexOf('\r\n', 1000) + 1];
    const pieces = [0, ...cuts].map((from, i) => bytes.subarray(from, [...cuts, bytes.length][i]));
    const body = new ReadableStream({
      async pull(controller) {
        const piece = pieces.shift();
        if (!piece) return controller.close();
        await new Promise((r) => setTimeout(r, 5)); // each piece its own read on the server
        controller.enqueue(piece);
      },
    });
    const res = await fetch(t.url.replace('/graphql', '/feeds/utilities/reading?batchKey=ut-pieces'), {
      method: 'POST',
      headers: { 'content-type': 'application/x-ndjson', authorization: await t.adminAuth() },
      body,
      duplex: 'half',
    } as RequestInit);
    expect(await res.json()).toMatchObject({ received: 40, accepted: 39, inserted: 39, errors: [{ index: 7, field: 'unit' }] });
  });

  it('stores text with quotes, commas and line breaks exactly as sent', async () => {
    const name = '张三 "Noodles", Ltd.\nBranch 2';
    const record = {
      registrationNo: '91130827MA0000001X',
      ownerResidentId: owner,
      name,
      registeredCapital: 5000,
      status: 'ACTIVE',
      registeredOn: '2020-05-01',
    };
    const res = await post('/feeds/market-regulation/business?batchKey=mr-text', 'application/x-ndjson', JSON.stringify(record));
    expect(await res.json()).toMatchObject({ status: 'ACCEPTED', inserted: 1 });
    const [row] = await selectRows<{ name: string }>(t.database.db, sql`select name from mr_businesses where registration_no = ${record.registrationNo}`);
    expect(row!.name).toBe(name);
  });

  it.runIf(testDatabaseKind === 'postgres')(
    'answers 409 CONFLICT and writes nothing when another batch adds one of its new keys at the same time',
    async () => {
      const other = new pg.Client({ connectionString: (t.database as { url?: string }).url });
      await other.connect();
      try {
        await other.query('begin');
        await other.query(
          `insert into ut_readings (unit_id, month, kind, quantity, unit, as_of, batch_id) values (9, '2026-09-01', 'WATER', 1, 'm3', '2026-09-01', 0)`,
        );
        const lines = [
          JSON.stringify({ unitId: 9, month: '2026-09', kind: 'GAS', quantity: 2, unit: 'm3' }),
          JSON.stringify({ unitId: 9, month: '2026-09', kind: 'WATER', quantity: 3, unit: 'm3' }),
        ].join('\n');
        const answer = post('/feeds/utilities/reading?batchKey=ut-race', 'application/x-ndjson', lines);
        // the feed waits on the other transaction's uncommitted key, then finds it taken
        for (let waiting = 0; waiting === 0; ) {
          await new Promise((r) => setTimeout(r, 20));
          waiting = (await other.query<{ n: number }>('select count(*)::int as n from pg_locks where not granted')).rows[0]!.n;
        }
        await other.query('commit');
        const res = await answer;
        expect(res.status).toBe(409);
        expect(await res.json()).toMatchObject({ error: { code: 'CONFLICT', message: expect.stringMatching(/send the batch again/) } });
        expect((await other.query('select kind, quantity::int from ut_readings where unit_id = 9')).rows).toEqual([{ kind: 'WATER', quantity: 1 }]);
        // the batch key stayed free: sent again, the batch goes in over the other batch's record
        const again = await post('/feeds/utilities/reading?batchKey=ut-race', 'application/x-ndjson', lines);
        expect(await again.json()).toMatchObject({ status: 'ACCEPTED', replayed: false, inserted: 1, updated: 1 });
      } finally {
        await other.end();
      }
    },
  );

  it('takes CSV with a header row', async () => {
    const csv = 'unitId,month,kind,quantity,unit\n3,2026-09,WATER,4.5,m3\n3,2026-09,GAS,abc,m3\n';
    const res = await post('/feeds/utilities/reading?batchKey=ut-csv-1', 'text/csv', csv);
    expect(await res.json()).toMatchObject({
      status: 'PARTIAL',
      accepted: 1,
      errors: [{ index: 1, field: 'quantity', reason: 'must be a number' }],
    });
  });

  it('answers 404 for an unknown feed, 400 without a batch key, 415 for another format, 422 for a refused batch', async () => {
    expect((await post('/feeds/utilities/meter?batchKey=x', 'application/x-ndjson', '')).status).toBe(404);
    expect((await post('/feeds/utilities/reading', 'application/x-ndjson', '')).status).toBe(400);
    expect((await post('/feeds/utilities/reading?batchKey=x', 'application/xml', '<a/>')).status).toBe(415);
    const refused = await post('/feeds/utilities/reading?batchKey=ut-refused&mode=ALL_OR_NOTHING', 'application/x-ndjson', '{}');
    expect(refused.status).toBe(422);
    expect(await refused.json()).toMatchObject({ status: 'REFUSED', rejected: 1 });
  });
});

describe('npm run feed (the bulk feed CLI)', () => {
  let t: TestHub;
  beforeAll(async () => {
    t = await startTestHub({ households: 3 });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('streams a CSV file to the hub and prints its answer', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { execFile } = await import('node:child_process');
    const dir = mkdtempSync(join(tmpdir(), 'feed-cli-'));
    const file = join(dir, 'readings.csv');
    writeFileSync(file, 'unitId,month,kind,quantity,unit\n1,2026-08,WATER,5,m3\n1,2026-08,GAS,2,kWh\n');
    const hub = t.url.replace('/graphql', '');
    const token = (await t.as({ sub: 'utilities-feed', role: 'AGENCY', agency: 'utilities' }).token)!;
    const run = () =>
      new Promise<{ code: number; out: string }>((resolve) => {
        execFile(
          process.execPath,
          ['--import', 'tsx', 'src/feed-cli.ts', '--agency', 'utilities', '--kind', 'reading', '--batch-key', 'cli-1', '--hub', hub, file],
          { env: { ...process.env, HUB_TOKEN: token } },
          (error, stdout) => resolve({ code: error ? Number(error.code) : 0, out: stdout }),
        );
      });
    const first = await run();
    expect(first.code).toBe(0);
    expect(JSON.parse(first.out)).toMatchObject({ status: 'PARTIAL', accepted: 1, rejected: 1, errors: [{ index: 1, field: 'unit' }] });
    expect(JSON.parse((await run()).out)).toMatchObject({ replayed: true });
  });
});

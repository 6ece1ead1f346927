// Issue #13 items 11, 14, 15, 18: what a feed may carry. A value its column cannot hold, a lax number,
// an extra cell, bytes that are not UTF-8, an event in the future, a broken CSV or an overlong line is
// that record's error (index, field, reason) and the good records are kept; a slow sender's feed
// completes, a silent one is given up with nothing stored.
import { Socket } from 'node:net';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectRows } from '../src/db/client.js';
import { makeResidentId } from '../src/domain/resident-id.js';
import { startTestHub, TEST_TODAY, type TestHub } from './helpers/hub.js';

const owner = makeResidentId('130827', '1975-04-03', 17, 'MALE');
const reading = (over: Record<string, unknown> = {}) => ({ unitId: 2, month: '2026-09', kind: 'WATER', quantity: 3, unit: 'm3', ...over });
const ndjson = (records: unknown[]) => records.map((r) => (typeof r === 'string' ? r : JSON.stringify(r))).join('\n');

async function count(t: TestHub, table: string, where = 'true'): Promise<number> {
  const [row] = await selectRows<{ n: number }>(t.database.db, sql.raw(`select count(*)::int as n from ${table} where ${where}`));
  return row!.n;
}

describe('feed input: every record checked against what its column holds', () => {
  let t: TestHub;
  beforeAll(async () => {
    t = await startTestHub({ households: 3 });
  });
  afterAll(() => t.close());

  const post = async (path: string, type: string, body: string | Buffer) =>
    fetch(t.url.replace('/graphql', path), {
      method: 'POST',
      headers: { 'content-type': type, authorization: await t.adminAuth() },
      body: typeof body === 'string' ? body : new Uint8Array(body),
    });

  it('item 11: out-of-range numbers are refused by index and field, the good records kept (NDJSON)', async () => {
    const res = await post(
      '/feeds/utilities/reading?batchKey=range-1',
      'application/x-ndjson',
      ndjson([
        reading({ month: '2026-01' }),
        reading({ month: '2026-02', quantity: 1e9 }), // numeric(12,3): below 10^9 only
        reading({ month: '2026-03', unitId: 3_000_000_000 }), // integer
        reading({ month: '2026-04', quantity: 999_999_999.999 }), // the largest that fits
        reading({ month: '2026-05', quantity: 999_999_999.9996 }), // rounds up to 10^9
      ]),
    );
    expect(res.status).toBe(200);
    const body = (await res.json()) as { errors: unknown[] };
    expect(body).toMatchObject({ status: 'PARTIAL', received: 5, accepted: 2, rejected: 3 });
    expect(body.errors).toEqual([
      { kind: 'reading', index: 1, field: 'quantity', reason: expect.stringContaining('less than 1,000,000,000') },
      { kind: 'reading', index: 2, field: 'unitId', reason: 'must be a whole number from -2147483648 to 2147483647' },
      { kind: 'reading', index: 4, field: 'quantity', reason: expect.stringContaining('less than 1,000,000,000') },
    ]);
    const [stored] = await selectRows<{ q: string }>(t.database.db, sql`select quantity::text as q from ut_readings where month = '2026-04-01'`);
    expect(stored!.q).toBe('999999999.999');
  });

  it("item 11: income, pension, NUL in text and year 0000 are each the record's error", async () => {
    const income = await post(
      '/feeds/civil-affairs/income?batchKey=range-income',
      'application/x-ndjson',
      ndjson([
        { residentId: owner, year: 2024, annualIncome: 1e12 }, // numeric(14,2)
        { residentId: owner, year: 2025, annualIncome: 999_999_999_999.99 },
      ]),
    );
    expect(await income.json()).toMatchObject({
      status: 'PARTIAL',
      accepted: 1,
      errors: [{ index: 0, field: 'annualIncome', reason: expect.stringContaining('less than 1,000,000,000,000') }],
    });

    const pension = await post(
      '/feeds/social-security/pension?batchKey=range-pension',
      'application/x-ndjson',
      ndjson([
        { residentId: owner, month: '2026-08', employer: '宽城矿业', amount: 1e11 }, // numeric(12,2)
        { residentId: owner, month: '2026-09', employer: 'a\u0000b', amount: 480 },
        { residentId: owner, month: '2026-10', employer: '宽城矿业', amount: 480 },
      ]),
    );
    expect(await pension.json()).toMatchObject({
      status: 'PARTIAL',
      accepted: 1,
      errors: [
        { index: 0, field: 'amount', reason: expect.stringContaining('less than 10,000,000,000') },
        { index: 1, field: 'employer', reason: 'must not contain a NUL character' },
      ],
    });

    const deaths = await post(
      '/feeds/civil-affairs/death?batchKey=range-death',
      'application/x-ndjson',
      ndjson([
        { residentId: owner, diedOn: '0000-01-01' },
        { residentId: makeResidentId('130827', '1940-01-01', 3, 'FEMALE'), diedOn: '1999-02-03' },
      ]),
    );
    expect(await deaths.json()).toMatchObject({
      status: 'PARTIAL',
      accepted: 1,
      errors: [{ index: 0, field: 'diedOn', reason: 'must not be before 1900-01-01' }],
    });
  });

  it('item 11: the same limits hold for a feed through GraphQL', async () => {
    const res = await t.gql(
      `mutation($r: CivilAffairsRecords!) { submitCivilAffairsFeed(batchKey: "gql-range", records: $r) { status accepted errors { index field reason } } }`,
      {
        r: {
          income: [
            { residentId: owner, year: 2023, annualIncome: 1e12 },
            { residentId: owner, year: 2022, annualIncome: 5000 },
          ],
        },
      },
    );
    expect(res.status).toBe(200);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.submitCivilAffairsFeed).toMatchObject({ status: 'PARTIAL', accepted: 1, errors: [{ index: 0, field: 'annualIncome' }] });
  });

  it('item 11: a CSV with a quote left open keeps the records before it and reports the rest as one error', async () => {
    const csv = ['unitId,month,kind,quantity,unit', '2,2025-01,WATER,3,m3', '2,2025-02,WATER,4,m3', '2,"2025-03,WATER,5,m3', '2,2025-04,WATER,6,m3'].join('\n');
    const res = await post('/feeds/utilities/reading?batchKey=csv-open-quote', 'text/csv', csv);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      status: 'PARTIAL',
      received: 3,
      accepted: 2,
      errors: [{ index: 2, field: null, reason: expect.stringMatching(/^not CSV from line \d+: .*quote.*; the rest of the file was not read$/i) }],
    });
    expect(await count(t, 'ut_readings', `month between '2025-01-01' and '2025-12-01'`)).toBe(2);
  });

  it("item 18: CSV numbers only in decimal, the header's number of cells, UTF-8 cells", async () => {
    const csv = Buffer.concat([
      Buffer.from(
        [
          'unitId,month,kind,quantity,unit',
          '3,2025-01,WATER,0x10,m3',
          '3,2025-02,WATER,0b11,m3',
          '3,2025-03,WATER,7,m3,surplus',
          '3,2025-04,WATER,1.5e2,m3',
          '3,2025-05,WATER,8',
          '3,2025-06,WATER,9,m',
        ].join('\n'),
      ),
      Buffer.from([0xff, 0xfe]),
      Buffer.from('3\n3,2025-07,WATER,10,m3\n'),
    ]);
    const res = await post('/feeds/utilities/reading?batchKey=csv-lax', 'text/csv', csv);
    expect(await res.json()).toMatchObject({
      status: 'PARTIAL',
      received: 7,
      accepted: 2,
      errors: [
        { index: 0, field: 'quantity', reason: expect.stringContaining('number') },
        { index: 1, field: 'quantity', reason: expect.stringContaining('number') },
        { index: 2, field: null, reason: 'has 6 cells, the header has 5' },
        { index: 4, field: null, reason: 'has 4 cells, the header has 5' },
        { index: 5, field: null, reason: 'unit: not valid UTF-8 text' },
      ],
    });
    const rows = await selectRows<{ month: string; q: number }>(
      t.database.db,
      sql`select month::text, quantity::float as q from ut_readings where unit_id = 3 order by month`,
    );
    expect(rows).toEqual([
      { month: '2025-04-01', q: 150 },
      { month: '2025-07-01', q: 10 },
    ]);
  });

  it('item 18: an NDJSON line that is not UTF-8 is refused, never stored as U+FFFD', async () => {
    const business = (registrationNo: string, name: string) =>
      JSON.stringify({ registrationNo, ownerResidentId: owner, name, registeredCapital: 1, status: 'ACTIVE', registeredOn: '2020-05-01' });
    const [before, after] = business('91130827MA0000002X', '宽城@面馆').split('@') as [string, string];
    // a 3-byte character cut short, then a real U+FFFD sent as such
    const body = Buffer.concat([
      Buffer.from(before),
      Buffer.from([0xe5, 0xae]),
      Buffer.from(after + '\n'),
      Buffer.from(business('91130827MA0000003X', '宽城面馆 \uFFFD')),
    ]);
    const res = await post('/feeds/market-regulation/business?batchKey=nd-utf8', 'application/x-ndjson', body);
    expect(await res.json()).toMatchObject({
      status: 'PARTIAL',
      received: 2,
      accepted: 1,
      errors: [{ index: 0, field: null, reason: 'not valid UTF-8 text' }],
    });
    // a real U+FFFD sent as such is text like any other
    expect(await count(t, 'mr_businesses', `registration_no = '91130827MA0000003X'`)).toBe(1);
    expect(await count(t, 'mr_businesses', `registration_no = '91130827MA0000002X'`)).toBe(0);
  });

  it("item 18: an event may not lie after the bureau's today (no MEMBER_DEATH from a future death); an end date may", async () => {
    const members = await selectRows<{ r: string }>(t.database.db, sql`select resident_id as r from persons order by id limit 3`);
    const [a, b, c] = members.map((m) => m.r);
    const res = await post(
      '/feeds/public-security/death?batchKey=future-death',
      'application/x-ndjson',
      ndjson([
        { residentId: a, diedOn: '2099-01-01' },
        { residentId: b, diedOn: '2026-11-24' }, // the day after TEST_TODAY
        { residentId: c, diedOn: TEST_TODAY },
      ]),
    );
    expect(await res.json()).toMatchObject({
      status: 'PARTIAL',
      accepted: 1,
      errors: [
        { index: 0, field: 'diedOn', reason: `must not be in the future (the bureau's today is ${TEST_TODAY})` },
        { index: 1, field: 'diedOn', reason: expect.stringContaining('must not be in the future') },
      ],
    });
    expect(await count(t, 'ps_deaths')).toBe(1);
    expect(await count(t, 'alerts', `rule = 'MEMBER_DEATH'`)).toBe(1);
    const contract = await post(
      '/feeds/social-security/contract?batchKey=future-contract',
      'application/x-ndjson',
      ndjson([
        { residentId: owner, employer: '宽城矿业', startDate: '2024-01-01', endDate: '2029-12-31' },
        { residentId: owner, employer: '宽城县医院', startDate: '2027-01-01' },
      ]),
    );
    expect(await contract.json()).toMatchObject({ accepted: 1, errors: [{ index: 1, field: 'startDate', reason: expect.stringContaining('future') }] });
  });

  it("item 15: a line longer than the limit is that record's error and the file goes on, in linear time", async () => {
    const huge = JSON.stringify(reading({ month: '2024-01', unit: 'x'.repeat(30 * 1024 * 1024) }));
    const body = [JSON.stringify(reading({ month: '2024-02' })), huge, JSON.stringify(reading({ month: '2024-03' }))].join('\n');
    const started = performance.now();
    const res = await post('/feeds/utilities/reading?batchKey=long-line', 'application/x-ndjson', body);
    const result = await res.json();
    const elapsed = performance.now() - started;
    expect(result).toMatchObject({ status: 'PARTIAL', received: 3, accepted: 2, errors: [{ index: 1, field: null, reason: 'line longer than 65536 bytes' }] });
    // quadratic re-splitting took 6-8 s for a 30 MB line
    expect(elapsed).toBeLessThan(5000);
  });

  it('item 15: a CSV record is held to the same length; the records before it stand', async () => {
    const csv = ['unitId,month,kind,quantity,unit', '2,2023-01,WATER,3,m3', `2,2023-02,WATER,3,${'x'.repeat(100_000)}`, '2,2023-03,WATER,3,m3'].join('\n');
    const res = await post('/feeds/utilities/reading?batchKey=csv-long', 'text/csv', csv);
    expect(await res.json()).toMatchObject({
      status: 'PARTIAL',
      received: 2,
      accepted: 1,
      errors: [{ index: 1, reason: expect.stringMatching(/^not CSV from line 3: .*65536.*the rest of the file was not read$/) }],
    });
  });
});

/** A client sending `pieces` of a request one after the other, `gapMs` apart, straight on a socket. */
function slowRequest(url: string, head: string, pieces: string[], gapMs: number): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = new Socket();
    let answer = '';
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => (answer += d));
    // the hub may close the connection while the client still writes: its answer is what counts
    socket.on('error', (error) => (answer ? undefined : reject(error)));
    socket.on('close', () => {
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1] ?? 0);
      resolve({ status, body: answer.slice(answer.indexOf('\r\n\r\n') + 4) });
    });
    socket.connect(Number(port), hostname, async () => {
      socket.write(head);
      for (const piece of pieces) {
        await new Promise((r) => setTimeout(r, gapMs));
        if (socket.destroyed || answer) return;
        socket.write(piece);
      }
    });
  });
}

describe('item 14: slow feeds complete, silent ones end with nothing stored (timeouts shortened for the test)', () => {
  let t: TestHub;
  beforeAll(async () => {
    t = await startTestHub({ env: { REQUEST_TIMEOUT_MS: '1000', FEED_IDLE_TIMEOUT_MS: '800', FEED_MAX_MS: '6000' } });
  });
  afterAll(() => t.close());

  const feedHead = async (batchKey: string, length: number) =>
    `POST /feeds/utilities/reading?batchKey=${batchKey} HTTP/1.1\r\nHost: hub\r\nAuthorization: ${await t.adminAuth()}\r\n` +
    `Content-Type: application/x-ndjson\r\nContent-Length: ${length}\r\nConnection: close\r\n\r\n`;
  const readings = (n: number) =>
    Array.from(
      { length: n },
      (_, i) => JSON.stringify(reading({ unitId: 5, month: `20${10 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}` })) + '\n',
    );

  it('a feed arriving over 3 s, three times the ordinary request limit, is stored whole', async () => {
    const lines = readings(15);
    const res = await slowRequest(t.url, await feedHead('slow-ok', Buffer.byteLength(lines.join(''))), lines, 200);
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({ status: 'ACCEPTED', received: 15, accepted: 15 });
  });

  it('a feed whose sender goes silent is answered 408 and nothing of it is stored', async () => {
    const lines = readings(4).map((l) => l.replace('"unitId":5', '"unitId":6'));
    const total = Buffer.byteLength(lines.join(''));
    // two lines, then silence longer than the idle limit: the rest never comes in time
    const res = await slowRequest(t.url, await feedHead('slow-silent', total), [lines[0]!, lines[1]!, '', '', '', '', '', lines[2]!], 250);
    expect(res.status).toBe(408);
    expect(JSON.parse(res.body)).toMatchObject({ error: { code: 'REQUEST_TIMEOUT', message: expect.stringContaining('nothing was stored') } });
    expect(await count(t, 'ut_readings', 'unit_id = 6')).toBe(0);
    expect(await count(t, 'feed_batches', `batch_key = 'slow-silent'`)).toBe(0);
  });

  it('a feed that trickles past its overall limit is answered 408, nothing stored', async () => {
    const lines = readings(40).map((l) => l.replace('"unitId":5', '"unitId":7'));
    const res = await slowRequest(t.url, await feedHead('slow-endless', Buffer.byteLength(lines.join(''))), lines, 500);
    expect(res.status).toBe(408);
    expect(JSON.parse(res.body).error.message).toContain('longer than 6 s');
    expect(await count(t, 'ut_readings', 'unit_id = 7')).toBe(0);
  }, 15_000);

  it('an ordinary request keeps its whole-request limit', async () => {
    const body = JSON.stringify({ query: '{ me { role } }' });
    const head = `POST /graphql HTTP/1.1\r\nHost: hub\r\nAuthorization: ${await t.adminAuth()}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`;
    const res = await slowRequest(t.url, head, body.match(/.{1,3}/g)!, 200);
    expect(res.status).toBe(408);
    expect(JSON.parse(res.body)).toMatchObject({ errors: [{ extensions: { code: 'REQUEST_TIMEOUT' } }] });
  });
});

// The bureau's file imports (src/imports/batch.ts, POST /imports/{kind}), through the housing unit import:
// batch keys and digests, both modes, per-record errors, CSV and NDJSON, and no 500 for a bad file.
import { count, eq, inArray, like } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallerClaims } from '../src/auth/caller.js';
import { auditLog } from '../src/auth/tables.js';
import { housingUnits, importBatches } from '../src/db/schema.js';
import { testDatabaseKind } from './helpers/db.js';
import { startTestHub, type GraphQLResponse, type TestHub } from './helpers/hub.js';

let t: TestHub;

beforeAll(async () => {
  t = await startTestHub();
});
afterAll(async () => {
  await t?.close();
});

const IMPORT = `mutation($k: String!, $m: FeedMode, $u: [HousingUnitImport!]!) {
  importHousingUnits(batchKey: $k, mode: $m, units: $u) { kind batchKey mode status replayed received accepted rejected errors { index field reason } }
}`;

interface UnitSpec {
  address: string;
  districtId: string;
  floorArea: number;
  rooms: number;
  kind: string;
}

const unit = (address: string, extra: Partial<UnitSpec> = {}): UnitSpec => ({
  address,
  districtId: 'KC-KCZ',
  floorArea: 48.5,
  rooms: 2,
  kind: 'PUBLIC_RENTAL',
  ...extra,
});
const importUnits = (batchKey: string, units: unknown[], mode?: string) => t.gql(IMPORT, { k: batchKey, m: mode, u: units });
const result = (res: GraphQLResponse) => {
  expect(res.body.errors).toBeUndefined();
  return res.body.data.importHousingUnits;
};

const unitsAt = (prefix: string) =>
  t.database.db
    .select()
    .from(housingUnits)
    .where(like(housingUnits.address, `${prefix}%`))
    .orderBy(housingUnits.id);
const batches = async () => (await t.database.db.select({ n: count() }).from(importBatches))[0]!.n;

async function post(path: string, type: string, body: string, caller?: CallerClaims) {
  const auth = caller ? `Bearer ${await t.as(caller).token}` : await t.adminAuth();
  const res = await fetch(t.url.replace('/graphql', path), { method: 'POST', headers: { 'content-type': type, authorization: auth }, body });
  const text = await res.text();
  return { status: res.status, body: JSON.parse(text) as Record<string, any> };
}

const ndjson = (records: unknown[]) => records.map((r) => JSON.stringify(r)).join('\n') + '\n';

describe('importHousingUnits (GraphQL)', () => {
  it('KEEP_VALID keeps the good units and lists each bad one by index, field and reason', async () => {
    const res = await importUnits('g-keep-1', [
      unit('甲路 1号'),
      unit('甲路 2号', { floorArea: -3 }),
      unit('甲路 3号', { districtId: 'KC-NOPE' }),
      unit('甲路 4号', { rooms: 21, kind: 'LOW_RENT' }),
      unit('甲路 5号', { kind: 'LOW_RENT', floorArea: 1000 }),
      unit('甲路 1号', { rooms: 3 }),
    ]);
    expect(result(res)).toEqual({
      kind: 'UNITS',
      batchKey: 'g-keep-1',
      mode: 'KEEP_VALID',
      status: 'PARTIAL',
      replayed: false,
      received: 6,
      accepted: 2,
      rejected: 4,
      errors: [
        { index: 1, field: 'floorArea', reason: 'must be more than 0 m²' },
        { index: 2, field: 'districtId', reason: 'unknown district KC-NOPE' },
        { index: 3, field: 'rooms', reason: 'at most 20' },
        { index: 5, field: 'address', reason: 'the same address as record 0' },
      ],
    });
    const stored = await unitsAt('甲路');
    expect(stored.map((u) => [u.address, u.districtId, u.floorArea, u.rooms, u.kind, u.status, u.createdBy])).toEqual([
      ['甲路 1号', 'KC-KCZ', 48.5, 2, 'PUBLIC_RENTAL', 'FREE', 'admin@test'],
      ['甲路 5号', 'KC-KCZ', 1000, 2, 'LOW_RENT', 'FREE', 'admin@test'],
    ]);
  });

  it('a batch key sent again with the same units is a replay: the first answer, nothing written', async () => {
    const units = [unit('乙路 1号'), unit('乙路 2号', { floorArea: 0 })];
    const first = result(await importUnits('g-replay', units));
    const before = await unitsAt('乙路');
    const again = result(await importUnits('g-replay', units));
    expect(again).toEqual({ ...first, replayed: true });
    expect(await unitsAt('乙路')).toEqual(before);
  });

  it('a batch key sent again with other units is a CONFLICT naming batchKey, and nothing is written', async () => {
    result(await importUnits('g-conflict', [unit('丙路 1号')]));
    const res = await importUnits('g-conflict', [unit('丙路 1号', { rooms: 4 }), unit('丙路 2号')]);
    expect(res.body.errors![0]!.extensions).toMatchObject({ code: 'CONFLICT', field: 'batchKey' });
    expect((await unitsAt('丙路')).map((u) => [u.address, u.rooms])).toEqual([['丙路 1号', 2]]);
  });

  it('ALL_OR_NOTHING refuses the whole batch for one bad record, or one the domain refuses, and keeps the key free', async () => {
    const batchesBefore = await batches();
    const invalid = result(await importUnits('g-aon', [unit('丁路 1号'), unit('丁路 2号', { rooms: 0 })], 'ALL_OR_NOTHING'));
    expect(invalid).toMatchObject({ status: 'REFUSED', accepted: 0, rejected: 1, errors: [{ index: 1, field: 'rooms' }] });
    // valid in form, refused by the domain (unknown district) after the first was written: rolled back
    const refused = result(await importUnits('g-aon', [unit('丁路 1号'), unit('丁路 3号', { districtId: 'KC-NOPE' })], 'ALL_OR_NOTHING'));
    expect(refused).toMatchObject({ status: 'REFUSED', accepted: 0, rejected: 1, errors: [{ index: 1, field: 'districtId' }] });
    expect(await unitsAt('丁路')).toEqual([]);
    expect(await batches()).toBe(batchesBefore);
    // corrected, the file goes in under the same key
    const corrected = result(await importUnits('g-aon', [unit('丁路 1号'), unit('丁路 3号')], 'ALL_OR_NOTHING'));
    expect(corrected).toMatchObject({ status: 'ACCEPTED', accepted: 2, replayed: false });
    expect(await unitsAt('丁路')).toHaveLength(2);
  });

  it('a batch with no good record is REFUSED in KEEP_VALID too, and not remembered', async () => {
    const batchesBefore = await batches();
    expect(result(await importUnits('g-none', [unit('戊路 1号', { floorArea: 0 })]))).toMatchObject({ status: 'REFUSED', accepted: 0, rejected: 1 });
    expect(await batches()).toBe(batchesBefore);
  });

  it('the address is the key: a known address updates its unit, the same file under a new key changes nothing', async () => {
    const units = [unit('己路 1号'), unit('己路 2号', { kind: 'LOW_RENT' })];
    result(await importUnits('g-key-1', units));
    const first = await unitsAt('己路');
    // the unit was let meanwhile: an import changes its attributes, never its status
    await t.database.db.update(housingUnits).set({ status: 'OCCUPIED' }).where(eq(housingUnits.id, first[0]!.id));
    const [occupied] = await unitsAt('己路 1号');

    expect(result(await importUnits('g-key-2', units))).toMatchObject({ status: 'ACCEPTED', accepted: 2 });
    expect(await unitsAt('己路')).toEqual([occupied, first[1]]);

    const changed = result(await importUnits('g-key-3', [unit('己路 1号', { floorArea: 51.25, rooms: 3, kind: 'LOW_RENT' }), units[1]]));
    expect(changed).toMatchObject({ status: 'ACCEPTED', accepted: 2 });
    const after = await unitsAt('己路');
    expect(after.map((u) => u.id)).toEqual(first.map((u) => u.id));
    expect(after[0]).toMatchObject({ floorArea: 51.25, rooms: 3, kind: 'LOW_RENT', status: 'OCCUPIED' });
    expect(after[0]!.updatedAt.getTime()).toBeGreaterThan(occupied!.updatedAt.getTime());
    expect(after[1]).toEqual(first[1]);
  });

  it('refuses to move a registered address to another district, leaving the unit as it was', async () => {
    result(await importUnits('g-move-1', [unit('庚路 1号')]));
    const [before] = await unitsAt('庚路');
    const res = result(await importUnits('g-move-2', [unit('庚路 1号', { districtId: 'KC-LXM', rooms: 5 }), unit('庚路 2号', { districtId: 'KC-LXM' })]));
    expect(res).toMatchObject({
      status: 'PARTIAL',
      accepted: 1,
      errors: [{ index: 0, field: 'districtId', reason: expect.stringContaining('registered in district KC-KCZ') }],
    });
    expect((await unitsAt('庚路'))[0]).toEqual(before);
  });

  it('refuses an empty batch key (BAD_USER_INPUT naming batchKey)', async () => {
    const res = await importUnits('  ', [unit('辛路 1号')]);
    expect(res.body.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'batchKey' });
    expect(await unitsAt('辛路')).toEqual([]);
  });
});

describe('POST /imports/units', () => {
  it('takes NDJSON, reporting an unparsable line as that record’s error', async () => {
    const body = ndjson([unit('壬路 1号'), unit('壬路 2号', { kind: 'VILLA' })]) + '{not json\n';
    const res = await post('/imports/units?batchKey=h-nd-1', 'application/x-ndjson', body);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ kind: 'UNITS', status: 'PARTIAL', received: 3, accepted: 1, rejected: 2 });
    expect(res.body['errors'][0]).toMatchObject({ index: 1, field: 'kind', reason: 'must be one of PUBLIC_RENTAL, LOW_RENT' });
    expect(res.body['errors'].filter((e: { index: number }) => e.index === 2).length).toBeGreaterThan(0);
    expect((await unitsAt('壬路')).map((u) => u.address)).toEqual(['壬路 1号']);
  });

  it('takes CSV with a header row (numbers read as numbers, quoted commas kept), with a BOM and CRLF', async () => {
    const csv =
      '\uFEFFaddress,districtId,floorArea,rooms,kind\r\n"癸路 1号, 东单元",KC-KCZ,45.25,2,PUBLIC_RENTAL\r\n癸路 2号,KC-LXM,abc,1,LOW_RENT\r\n癸路 3号,KC-LXM,38,,LOW_RENT\r\n';
    const res = await post('/imports/units?batchKey=h-csv-1&mode=KEEP_VALID', 'text/csv', csv);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: 'PARTIAL',
      received: 3,
      accepted: 1,
      errors: [
        { index: 1, field: 'floorArea', reason: 'must be a number of m²' },
        { index: 2, field: 'rooms', reason: 'must be a whole number' },
      ],
    });
    expect((await unitsAt('癸路')).map((u) => [u.address, u.floorArea, u.rooms])).toEqual([['癸路 1号, 东单元', 45.25, 2]]);
  });

  it('a replayed file answers as before; the key with another file is 409', async () => {
    const csv = 'address,districtId,floorArea,rooms,kind\n子路 1号,KC-BCZ,40,1,LOW_RENT\n';
    const first = await post('/imports/units?batchKey=h-replay', 'text/csv', csv);
    expect(first.body).toMatchObject({ status: 'ACCEPTED', replayed: false });
    const again = await post('/imports/units?batchKey=h-replay', 'text/csv', csv);
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ ...first.body, replayed: true });
    const other = await post('/imports/units?batchKey=h-replay', 'text/csv', csv.replace('40', '41'));
    expect(other.status).toBe(409);
    expect(other.body).toMatchObject({ error: { code: 'CONFLICT', field: 'batchKey' } });
    expect((await unitsAt('子路'))[0]!.floorArea).toBe(40);
  });

  it('ALL_OR_NOTHING refuses a file with one bad record: 422, nothing written', async () => {
    const res = await post(
      '/imports/units?batchKey=h-aon&mode=ALL_OR_NOTHING',
      'application/x-ndjson',
      ndjson([unit('丑路 1号'), unit('丑路 2号', { districtId: 'KC-NOPE' })]),
    );
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ status: 'REFUSED', accepted: 0, errors: [{ index: 1, field: 'districtId' }] });
    expect(await unitsAt('丑路')).toEqual([]);
  });

  it('answers 400 for a malformed CSV or a missing or bad batch key or mode, 415 for another format, 404 for an unknown import; never 500', async () => {
    const before = await unitsAt('寅路');
    const cases: [string, string, string, number][] = [
      ['/imports/units?batchKey=h-bad-1', 'text/csv', 'address,districtId,floorArea,rooms,kind\n"寅路 1号,KC-KCZ,40,1,LOW_RENT\n', 400],
      ['/imports/units?batchKey=h-bad-2', 'text/csv', 'address,districtId,floorArea,rooms,kind\n寅路 2号,KC-KCZ,40\n', 400],
      ['/imports/units', 'application/x-ndjson', ndjson([unit('寅路 3号')]), 400],
      ['/imports/units?batchKey=h-bad-4&mode=SOMETIMES', 'application/x-ndjson', ndjson([unit('寅路 4号')]), 400],
      ['/imports/units?batchKey=h-bad-5', 'application/xml', '<unit/>', 415],
      ['/imports/flats?batchKey=h-bad-6', 'application/x-ndjson', ndjson([unit('寅路 6号')]), 404],
    ];
    for (const [path, type, body, status] of cases) {
      const res = await post(path, type, body);
      expect(res.status, path).toBe(status);
      expect(res.body['error']).toBeDefined();
    }
    const malformed = await post('/imports/units?batchKey=h-bad-1', 'text/csv', 'address,districtId\n"寅路 1号,KC-KCZ\n');
    expect(malformed.body['error']).toMatchObject({ code: 'BAD_USER_INPUT', message: expect.stringContaining('not a CSV file') });
    const emptyKey = await post('/imports/units?batchKey=', 'application/x-ndjson', ndjson([unit('寅路 7号')]));
    expect(emptyKey.body['error']).toMatchObject({ code: 'BAD_USER_INPUT', field: 'batchKey' });
    expect(await unitsAt('寅路')).toEqual(before);
  });

  it('an empty file, or records that are not objects, are answered with record errors, not 500', async () => {
    const empty = await post('/imports/units?batchKey=h-empty', 'application/x-ndjson', '');
    expect(empty.status).toBe(200);
    expect(empty.body).toMatchObject({ received: 0, accepted: 0, rejected: 0 });
    const odd = await post('/imports/units?batchKey=h-odd', 'application/x-ndjson', '42\n"a string"\nnull\n[]\n');
    expect(odd.status).toBe(422);
    expect(odd.body).toMatchObject({ status: 'REFUSED', received: 4, rejected: 4 });
  });

  it('only ADMIN and MANAGER may import units (403 for the others, nothing written)', async () => {
    const callers: [CallerClaims, number][] = [
      [{ sub: 'm', role: 'MANAGER' }, 200],
      [{ sub: 'cw', role: 'CASEWORKER', districts: ['KC-KCZ'] }, 403],
      [{ sub: 'ag', role: 'AGENCY', agency: 'utilities' }, 403],
      [{ sub: 'au', role: 'AUDITOR' }, 403],
      [{ sub: 'ac', role: 'ALERT_CONSUMER', districts: ['KC-KCZ'] }, 403],
    ];
    for (const [caller, status] of callers) {
      const res = await post(`/imports/units?batchKey=h-role-${caller.role}`, 'application/x-ndjson', ndjson([unit(`卯路 ${caller.role}`)]), caller);
      expect(res.status, caller.role).toBe(status);
      if (status === 403) expect(res.body).toEqual({ error: { code: 'FORBIDDEN', message: 'forbidden' } });
    }
    expect((await unitsAt('卯路')).map((u) => [u.address, u.createdBy])).toEqual([['卯路 MANAGER', 'm']]);
    const unauthenticated = await fetch(t.url.replace('/graphql', '/imports/units?batchKey=h-anon'), {
      method: 'POST',
      headers: { 'content-type': 'application/x-ndjson' },
      body: ndjson([unit('卯路 anon')]),
    });
    expect(unauthenticated.status).toBe(401);
  });

  it('records each import in the audit log', async () => {
    await post('/imports/units?batchKey=h-audit', 'application/x-ndjson', ndjson([unit('辰路 1号')]));
    const rows = await t.database.db.select().from(auditLog).where(eq(auditLog.action, 'import:units'));
    expect(rows.find((r) => (r.detail as { batchKey?: string }).batchKey === 'h-audit')).toMatchObject({
      actor: 'admin@test',
      detail: { status: 'ACCEPTED', received: 1, accepted: 1 },
    });
  });

  it('imports a file of thousands of units in one go (statements in chunks), and again under a new key without changes', { timeout: 120_000 }, async () => {
    const records = Array.from({ length: 4_500 }, (_, i) =>
      unit(`巳路 ${i}号`, { districtId: ['KC-KCZ', 'KC-LXM', 'KC-BCZ'][i % 3]!, floorArea: 30 + (i % 50), rooms: 1 + (i % 4) }),
    );
    const res = await post('/imports/units?batchKey=h-big-1', 'application/x-ndjson', ndjson(records));
    expect(res.body).toMatchObject({ status: 'ACCEPTED', accepted: 4_500 });
    const [stored] = await t.database.db.select({ n: count() }).from(housingUnits).where(like(housingUnits.address, '巳路%'));
    expect(stored!.n).toBe(4_500);
    const again = await post('/imports/units?batchKey=h-big-2', 'application/x-ndjson', ndjson(records));
    expect(again.body).toMatchObject({ status: 'ACCEPTED', accepted: 4_500 });
    const [after] = await t.database.db.select({ n: count() }).from(housingUnits).where(like(housingUnits.address, '巳路%'));
    expect(after!.n).toBe(4_500);
  });

  it.runIf(testDatabaseKind === 'postgres')('overlapping files imported at the same moment all answer, each address once', { timeout: 120_000 }, async () => {
    const records = Array.from({ length: 200 }, (_, i) => unit(`午路 ${i}号`));
    const answers = await Promise.all(
      Array.from({ length: 4 }, (_, k) =>
        post(`/imports/units?batchKey=h-race-${k}`, 'application/x-ndjson', ndjson(records.map((r) => ({ ...r, rooms: 1 + k })))),
      ),
    );
    for (const res of answers) expect(res.status).toBe(200);
    const rows = await t.database.db.select().from(housingUnits).where(like(housingUnits.address, '午路%'));
    expect(rows).toHaveLength(200);
    // the same key sent twice at once: one import, one replay
    const twice = await Promise.all([0, 1].map(() => post('/imports/units?batchKey=h-race-same', 'application/x-ndjson', ndjson([unit('未路 1号')]))));
    expect(twice.map((r) => r.status)).toEqual([200, 200]);
    expect(twice.map((r) => r.body['replayed']).sort()).toEqual([false, true]);
    expect(
      await t.database.db
        .select()
        .from(importBatches)
        .where(inArray(importBatches.batchKey, ['h-race-same'])),
    ).toHaveLength(1);
  });
});

// Issue 12 item 1: districts under a policy, the housing stock, and the first ADMIN key of a fresh install.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { count, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiKeys, auditLog } from '../src/auth/tables.js';
import { loadConfig } from '../src/config.js';
import { openDatabase, type Database } from '../src/db/client.js';
import { districts, housingUnits } from '../src/db/schema.js';
import { createLogger } from '../src/logger.js';
import { createDistrict } from '../src/reference/districts.js';
import { importUnits } from '../src/reference/unit-import.js';
import { createHousingUnit } from '../src/reference/units.js';
import { createHub } from '../src/server.js';
import { testDatabaseKind } from './helpers/db.js';
import { startTestHub, TEST_JWT_SECRET, TEST_TODAY, type GraphQLResponse, type TestHub } from './helpers/hub.js';
import { CALLERS } from './helpers/roles.js';

let t: TestHub;
let ownUnit: string; // a unit of KC-KCZ
let otherUnit: string; // a unit of KC-LXM

const CASEWORKER = CALLERS['CASEWORKER']!;

const codes = (res: GraphQLResponse) => (res.body.errors ?? []).map((e) => e.extensions?.['code']);
const firstError = (res: GraphQLResponse) => res.body.errors?.[0]?.extensions ?? {};

const UNIT_FIELDS = 'id address district { id } floorArea rooms kind status statusReason';
const CREATE_UNIT = `mutation($input: CreateHousingUnitInput!) { createHousingUnit(input: $input) { ${UNIT_FIELDS} } }`;
const UPDATE_UNIT = `mutation($input: UpdateHousingUnitInput!) { updateHousingUnit(input: $input) { ${UNIT_FIELDS} } }`;
const AVAILABILITY = `mutation($input: SetUnitAvailabilityInput!) { setUnitAvailability(input: $input) { ${UNIT_FIELDS} } }`;
const CREATE_DISTRICT = 'mutation($input: CreateDistrictInput!) { createDistrict(input: $input) { id name jurisdiction policy { id } } }';
const UPDATE_DISTRICT = 'mutation($input: UpdateDistrictInput!) { updateDistrict(input: $input) { id name jurisdiction policy { id } } }';

let sequence = 0;
const address = (label = 'unit') => `宽城镇 测试小区 ${label} ${++sequence}号`;

async function newUnit(districtId = 'KC-KCZ', extra: Record<string, unknown> = {}): Promise<Record<string, any>> {
  const res = await t.gql(CREATE_UNIT, { input: { districtId, address: address(), floorArea: 45.5, rooms: 2, kind: 'PUBLIC_RENTAL', ...extra } });
  expect(res.body.errors).toBeUndefined();
  return res.body.data.createHousingUnit;
}

const unitCount = async () => (await t.database.db.select({ n: count() }).from(housingUnits))[0]!.n;
const districtCount = async () => (await t.database.db.select({ n: count() }).from(districts))[0]!.n;
const unitRow = async (id: string) =>
  (
    await t.database.db
      .select()
      .from(housingUnits)
      .where(eq(housingUnits.id, Number(id)))
  )[0]!;

beforeAll(async () => {
  t = await startTestHub();
  ownUnit = (await newUnit('KC-KCZ')).id;
  otherUnit = (await newUnit('KC-LXM')).id;
});
afterAll(async () => {
  await t?.close();
});

describe('districts', () => {
  it('lists the districts with their policy, and reads one by id', async () => {
    const res = await t.gql('{ districts { id policy { id } } district(id: "kc-lxm") { id name jurisdiction policy { id jurisdiction } } }');
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.districts.map((d: { id: string }) => d.id)).toEqual(expect.arrayContaining(['KC-BCZ', 'KC-EYY', 'KC-KCZ', 'KC-LXM', 'KC-TDH']));
    expect(res.body.data.districts.every((d: { policy: { id: string } }) => d.policy.id === 'KC')).toBe(true);
    expect(res.body.data.district).toMatchObject({ id: 'KC-LXM', jurisdiction: 'KUANCHENG', policy: { id: 'KC' } });
    expect((await t.gql('{ district(id: "KC-NOPE") { id } }')).body.data.district).toBeNull();
  });

  it('creates a district under an existing policy, its id upper case', async () => {
    const res = await t.gql(CREATE_DISTRICT, { input: { id: ' gy-nm ', name: '南明区 Nanming', jurisdiction: 'GUIYANG', policyId: 'GY' } });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.createDistrict).toEqual({ id: 'GY-NM', name: '南明区 Nanming', jurisdiction: 'GUIYANG', policy: { id: 'GY' } });
    const [row] = await t.database.db.select().from(districts).where(eq(districts.id, 'GY-NM'));
    expect(row).toMatchObject({ policyId: 'GY', createdBy: 'admin@test' });
  });

  it('refuses a district id used already (CONFLICT naming input.id), in any case', async () => {
    for (const id of ['KC-KCZ', 'kc-kcz']) {
      const res = await t.gql(CREATE_DISTRICT, { input: { id, name: 'again', jurisdiction: 'KUANCHENG', policyId: 'KC' } });
      expect(firstError(res)).toMatchObject({ code: 'CONFLICT', field: 'input.id' });
    }
    const [row] = await t.database.db.select().from(districts).where(eq(districts.id, 'KC-KCZ'));
    expect(row!.name).not.toBe('again');
  });

  it('takes an id of 20 characters and refuses one of 21, spaces, or a leading dash; unknown policies and empty names too; writes nothing', async () => {
    const ok = await t.gql(CREATE_DISTRICT, { input: { id: 'A'.repeat(20), name: 'twenty', jurisdiction: 'X', policyId: 'KC' } });
    expect(ok.body.data.createDistrict.id).toBe('A'.repeat(20));
    const before = await districtCount();
    const cases: [Record<string, unknown>, string][] = [
      [{ id: 'B'.repeat(21) }, 'input.id'],
      [{ id: 'KC KCZ2' }, 'input.id'],
      [{ id: '-KC' }, 'input.id'],
      [{ id: 'KC-街道' }, 'input.id'],
      [{ policyId: 'XX' }, 'input.policyId'],
      [{ name: '   ' }, 'input.name'],
      [{ jurisdiction: '' }, 'input.jurisdiction'],
    ];
    for (const [change, field] of cases) {
      const res = await t.gql(CREATE_DISTRICT, { input: { id: 'KC-NEW', name: 'new', jurisdiction: 'KUANCHENG', policyId: 'KC', ...change } });
      expect(firstError(res), JSON.stringify(change)).toMatchObject({ code: 'BAD_USER_INPUT', field });
    }
    const unknownPolicy = await t.gql(CREATE_DISTRICT, { input: { id: 'KC-NEW', name: 'new', jurisdiction: 'KUANCHENG', policyId: 'XX' } });
    expect(unknownPolicy.body.errors![0]!.message).toContain('one of GY, KC');
    expect(await districtCount()).toBe(before);
  });

  it('updates a district: name, jurisdiction, policy; null and left-out fields are kept', async () => {
    await t.gql(CREATE_DISTRICT, { input: { id: 'KC-UPD', name: 'before', jurisdiction: 'KUANCHENG', policyId: 'KC' } });
    const res = await t.gql(UPDATE_DISTRICT, { input: { id: 'kc-upd', name: 'after', jurisdiction: null, policyId: 'GY' } });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.updateDistrict).toEqual({ id: 'KC-UPD', name: 'after', jurisdiction: 'KUANCHENG', policy: { id: 'GY' } });
  });

  it('refuses an update with an unknown policy, an empty name or an unknown district, changing nothing', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ id: 'KC-UPD', policyId: 'NOPE', name: 'changed' }, 'input.policyId'],
      [{ id: 'KC-UPD', name: ' ' }, 'input.name'],
      [{ id: 'KC-GONE', name: 'x' }, 'input.id'],
    ];
    for (const [input, field] of cases) {
      expect(firstError(await t.gql(UPDATE_DISTRICT, { input }))).toMatchObject({ code: 'BAD_USER_INPUT', field });
    }
    const [row] = await t.database.db.select().from(districts).where(eq(districts.id, 'KC-UPD'));
    expect(row).toMatchObject({ name: 'after', policyId: 'GY' });
  });

  it('is the service the demo seeding can call', async () => {
    const row = await createDistrict(t.database.db, { id: 'KC-SVC', name: '服务', jurisdiction: 'KUANCHENG', policyId: 'KC' }, 'seed');
    expect(row).toMatchObject({ id: 'KC-SVC', createdBy: 'seed' });
    const unit = await createHousingUnit(t.database.db, { districtId: 'KC-SVC', address: address('svc'), floorArea: 50, rooms: 2, kind: 'LOW_RENT' }, 'seed');
    expect(unit).toMatchObject({ districtId: 'KC-SVC', status: 'FREE', createdBy: 'seed' });
    const result = await importUnits(t.database.db, {
      batchKey: 'seed-units',
      mode: 'ALL_OR_NOTHING',
      records: [{ address: address('svc'), districtId: 'KC-SVC', floorArea: 40, rooms: 1, kind: 'PUBLIC_RENTAL' }],
      by: 'seed',
    });
    expect(result).toMatchObject({ status: 'ACCEPTED', accepted: 1 });
  });
});

describe('housing units', () => {
  it('creates a FREE unit with its district, size, rooms and kind', async () => {
    const res = await t.gql(CREATE_UNIT, {
      input: { districtId: 'KC-KCZ', address: '  宽城镇   幸福里  3栋 101  ', floorArea: 52.345, rooms: 3, kind: 'LOW_RENT' },
    });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.createHousingUnit).toMatchObject({
      address: '宽城镇 幸福里 3栋 101',
      district: { id: 'KC-KCZ' },
      floorArea: 52.35,
      rooms: 3,
      kind: 'LOW_RENT',
      status: 'FREE',
      statusReason: null,
    });
    expect((await unitRow(res.body.data.createHousingUnit.id)).createdBy).toBe('admin@test');
  });

  it('refuses an address registered already (CONFLICT naming input.address), however spaced', async () => {
    const before = await unitCount();
    const res = await t.gql(CREATE_UNIT, {
      input: { districtId: 'KC-LXM', address: '宽城镇 幸福里   3栋 101', floorArea: 40, rooms: 1, kind: 'PUBLIC_RENTAL' },
    });
    expect(firstError(res)).toMatchObject({ code: 'CONFLICT', field: 'input.address' });
    expect(await unitCount()).toBe(before);
  });

  it('takes floor areas up to 1000 m² and 1 to 20 rooms; refuses 0 m², 1000.01 m², 0 and 21 rooms, an unknown district; writes nothing', async () => {
    for (const ok of [
      { floorArea: 0.01, rooms: 1 },
      { floorArea: 1000, rooms: 20 },
    ]) {
      const res = await t.gql(CREATE_UNIT, { input: { districtId: 'KC-KCZ', address: address(), kind: 'PUBLIC_RENTAL', ...ok } });
      expect(res.body.errors, JSON.stringify(ok)).toBeUndefined();
    }
    const before = await unitCount();
    const cases: [Record<string, unknown>, string][] = [
      [{ floorArea: 0 }, 'input.floorArea'],
      [{ floorArea: -5 }, 'input.floorArea'],
      [{ floorArea: 1000.01 }, 'input.floorArea'],
      [{ rooms: 0 }, 'input.rooms'],
      [{ rooms: 21 }, 'input.rooms'],
      [{ address: '  ' }, 'input.address'],
      [{ address: 'x'.repeat(201) }, 'input.address'],
      [{ districtId: 'KC-NOPE' }, 'input.districtId'],
    ];
    for (const [change, field] of cases) {
      const res = await t.gql(CREATE_UNIT, { input: { districtId: 'KC-KCZ', address: address(), floorArea: 40, rooms: 2, kind: 'PUBLIC_RENTAL', ...change } });
      expect(firstError(res), JSON.stringify(change)).toMatchObject({ code: 'BAD_USER_INPUT', field });
    }
    expect(await unitCount()).toBe(before);
  });

  it('updates address, size, rooms and kind, keeping the status and what is left out', async () => {
    const unit = await newUnit();
    await t.gql(AVAILABILITY, { input: { unitId: unit.id, available: false, reason: 'roof repairs' } });
    const newAddress = address('moved');
    const res = await t.gql(UPDATE_UNIT, { input: { unitId: unit.id, address: newAddress, floorArea: 60, kind: 'LOW_RENT', rooms: null } });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.updateHousingUnit).toMatchObject({
      id: unit.id,
      address: newAddress,
      floorArea: 60,
      rooms: 2,
      kind: 'LOW_RENT',
      status: 'UNAVAILABLE',
      statusReason: 'roof repairs',
    });
  });

  it('refuses an update to another unit’s address (CONFLICT), a bad size, or an unknown unit, changing nothing', async () => {
    const unit = await newUnit();
    const other = await newUnit();
    const before = await unitRow(unit.id);
    const conflicting = await t.gql(UPDATE_UNIT, { input: { unitId: unit.id, address: other.address, floorArea: 70 } });
    expect(firstError(conflicting)).toMatchObject({ code: 'CONFLICT', field: 'input.address' });
    const cases: [Record<string, unknown>, string][] = [
      [{ unitId: unit.id, floorArea: 0, rooms: 3 }, 'input.floorArea'],
      [{ unitId: unit.id, rooms: 21 }, 'input.rooms'],
      [{ unitId: unit.id, address: '' }, 'input.address'],
      [{ unitId: '999999', rooms: 3 }, 'input.unitId'],
      [{ unitId: 'abc', rooms: 3 }, 'input.unitId'],
    ];
    for (const [input, field] of cases) {
      expect(firstError(await t.gql(UPDATE_UNIT, { input })), JSON.stringify(input)).toMatchObject({ code: 'BAD_USER_INPUT', field });
    }
    expect(await unitRow(unit.id)).toEqual(before);
  });

  it('withdraws a FREE unit with a reason and returns it; a reason is required to withdraw', async () => {
    const unit = await newUnit();
    const noReason = await t.gql(AVAILABILITY, { input: { unitId: unit.id, available: false, reason: '  ' } });
    expect(firstError(noReason)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.reason' });
    expect((await unitRow(unit.id)).status).toBe('FREE');

    const withdrawn = await t.gql(AVAILABILITY, { input: { unitId: unit.id, available: false, reason: 'damp walls' } });
    expect(withdrawn.body.data.setUnitAvailability).toMatchObject({ status: 'UNAVAILABLE', statusReason: 'damp walls' });
    // withdrawn again: the reason is corrected
    const corrected = await t.gql(AVAILABILITY, { input: { unitId: unit.id, available: false, reason: 'damp walls and wiring' } });
    expect(corrected.body.data.setUnitAvailability).toMatchObject({ status: 'UNAVAILABLE', statusReason: 'damp walls and wiring' });
    const back = await t.gql(AVAILABILITY, { input: { unitId: unit.id, available: true } });
    expect(back.body.data.setUnitAvailability).toMatchObject({ status: 'FREE', statusReason: null });
    // a FREE unit made available stays FREE
    expect((await t.gql(AVAILABILITY, { input: { unitId: unit.id, available: true } })).body.data.setUnitAvailability.status).toBe('FREE');
    expect(firstError(await t.gql(AVAILABILITY, { input: { unitId: '999999', available: true } }))).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.unitId',
    });
  });

  it('refuses to withdraw, or to "return", an OFFERED or OCCUPIED unit (CONFLICT), changing nothing', async () => {
    for (const status of ['OFFERED', 'OCCUPIED'] as const) {
      const unit = await newUnit();
      // allocation and exit move units into these states; here the state is set directly
      await t.database.db
        .update(housingUnits)
        .set({ status })
        .where(eq(housingUnits.id, Number(unit.id)));
      for (const available of [false, true]) {
        const res = await t.gql(AVAILABILITY, { input: { unitId: unit.id, available, reason: 'repairs' } });
        expect(firstError(res)).toMatchObject({ code: 'CONFLICT', field: 'input.unitId' });
        expect(res.body.errors![0]!.message).toContain(status);
        expect(await unitRow(unit.id)).toMatchObject({ status, statusReason: null });
      }
    }
  });

  it('lists units by district, status, kind and address, a page at a time', async () => {
    await t.gql(CREATE_DISTRICT, { input: { id: 'KC-LIST', name: 'list', jurisdiction: 'KUANCHENG', policyId: 'KC' } });
    const made = [];
    for (let i = 0; i < 5; i++) made.push(await newUnit('KC-LIST', { kind: i < 2 ? 'LOW_RENT' : 'PUBLIC_RENTAL', address: `列表路 ${i} 号` }));
    await t.gql(AVAILABILITY, { input: { unitId: made[4]!.id, available: false, reason: 'repairs' } });
    const query =
      'query($f: HousingUnitFilter, $first: Int, $after: String) { housingUnits(filter: $f, first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } nodes { id kind status } } }';
    const first = await t.gql(query, { f: { districtId: 'KC-LIST' }, first: 3 });
    expect(first.body.data.housingUnits).toMatchObject({ totalCount: 5, pageInfo: { hasNextPage: true } });
    expect(first.body.data.housingUnits.nodes.map((u: { id: string }) => u.id)).toEqual(made.slice(0, 3).map((u) => u.id));
    const second = await t.gql(query, { f: { districtId: 'KC-LIST' }, first: 3, after: first.body.data.housingUnits.pageInfo.endCursor });
    expect(second.body.data.housingUnits.nodes.map((u: { id: string }) => u.id)).toEqual(made.slice(3).map((u) => u.id));
    expect(second.body.data.housingUnits.pageInfo.hasNextPage).toBe(false);
    expect((await t.gql(query, { f: { districtId: 'KC-LIST', kind: 'LOW_RENT' } })).body.data.housingUnits.totalCount).toBe(2);
    expect((await t.gql(query, { f: { districtId: 'KC-LIST', status: 'UNAVAILABLE' } })).body.data.housingUnits.totalCount).toBe(1);
    expect((await t.gql(query, { f: { districtId: 'KC-LIST', status: 'FREE', kind: 'PUBLIC_RENTAL' } })).body.data.housingUnits.totalCount).toBe(2);
    expect((await t.gql(query, { f: { addressContains: '列表路 3' } })).body.data.housingUnits.nodes).toEqual([
      { id: made[3]!.id, kind: 'PUBLIC_RENTAL', status: 'FREE' },
    ]);
    // a % in the search is a character, not a wildcard
    expect((await t.gql(query, { f: { addressContains: '列表%' } })).body.data.housingUnits.totalCount).toBe(0);
    expect(firstError(await t.gql(query, { first: 0 }))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
    expect(firstError(await t.gql(query, { after: 'bm90IGEgY3Vyc29y' }))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
  });

  it('reads a unit by id, with its district', async () => {
    const res = await t.gql(`query($id: ID!) { housingUnit(id: $id) { ${UNIT_FIELDS} } }`, { id: otherUnit });
    expect(res.body.data.housingUnit).toMatchObject({ id: otherUnit, district: { id: 'KC-LXM' }, status: 'FREE' });
    expect((await t.gql('{ housingUnit(id: "999999") { id } }')).body.data.housingUnit).toBeNull();
  });
});

describe('district scope: a caseworker of KC-KCZ', () => {
  const cw = () => t.as(CASEWORKER);

  it('sees its own district’s units only', async () => {
    const res = await cw().gql('{ housingUnits(first: 100) { totalCount nodes { district { id } } } }');
    expect(res.body.errors).toBeUndefined();
    const ids = new Set(res.body.data.housingUnits.nodes.map((u: { district: { id: string } }) => u.district.id));
    expect([...ids]).toEqual(['KC-KCZ']);
    const [all] = await t.database.db.select({ n: count() }).from(housingUnits).where(eq(housingUnits.districtId, 'KC-KCZ'));
    expect(res.body.data.housingUnits.totalCount).toBe(all!.n);
  });

  it('gets FORBIDDEN for a KC-LXM unit, for KC-LXM’s list, and for a unit that does not exist; its own unit reads', async () => {
    expect((await cw().gql('query($id: ID!) { housingUnit(id: $id) { id } }', { id: ownUnit })).body.data.housingUnit.id).toBe(ownUnit);
    for (const res of [
      await cw().gql('query($id: ID!) { housingUnit(id: $id) { id } }', { id: otherUnit }),
      await cw().gql('{ housingUnit(id: "999999") { id } }'),
      await cw().gql('{ housingUnits(filter: { districtId: "KC-LXM" }) { totalCount } }'),
    ]) {
      expect(codes(res)).toEqual(['FORBIDDEN']);
      expect(res.body.errors![0]!.message).toBe('forbidden');
    }
  });

  it('gets FORBIDDEN changing a KC-LXM unit or creating one there, and nothing changes', async () => {
    const before = await unitRow(otherUnit);
    const units = await unitCount();
    for (const [query, input] of [
      [UPDATE_UNIT, { unitId: otherUnit, rooms: 5 }],
      [AVAILABILITY, { unitId: otherUnit, available: false, reason: 'x' }],
      [CREATE_UNIT, { districtId: 'KC-LXM', address: address(), floorArea: 40, rooms: 1, kind: 'PUBLIC_RENTAL' }],
    ] as const) {
      expect(codes(await cw().gql(query, { input }))).toEqual(['FORBIDDEN']);
    }
    expect(await unitRow(otherUnit)).toEqual(before);
    expect(await unitCount()).toBe(units);
  });
});

interface Operation {
  name: string;
  query: string;
  variables?: () => Record<string, unknown>;
  allowed: (keyof typeof CALLERS)[];
}

let matrixSeq = 0;
const READERS_OF_DISTRICTS: Operation['allowed'] = ['ADMIN', 'MANAGER', 'CASEWORKER', 'AUDITOR', 'ALERT_CONSUMER'];
const OPERATIONS: Operation[] = [
  { name: 'districts', query: '{ districts { id name } }', allowed: READERS_OF_DISTRICTS },
  { name: 'a district', query: '{ district(id: "KC-LXM") { id } }', allowed: READERS_OF_DISTRICTS },
  { name: 'a district’s policy', query: '{ district(id: "KC-KCZ") { policy { id } } }', allowed: ['ADMIN', 'MANAGER', 'CASEWORKER', 'AUDITOR'] },
  {
    name: 'create a district',
    query: 'mutation($id: ID!) { createDistrict(input: { id: $id, name: "m", jurisdiction: "KUANCHENG", policyId: "KC" }) { id } }',
    variables: () => ({ id: `KC-M${++matrixSeq}` }),
    allowed: ['ADMIN'],
  },
  { name: 'update a district', query: 'mutation { updateDistrict(input: { id: "KC-EYY", name: "峪耳崖镇 Yu\'erya" }) { id } }', allowed: ['ADMIN'] },
  {
    name: 'a unit of KC-KCZ',
    query: 'query($id: ID!) { housingUnit(id: $id) { id } }',
    variables: () => ({ id: ownUnit }),
    allowed: ['ADMIN', 'MANAGER', 'CASEWORKER'],
  },
  { name: 'a unit of KC-LXM', query: 'query($id: ID!) { housingUnit(id: $id) { id } }', variables: () => ({ id: otherUnit }), allowed: ['ADMIN', 'MANAGER'] },
  { name: 'units', query: '{ housingUnits { totalCount } }', allowed: ['ADMIN', 'MANAGER', 'CASEWORKER'] },
  { name: 'units of KC-LXM', query: '{ housingUnits(filter: { districtId: "KC-LXM" }) { totalCount } }', allowed: ['ADMIN', 'MANAGER'] },
  {
    name: 'create a unit in KC-KCZ',
    query: CREATE_UNIT,
    variables: () => ({ input: { districtId: 'KC-KCZ', address: address('matrix'), floorArea: 40, rooms: 1, kind: 'PUBLIC_RENTAL' } }),
    allowed: ['ADMIN', 'MANAGER'],
  },
  { name: 'update a unit of KC-KCZ', query: UPDATE_UNIT, variables: () => ({ input: { unitId: ownUnit, rooms: 2 } }), allowed: ['ADMIN', 'MANAGER'] },
  {
    name: 'set a KC-KCZ unit’s availability',
    query: AVAILABILITY,
    variables: () => ({ input: { unitId: ownUnit, available: true } }),
    allowed: ['ADMIN', 'MANAGER'],
  },
  {
    name: 'import units',
    query: 'mutation($k: String!, $u: [HousingUnitImport!]!) { importHousingUnits(batchKey: $k, units: $u) { status } }',
    variables: () => ({ k: `matrix-${++matrixSeq}`, u: [{ address: address('matrix'), districtId: 'KC-KCZ', floorArea: 40, rooms: 1, kind: 'LOW_RENT' }] }),
    allowed: ['ADMIN', 'MANAGER'],
  },
];

describe('each role × each operation: allowed, or FORBIDDEN', () => {
  for (const op of OPERATIONS) {
    for (const role of Object.keys(CALLERS) as (keyof typeof CALLERS)[]) {
      const allowed = op.allowed.includes(role);
      it(`${role} ${allowed ? 'may' : 'may not'}: ${op.name}`, async () => {
        const res = await t.as(CALLERS[role]!).gql(op.query, op.variables?.());
        expect(res.status).not.toBe(401);
        if (allowed) expect(res.body.errors).toBeUndefined();
        else expect(res.body.errors!.find((e) => e.extensions?.['code'] === 'FORBIDDEN')!.message).toBe('forbidden');
      });
    }
  }
});

describe('audit', () => {
  it('records each change to reference data with who made it', async () => {
    const unit = await newUnit();
    await t.gql(AVAILABILITY, { input: { unitId: unit.id, available: false, reason: 'audit check' } });
    // written as the request answers
    await new Promise((r) => setTimeout(r, 50));
    const rows = await t.database.db.select().from(auditLog).where(eq(auditLog.action, 'setUnitAvailability'));
    expect(rows.some((r) => r.actor === 'admin@test' && JSON.stringify(r.detail).includes('audit check'))).toBe(true);
  });
});

describe('npm run admin -- create-api-key (bootstrap of a fresh install)', () => {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const run = (args: string[], env: Record<string, string>) =>
    promisify(execFile)('npm', ['run', '--silent', 'admin', '--', ...args], {
      cwd: root,
      env: { ...process.env, LOG_LEVEL: 'silent', ...env },
      timeout: 180_000,
    });

  /** a hub over this database, as `npm start` would serve it (no demo data) */
  async function serve(database: Database) {
    const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', JOBS_ENABLED: 'false', AUTH_JWT_SECRET: TEST_JWT_SECRET, SEED_DEMO: 'false' });
    const hub = await createHub({ config, database, logger: createLogger('silent'), clock: () => new Date(`${TEST_TODAY}T09:00:00`) });
    const url = await hub.listen(0, '127.0.0.1');
    return { hub, url };
  }

  const gqlWith = async (url: string, key: string, query: string) => {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ query }),
    });
    return { status: res.status, body: (await res.json()) as GraphQLResponse['body'] };
  };

  it('prints a new ADMIN key made in the database, which then creates the first district over HTTP', { timeout: 300_000 }, async () => {
    let database: Database;
    let cleanup: () => Promise<void>;
    let env: Record<string, string>;
    let fresh: TestHub | null = null;
    if (testDatabaseKind === 'postgres') {
      // a migrated, empty database on the server: the key goes in while the hub runs
      fresh = await startTestHub();
      database = fresh.database;
      env = { DATABASE_URL: (fresh.database as { url?: string }).url!, DATA_DIR: '' };
      cleanup = () => fresh!.close();
    } else {
      // an embedded database folder no hub has opened yet: the command migrates it
      const dir = await mkdtemp(join(tmpdir(), 'hub-bootstrap-'));
      env = { DATABASE_URL: '', DATA_DIR: dir };
      database = null as unknown as Database;
      cleanup = () => rm(dir, { recursive: true, force: true });
    }
    try {
      const { stdout, stderr } = await run(['create-api-key', '--name', 'first admin'], env);
      const key = stdout.trim();
      expect(key).toMatch(/^hub_[a-z0-9]{12}_[A-Za-z0-9_-]{43}$/);
      expect(stderr).toContain('first admin');
      expect(stderr).not.toContain(key);

      let server: Awaited<ReturnType<typeof serve>>;
      if (fresh) server = { hub: fresh.hub, url: fresh.url };
      else {
        database = await openDatabase({ kind: 'pglite', dataDir: env['DATA_DIR'] });
        server = await serve(database);
        const inner = cleanup;
        cleanup = async () => {
          await server.hub.stop();
          await database.close();
          await inner();
        };
      }
      const me = await gqlWith(server.url, key, '{ me { id role } }');
      expect(me.body.data).toEqual({ me: { id: `key:${key.split('_')[1]}:first admin`, role: 'ADMIN' } });
      const created = await gqlWith(
        server.url,
        key,
        'mutation { createDistrict(input: { id: "GY-YY", name: "云岩区 Yunyan", jurisdiction: "GUIYANG", policyId: "GY" }) { id policy { id } } }',
      );
      expect(created.body).toEqual({ data: { createDistrict: { id: 'GY-YY', policy: { id: 'GY' } } } });

      const [row] = await database.db.select().from(apiKeys).where(eq(apiKeys.name, 'first admin'));
      expect(row).toMatchObject({ role: 'ADMIN', revokedAt: null, createdBy: expect.stringMatching(/^admin-cli/) });
      // only a hash of the key is kept
      expect(row!.hash).toMatch(/^[0-9a-f]{64}$/);
      expect(JSON.stringify(row)).not.toContain(key);
      const audited = await database.db
        .select()
        .from(auditLog)
        .where(sql`${auditLog.action} = 'createApiKey' and ${auditLog.actor} like 'admin-cli%'`);
      expect(audited).toHaveLength(1);
    } finally {
      await cleanup();
    }
  });

  it('says how to use it, and writes no key, when the name is missing or the command unknown', { timeout: 120_000 }, async () => {
    for (const args of [['create-api-key'], ['make-coffee']]) {
      const failed = await run(args, { DATABASE_URL: '', DATA_DIR: '/nonexistent/never-opened' }).then(
        () => null,
        (error: { code: number; stdout: string; stderr: string }) => error,
      );
      expect(failed).not.toBeNull();
      expect(failed!.code).toBe(2);
      expect(failed!.stdout).toBe('');
      expect(failed!.stderr).toContain('usage: npm run admin -- create-api-key --name NAME');
    }
  });
});

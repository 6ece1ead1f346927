// Guiyang points (002): generations from the registered relations, special difficulties recorded
// on certificates, and whether several difficulties add up (POINTS.SPECIAL_ADD_UP).
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { households } from '../src/db/schema.js';
import { makeResidentId, maskResidentId } from '../src/domain/resident-id.js';
import { generationsOf, GENERATION_OFFSET } from '../src/policy/points.js';
import { startTestHub, type GraphQLResponse, type TestHub } from './helpers/hub.js';
import { householdSnapshot } from './helpers/household-rows.js';
import { CALLERS } from './helpers/roles.js';

let t: TestHub;
beforeAll(async () => {
  t = await startTestHub();
});
afterAll(async () => {
  await t?.close();
});

let sequence = 300;
interface Registered {
  id: string;
  members: { id: string; residentId: string }[];
}

/** A household of KC-KCZ registered through the API: [birthDate, relation] per member, the first the HEAD. */
async function register(members: [string, string][], districtId = 'KC-KCZ'): Promise<Registered> {
  const list = members.map(([birthDate, relation], i) => {
    sequence += 1;
    return { residentId: makeResidentId('130827', birthDate, sequence, i % 2 ? 'FEMALE' : 'MALE'), name: `成员${i}`, birthDate, relation };
  });
  const res = await t.gql(`mutation($input: RegisterHouseholdInput!) { registerHousehold(input: $input) { id members { id } } }`, {
    input: { districtId: 'KC-KCZ', category: 'LOCAL', members: list, currentHousing: { floorArea: 30, tenure: 'RENTED' } },
  });
  expect(res.body.errors).toBeUndefined();
  const id = res.body.data.registerHousehold.id as string;
  if (districtId !== 'KC-KCZ')
    await t.database.db
      .update(households)
      .set({ districtId })
      .where(eq(households.id, Number(id)));
  return { id, members: list.map((m, i) => ({ id: res.body.data.registerHousehold.members[i].id, residentId: m.residentId })) };
}

const SCORE = `query($id: ID!, $asOf: Date) { household(id: $id) { score(asOf: $asOf) { total familyStructure { points basis } specialDifficulty { points basis } } } }`;
async function score(id: string, asOf?: string) {
  const res = await t.gql(SCORE, { id, asOf });
  expect(res.body.errors).toBeUndefined();
  return res.body.data.household.score;
}

const RECORD = `mutation($input: RecordSpecialDifficultyInput!) { recordSpecialDifficulty(input: $input) { id kind certificateNo issuedBy active recordedBy person { id relation } } }`;
const REMOVE = `mutation($input: RemoveSpecialDifficultyInput!) { removeSpecialDifficulty(input: $input) { id active removedBy removalReason } }`;
const codeOf = (res: GraphQLResponse) => res.body.errors?.[0]?.extensions?.['code'];
const fieldOf = (res: GraphQLResponse) => res.body.errors?.[0]?.extensions?.['field'];

async function record(input: Record<string, unknown>) {
  const res = await t.gql(RECORD, { input: { certificateNo: 'C-1', issuedBy: '宽城县残联', ...input } });
  expect(res.body.errors).toBeUndefined();
  return res.body.data.recordSpecialDifficulty;
}

describe('generations (family structure points)', () => {
  // the head born 1950; each relation with a plausible birth date
  const cases: [string, [string, string][], number, number][] = [
    ['the head alone', [], 1, 10],
    ['head and spouse', [['1972-01-01', 'SPOUSE']], 1, 10],
    ['head and a sibling-in-law', [['1975-01-01', 'SIBLING_IN_LAW']], 1, 10],
    ['head and a lodger (OTHER counts for no generation)', [['1990-01-01', 'OTHER']], 1, 10],
    ['head and child', [['2000-01-01', 'CHILD']], 2, 20],
    ['head and a parent-in-law', [['1945-01-01', 'PARENT_IN_LAW']], 2, 20],
    ['head and an uncle', [['1948-01-01', 'UNCLE_OR_AUNT']], 2, 20],
    ['head and a nephew', [['2001-01-01', 'NEPHEW_OR_NIECE']], 2, 20],
    [
      'a grandmother (head) with her grandchildren: two generations',
      [
        ['2012-01-01', 'GRANDCHILD'],
        ['2014-01-01', 'GRANDCHILD'],
      ],
      2,
      20,
    ],
    ['head and a great-grandchild', [['2024-01-01', 'GREAT_GRANDCHILD']], 2, 20],
    [
      'head, parent and child',
      [
        ['1945-01-01', 'PARENT'],
        ['2000-01-01', 'CHILD'],
      ],
      3,
      30,
    ],
    [
      'head, child and child-in-law, grandchild',
      [
        ['1995-01-01', 'CHILD'],
        ['1996-01-01', 'CHILD_IN_LAW'],
        ['2020-01-01', 'GRANDCHILD'],
      ],
      3,
      30,
    ],
    [
      'grandparent, head, great-grandchild: four generations score as three or more',
      [
        ['1925-01-01', 'GRANDPARENT'],
        ['2000-01-01', 'CHILD'],
        ['2024-01-01', 'GREAT_GRANDCHILD'],
      ],
      4,
      30,
    ],
  ];
  for (const [name, others, generations, points] of cases) {
    it(`${name}: ${generations} generation(s), ${points} points`, async () => {
      const { id } = await register([['1950-01-01', 'HEAD'], ...others]);
      expect((await score(id)).familyStructure).toEqual({ points, basis: `${generations} generation(s)` });
    });
  }

  it('every relation of the schema has an offset (OTHER none)', async () => {
    const res = await t.gql(`{ __type(name: "RelationToHead") { enumValues { name } } }`);
    const names = res.body.data.__type.enumValues.map((v: { name: string }) => v.name);
    expect(Object.keys(GENERATION_OFFSET).sort()).toEqual([...names].sort());
    expect(generationsOf(['HEAD', 'OTHER', 'OTHER'])).toBe(1);
    expect(generationsOf(['HEAD', 'GRANDPARENT', 'GRANDCHILD'])).toBe(3);
  });
});

describe('special difficulties', () => {
  const POINTS: [string, number][] = [
    ['MODEL_WORKER_OR_SPECIAL_CARE', 20],
    ['LONELY_ELDERLY', 20],
    ['DISABILITY_1', 25],
    ['DISABILITY_2', 20],
    ['DISABILITY_3', 10],
  ];
  for (const [kind, points] of POINTS) {
    it(`${kind} earns ${points} points`, async () => {
      const h = await register([['1950-01-01', 'HEAD']]);
      expect((await score(h.id)).specialDifficulty).toEqual({ points: 0, basis: 'none recorded' });
      const d = await record({ residentId: h.members[0]!.residentId, kind });
      expect(d).toMatchObject({ kind, active: true, recordedBy: 'admin@test', person: { id: h.members[0]!.id, relation: 'HEAD' } });
      expect((await score(h.id)).specialDifficulty).toEqual({ points, basis: kind });
    });
  }

  it('several: the highest counts, and they add up from the day POINTS.SPECIAL_ADD_UP is 1', async () => {
    const h = await register([
      ['1950-01-01', 'HEAD'],
      ['1952-01-01', 'SPOUSE'],
    ]);
    await record({ personId: h.members[0]!.id, kind: 'DISABILITY_2' });
    await record({ personId: h.members[1]!.id, kind: 'LONELY_ELDERLY' });
    await record({ personId: h.members[1]!.id, kind: 'DISABILITY_3' });
    expect((await score(h.id)).specialDifficulty.points).toBe(20);
    const set = await t.gql(
      `mutation { setPolicyParameter(input: { policyId: "GY", code: "POINTS.SPECIAL_ADD_UP", value: 1, effectiveFrom: "2026-11-22", note: "bureau confirmed: they add up" }) { value } }`,
    );
    expect(set.body.errors).toBeUndefined();
    expect((await score(h.id, '2026-11-21')).specialDifficulty.points).toBe(20);
    expect((await score(h.id, '2026-11-22')).specialDifficulty.points).toBe(50);
    expect((await score(h.id)).specialDifficulty).toEqual({ points: 50, basis: 'DISABILITY_2, LONELY_ELDERLY, DISABILITY_3' });
  });

  it('a removed difficulty, and one of a member who left, no longer count; the record stays', async () => {
    const h = await register([
      ['1960-01-01', 'HEAD'],
      ['1935-01-01', 'PARENT'],
    ]);
    const mine = await record({ personId: h.members[0]!.id, kind: 'DISABILITY_3' });
    await record({ personId: h.members[1]!.id, kind: 'DISABILITY_1' });
    expect((await score(h.id, '2026-11-21')).specialDifficulty.points).toBe(25);
    const removed = await t.gql(`mutation($input: RemoveHouseholdMemberInput!) { removeHouseholdMember(input: $input) { household { id } } }`, {
      input: { householdId: h.id, residentId: h.members[1]!.residentId, reason: 'MOVED_OUT', effectiveOn: '2026-11-15' },
    });
    expect(removed.body.errors).toBeUndefined();
    expect((await score(h.id, '2026-11-21')).specialDifficulty).toEqual({ points: 10, basis: 'DISABILITY_3' });
    const gone = await t.gql(REMOVE, { input: { id: mine.id, reason: 'certificate withdrawn on review' } });
    expect(gone.body.data.removeSpecialDifficulty).toEqual({
      id: mine.id,
      active: false,
      removedBy: 'admin@test',
      removalReason: 'certificate withdrawn on review',
    });
    expect((await score(h.id, '2026-11-21')).specialDifficulty.points).toBe(0);
    const again = await t.gql(REMOVE, { input: { id: mine.id, reason: 'twice' } });
    expect(codeOf(again)).toBe('CONFLICT');
    expect(fieldOf(again)).toBe('input.id');

    const lists = await t.gql(
      `query($id: ID!) { household(id: $id) { specialDifficulties { id } all: specialDifficulties(includeRemoved: true) { kind active } members { specialDifficulties(includeRemoved: true) { kind } } } }`,
      { id: h.id },
    );
    expect(lists.body.data.household).toEqual({
      specialDifficulties: [],
      all: [
        { kind: 'DISABILITY_3', active: false },
        { kind: 'DISABILITY_1', active: true },
      ],
      members: [{ specialDifficulties: [{ kind: 'DISABILITY_3' }] }],
    });
  });

  it('a certificate number holding a resident ID is answered masked', async () => {
    const h = await register([['1958-01-01', 'HEAD']]);
    const full = `${h.members[0]!.residentId}12`;
    const d = await record({ personId: h.members[0]!.id, kind: 'DISABILITY_2', certificateNo: full });
    expect(d.certificateNo).toBe(`${maskResidentId(h.members[0]!.residentId)}12`);
  });

  it('the same kind twice, or a second disability grade, is a conflict', async () => {
    const h = await register([['1958-01-01', 'HEAD']]);
    await record({ personId: h.members[0]!.id, kind: 'DISABILITY_2' });
    const before = await householdSnapshot(t.database.db);
    for (const kind of ['DISABILITY_2', 'DISABILITY_1']) {
      const res = await t.gql(RECORD, { input: { personId: h.members[0]!.id, kind, certificateNo: 'X', issuedBy: 'Y' } });
      expect(codeOf(res)).toBe('CONFLICT');
      expect(fieldOf(res)).toBe('input.kind');
    }
    expect(await householdSnapshot(t.database.db)).toEqual(before);
  });

  describe('bad input: refused naming the field, nothing written', () => {
    let h: Registered;
    let formerPerson: string;
    beforeAll(async () => {
      h = await register([
        ['1958-01-01', 'HEAD'],
        ['1930-01-01', 'PARENT'],
      ]);
      const removed = await t.gql(`mutation($input: RemoveHouseholdMemberInput!) { removeHouseholdMember(input: $input) { household { id } } }`, {
        input: { householdId: h.id, residentId: h.members[1]!.residentId, reason: 'OTHER', effectiveOn: '2026-11-01' },
      });
      expect(removed.body.errors).toBeUndefined();
      formerPerson = h.members[1]!.id;
    });
    const cases: [string, string, () => Record<string, unknown>, string][] = [
      ['record: no member named', RECORD, () => ({ kind: 'DISABILITY_1', certificateNo: 'C', issuedBy: 'I' }), 'input.residentId'],
      [
        'record: both ways of naming',
        RECORD,
        () => ({ residentId: h.members[0]!.residentId, personId: h.members[0]!.id, kind: 'DISABILITY_1', certificateNo: 'C', issuedBy: 'I' }),
        'input.personId',
      ],
      [
        'record: an empty certificate number',
        RECORD,
        () => ({ personId: h.members[0]!.id, kind: 'DISABILITY_1', certificateNo: '  ', issuedBy: 'I' }),
        'input.certificateNo',
      ],
      ['record: no issuer', RECORD, () => ({ personId: h.members[0]!.id, kind: 'DISABILITY_1', certificateNo: 'C', issuedBy: '' }), 'input.issuedBy'],
      [
        'record: a person not registered',
        RECORD,
        () => ({ residentId: '130827195801010000', kind: 'DISABILITY_1', certificateNo: 'C', issuedBy: 'I' }),
        'input.residentId',
      ],
      ['record: a member who left', RECORD, () => ({ personId: formerPerson, kind: 'DISABILITY_1', certificateNo: 'C', issuedBy: 'I' }), 'input.personId'],
      [
        'record: a former member by resident ID',
        RECORD,
        () => ({ residentId: h.members[1]!.residentId, kind: 'DISABILITY_1', certificateNo: 'C', issuedBy: 'I' }),
        'input.residentId',
      ],
      ['remove: unknown id', REMOVE, () => ({ id: '999999', reason: 'r' }), 'input.id'],
      ['remove: no reason', REMOVE, () => ({ id: '1', reason: ' ' }), 'input.reason'],
    ];
    for (const [name, mutation, input, field] of cases) {
      it(name, async () => {
        const before = await householdSnapshot(t.database.db);
        const res = await t.gql(mutation, { input: input() });
        expect(codeOf(res)).toBe('BAD_USER_INPUT');
        expect(fieldOf(res)).toBe(field);
        expect(await householdSnapshot(t.database.db)).toEqual(before);
      });
    }
  });
});

describe('access', () => {
  let own: Registered;
  let other: Registered;
  let otherDifficulty: string;
  beforeAll(async () => {
    own = await register([['1957-01-01', 'HEAD']]);
    other = await register([['1956-01-01', 'HEAD']], 'KC-LXM');
    otherDifficulty = (await record({ personId: other.members[0]!.id, kind: 'LONELY_ELDERLY' })).id;
  });

  describe('each role × each operation (a member of KC-KCZ): allowed, or FORBIDDEN', () => {
    const ALLOWED = ['ADMIN', 'MANAGER', 'CASEWORKER'];
    // an empty issuer: a permitted caller passes access control and is refused, so nothing is written
    const operations: [string, string, () => Record<string, unknown>][] = [
      ['recordSpecialDifficulty by person id', RECORD, () => ({ personId: own.members[0]!.id, kind: 'DISABILITY_3', certificateNo: 'C', issuedBy: '' })],
      [
        'recordSpecialDifficulty by resident ID',
        RECORD,
        () => ({ residentId: own.members[0]!.residentId, kind: 'DISABILITY_3', certificateNo: 'C', issuedBy: '' }),
      ],
      ['removeSpecialDifficulty', REMOVE, () => ({ id: otherDifficulty, reason: '' })],
    ];
    for (const [name, mutation, input] of operations) {
      for (const role of Object.keys(CALLERS)) {
        // the difficulty to remove is of KC-LXM: a caseworker of KC-KCZ is refused it (see below); here the matrix of roles
        const allowed = ALLOWED.includes(role) && !(role === 'CASEWORKER' && mutation === REMOVE);
        it(`${role} ${allowed ? 'may' : 'may not'}: ${name}`, async () => {
          const res = await t.as(CALLERS[role]!).gql(mutation, { input: input() });
          expect(codeOf(res)).toBe(allowed ? 'BAD_USER_INPUT' : 'FORBIDDEN');
        });
      }
    }
  });

  it('a caseworker of KC-KCZ records and removes nothing of a KC-LXM member, named either way; nothing is written', async () => {
    const caseworker = t.as(CALLERS['CASEWORKER']!);
    const before = await householdSnapshot(t.database.db);
    const attempts: [string, Record<string, unknown>][] = [
      [RECORD, { personId: other.members[0]!.id, kind: 'DISABILITY_1', certificateNo: 'C', issuedBy: 'I' }],
      [RECORD, { residentId: other.members[0]!.residentId, kind: 'DISABILITY_1', certificateNo: 'C', issuedBy: 'I' }],
      // one not registered anywhere answers the same
      [RECORD, { residentId: '130827195601010000', kind: 'DISABILITY_1', certificateNo: 'C', issuedBy: 'I' }],
      [REMOVE, { id: otherDifficulty, reason: 'not theirs' }],
    ];
    for (const [mutation, input] of attempts) {
      const res = await caseworker.gql(mutation, { input });
      expect(codeOf(res)).toBe('FORBIDDEN');
    }
    expect(await householdSnapshot(t.database.db)).toEqual(before);
  });

  it('a caseworker of the district records and removes one there', async () => {
    const caseworker = t.as(CALLERS['CASEWORKER']!);
    const res = await caseworker.gql(RECORD, {
      input: { residentId: own.members[0]!.residentId, kind: 'DISABILITY_3', certificateNo: 'C-9', issuedBy: '残联' },
    });
    expect(res.body.errors).toBeUndefined();
    const removed = await caseworker.gql(REMOVE, { input: { id: res.body.data.recordSpecialDifficulty.id, reason: 'recorded in error' } });
    expect(removed.body.data.removeSpecialDifficulty.removedBy).toBe('caseworker@kcz');
  });
});

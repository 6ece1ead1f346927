import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkCharacter, makeResidentId } from '../src/domain/resident-id.js';
import { startTestHub, TEST_TODAY, type TestHub } from './helpers/hub.js';
import { snapshot } from './helpers/rows.js';

const REGISTER = /* GraphQL */ `
  mutation Register($input: RegisterHouseholdInput!) {
    registerHousehold(input: $input) {
      id
      status
      category
      applicationDate
      district {
        id
      }
      members {
        residentId
        name
        sex
        relation
        birthDate
      }
      currentHousing {
        floorArea
        tenure
        perCapitaArea
      }
      application {
        stage
        submittedOn
        stageDeadline
        history {
          stage
          enteredOn
        }
      }
    }
  }
`;

let sequence = 0;
function member(relation: string, birthDate: string, sex: 'MALE' | 'FEMALE' = 'MALE') {
  sequence += 1;
  return { residentId: makeResidentId('130827', birthDate, sequence, sex), name: `测试${sequence}`, birthDate, relation };
}

function validInput() {
  return {
    districtId: 'KC-KCZ',
    category: 'LOCAL',
    members: [member('HEAD', '1980-05-17'), member('SPOUSE', '1982-03-02', 'FEMALE')],
    currentHousing: { floorArea: 24.5, tenure: 'RENTED' },
  };
}

describe('registerHousehold', () => {
  let t: TestHub;
  beforeAll(async () => {
    t = await startTestHub({ households: 5 });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('registers a household with its members and opens its application', async () => {
    const input = validInput();
    const res = await t.gql(REGISTER, { input });
    expect(res.body.errors).toBeUndefined();
    const h = res.body.data.registerHousehold;
    expect(h).toMatchObject({
      status: 'APPLICANT',
      category: 'LOCAL',
      applicationDate: TEST_TODAY,
      district: { id: 'KC-KCZ' },
      currentHousing: { floorArea: 24.5, tenure: 'RENTED', perCapitaArea: 12.25 },
      application: { stage: 'SUBMITTED', submittedOn: TEST_TODAY, stageDeadline: null, history: [{ stage: 'SUBMITTED', enteredOn: TEST_TODAY }] },
    });
    expect(h.members.map((m: { sex: string }) => m.sex)).toEqual(['MALE', 'FEMALE']);
    const found = await t.gql(`query($id: ID!) { household(id: $id) { size } }`, { id: h.id });
    expect(found.body.data.household.size).toBe(2);
  });

  const badInputs: [string, (input: ReturnType<typeof validInput>) => unknown, string, RegExp][] = [
    [
      'a wrong check character',
      (i) => {
        const id = i.members[1]!.residentId;
        const wrong = checkCharacter(id.slice(0, 17)) === '1' ? '2' : '1';
        i.members[1]!.residentId = id.slice(0, 17) + wrong;
        return i;
      },
      'input.members[1].residentId',
      /wrong check character/,
    ],
    ['a birth date not matching the ID', (i) => ((i.members[0]!.birthDate = '1980-05-18'), i), 'input.members[0].birthDate', /does not match/],
    ['a negative area', (i) => ((i.currentHousing.floorArea = -1), i), 'input.currentHousing.floorArea', /negative/],
    ['an unknown district', (i) => ((i.districtId = 'NOWHERE'), i), 'input.districtId', /unknown district/],
    ['no head', (i) => ((i.members[0]!.relation = 'SPOUSE'), i), 'input.members', /exactly one HEAD/],
    ['the same person twice', (i) => ((i.members[1] = { ...i.members[0]!, relation: 'CHILD' }), i), 'input.members[1].residentId', /twice/],
    ['an application date in the future', (i) => ({ ...i, applicationDate: '2026-11-24' }), 'input.applicationDate', /future/],
    ['an area with no housing', (i) => ((i.currentHousing = { floorArea: 10, tenure: 'NONE' }), i), 'input.currentHousing.floorArea', /must be 0/],
  ];

  it.each(badInputs)('rejects %s with BAD_USER_INPUT naming the field and writes nothing', async (_name, spoil, field, message) => {
    const before = await snapshot(t.database.db);
    const res = await t.gql(REGISTER, { input: spoil(validInput()) });
    expect(res.body.data).toBeNull();
    expect(res.body.errors).toHaveLength(1);
    expect(res.body.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect(res.body.errors![0]!.message).toMatch(message);
    expect(await snapshot(t.database.db)).toEqual(before);
  });

  it('rejects a member already registered in another household, and writes nothing', async () => {
    const first = validInput();
    expect((await t.gql(REGISTER, { input: first })).body.errors).toBeUndefined();
    const before = await snapshot(t.database.db);
    const again = validInput();
    again.members.push({ ...first.members[0]!, relation: 'PARENT' });
    const res = await t.gql(REGISTER, { input: again });
    expect(res.body.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.members[2].residentId' });
    expect(await snapshot(t.database.db)).toEqual(before);
  });

  it('rejects an ill-typed date before it reaches the resolver', async () => {
    const input = { ...validInput(), applicationDate: '2026-02-30' };
    const res = await t.gql(REGISTER, { input });
    expect(res.body.errors![0]!.extensions!['code']).toBe('BAD_USER_INPUT');
    expect(res.body.errors![0]!.message).toMatch(/applicationDate/);
  });
});

// The waitlist explains each rank (bloom#318): which rule of the ordering puts a household below the
// one just above it (points, then the earlier application, then the earlier registration), and each
// score component names the policy parameters it counts and what was measured.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeResidentId } from '../src/domain/resident-id.js';
import { startTestHub, type TestHub } from './helpers/hub.js';

let t: TestHub;
let sequence = 700;

/** registers a one-person household in KC-EYY and approves it onto the waitlist */
async function waitlisted(floorArea: number, applicationDate: string): Promise<string> {
  sequence += 1;
  const reg = await t.gql(`mutation($input: RegisterHouseholdInput!) { registerHousehold(input: $input) { id application { id } } }`, {
    input: {
      districtId: 'KC-EYY',
      category: 'LOCAL',
      applicationDate,
      members: [{ residentId: makeResidentId('130827', '1970-01-01', sequence, 'MALE'), name: '户主', birthDate: '1970-01-01', relation: 'HEAD' }],
      currentHousing: { floorArea, tenure: floorArea === 0 ? 'NONE' : 'RENTED' },
    },
  });
  expect(reg.body.errors).toBeUndefined();
  const applicationId = reg.body.data.registerHousehold.application.id;
  for (let i = 0; i < 4; i++) {
    const res = await t.gql(`mutation($input: AdvanceApplicationInput!) { advanceApplication(input: $input) { stage } }`, {
      input: { applicationId, on: '2026-03-02' },
    });
    expect(res.body.errors).toBeUndefined();
  }
  return reg.body.data.registerHousehold.id;
}

const COMPONENT = 'points basis codes measure';
const WAITLIST = `{ waitlist(districtId: "KC-EYY") { rank orderedBy household { id applicationDate }
  score { total housing { ${COMPONENT} } familyStructure { ${COMPONENT} } specialDifficulty { ${COMPONENT} } subsidyYears { ${COMPONENT} } } } }`;

interface Component {
  points: number;
  basis: string;
  codes: string[];
  measure: number | null;
}
interface Position {
  rank: number;
  orderedBy: string;
  household: { id: string; applicationDate: string };
  score: { total: number; housing: Component; familyStructure: Component; specialDifficulty: Component; subsidyYears: Component };
}

beforeAll(async () => {
  t = await startTestHub();
});
afterAll(async () => {
  await t?.close();
});

describe('the waitlist explains each rank', () => {
  it('names the rule that orders each household after the one above it', async () => {
    const a = await waitlisted(11, '2025-09-01'); // 4 + 10 points
    const b = await waitlisted(3, '2025-10-01'); // 14 + 10
    const c = await waitlisted(3, '2025-08-01'); // 14 + 10, applied before b
    const d = await waitlisted(0, '2026-02-01'); // no housing: 25 + 10
    const e = await waitlisted(3, '2025-10-01'); // as b, registered after it
    const res = await t.gql(WAITLIST);
    expect(res.body.errors).toBeUndefined();
    const list = res.body.data.waitlist as Position[];
    expect(list.map((p) => [p.household.id, p.score.total, p.orderedBy])).toEqual([
      [d, 35, 'FIRST'],
      [c, 24, 'FEWER_POINTS'],
      [b, 24, 'LATER_APPLICATION'],
      [e, 24, 'LATER_REGISTRATION'],
      [a, 14, 'FEWER_POINTS'],
    ]);
    expect(list.map((p) => p.rank)).toEqual([1, 2, 3, 4, 5]);
  });

  it('gives each component the parameters it counts and what was measured', async () => {
    const list = (await t.gql(WAITLIST)).body.data.waitlist as Position[];
    const [first, second] = list;
    expect(first!.score.housing).toEqual({ points: 25, basis: 'no housing', codes: ['POINTS.AREA_NONE'], measure: null });
    expect(second!.score.housing).toEqual({ points: 14, basis: '3.00 m² per person', codes: ['POINTS.AREA_2_TO_4'], measure: 3 });
    expect(second!.score.familyStructure).toEqual({ points: 10, basis: '1 generation(s)', codes: ['POINTS.GENERATIONS_1'], measure: 1 });
    expect(second!.score.specialDifficulty).toEqual({ points: 0, basis: 'none recorded', codes: [], measure: null });
    expect(second!.score.subsidyYears).toEqual({ points: 0, basis: 'not subsidised', codes: [], measure: null });
    // 11 m² per person: the 10-12 band, the area as measured
    expect(list[4]!.score.housing).toMatchObject({ codes: ['POINTS.AREA_10_TO_12'], measure: 11 });
  });

  it('counts only the highest special difficulty, and names it', async () => {
    const list = (await t.gql(WAITLIST)).body.data.waitlist as Position[];
    const household = list[4]!.household.id;
    const member = (await t.gql(`query($id: ID!) { household(id: $id) { members { id } } }`, { id: household })).body.data.household.members[0].id;
    for (const kind of ['DISABILITY_3', 'LONELY_ELDERLY']) {
      const res = await t.gql(`mutation($input: RecordSpecialDifficultyInput!) { recordSpecialDifficulty(input: $input) { id } }`, {
        input: { personId: member, kind, certificateNo: `CERT-${kind}`, issuedBy: '残联' },
      });
      expect(res.body.errors, kind).toBeUndefined();
    }
    const params = (await t.gql(`{ policy(id: "GY") { parameters { code value } } }`)).body.data.policy.parameters as { code: string; value: number }[];
    const value = (code: string) => params.find((p) => p.code === code)!.value;
    const highest = value('POINTS.DISABILITY_3') >= value('POINTS.LONELY_ELDERLY') ? 'POINTS.DISABILITY_3' : 'POINTS.LONELY_ELDERLY';
    const after = ((await t.gql(WAITLIST)).body.data.waitlist as Position[]).find((p) => p.household.id === household)!;
    expect(after.score.specialDifficulty).toMatchObject({ points: value(highest), codes: [highest], measure: null });
  });
});

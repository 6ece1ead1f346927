import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeResidentId } from '../src/domain/resident-id.js';
import { startTestHub, type TestHub } from './helpers/hub.js';
import { snapshot } from './helpers/rows.js';

const ADVANCE = /* GraphQL */ `
  mutation Advance($input: AdvanceApplicationInput!) {
    advanceApplication(input: $input) {
      id
      stage
      stageEnteredOn
      stageDeadline
      overdue
      history {
        stage
        enteredOn
        deadline
        note
      }
    }
  }
`;

let sequence = 500;
async function registerApplicant(t: TestHub): Promise<{ householdId: string; applicationId: string }> {
  sequence += 1;
  const res = await t.gql(`mutation($input: RegisterHouseholdInput!) { registerHousehold(input: $input) { id application { id } } }`, {
    input: {
      districtId: 'KC-BCZ',
      category: 'MIGRANT',
      applicationDate: '2026-10-01',
      members: [
        { residentId: makeResidentId('130821', '1979-01-09', sequence, 'FEMALE'), name: '申请人', birthDate: '1979-01-09', relation: 'HEAD' },
        { residentId: makeResidentId('130821', '2010-07-01', sequence, 'MALE'), name: '子女', birthDate: '2010-07-01', relation: 'CHILD' },
      ],
      currentHousing: { floorArea: 20, tenure: 'RENTED' },
    },
  });
  expect(res.body.errors).toBeUndefined();
  return { householdId: res.body.data.registerHousehold.id, applicationId: res.body.data.registerHousehold.application.id };
}

describe('advanceApplication (KC-13 stages and working-day deadlines)', () => {
  let t: TestHub;
  beforeAll(async () => {
    t = await startTestHub();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('walks preliminary review (7), public notice (3), county review (15) and approval onto the waitlist', async () => {
    const { householdId, applicationId } = await registerApplicant(t);
    const step = async (on: string, note?: string) => {
      const res = await t.gql(ADVANCE, { input: { applicationId, on, note } });
      expect(res.body.errors).toBeUndefined();
      return res.body.data.advanceApplication;
    };
    // 2026-11-02 is a Monday
    expect(await step('2026-11-02', 'documents complete')).toMatchObject({ stage: 'PRELIMINARY_REVIEW', stageDeadline: '2026-11-11', overdue: true });
    // Friday: 3 working days end on Wednesday
    expect(await step('2026-11-13')).toMatchObject({ stage: 'PUBLIC_NOTICE', stageDeadline: '2026-11-18' });
    const county = await step('2026-11-18');
    expect(county).toMatchObject({ stage: 'COUNTY_REVIEW', stageDeadline: '2026-12-09', overdue: false });
    const approved = await step('2026-11-20');
    expect(approved).toMatchObject({ stage: 'APPROVED', stageDeadline: null, overdue: false });
    expect(approved.history.map((e: { stage: string }) => e.stage)).toEqual(['SUBMITTED', 'PRELIMINARY_REVIEW', 'PUBLIC_NOTICE', 'COUNTY_REVIEW', 'APPROVED']);
    expect(approved.history[1].note).toBe('documents complete');

    const h = await t.gql(`query($id: ID!) { household(id: $id) { status waitlistEntry { enteredOn daysWaiting } } }`, { id: householdId });
    expect(h.body.data.household).toEqual({ status: 'WAITLISTED', waitlistEntry: { enteredOn: '2026-11-20', daysWaiting: 3 } });
  });

  it('rejects an application at review and leaves the household an applicant', async () => {
    const { householdId, applicationId } = await registerApplicant(t);
    await t.gql(ADVANCE, { input: { applicationId, on: '2026-11-02' } });
    const res = await t.gql(ADVANCE, { input: { applicationId, decision: 'REJECT', on: '2026-11-05', note: 'income over the limit' } });
    expect(res.body.data.advanceApplication).toMatchObject({ stage: 'REJECTED', stageDeadline: null });
    const h = await t.gql(`query($id: ID!) { household(id: $id) { status waitlistEntry { enteredOn } } }`, { id: householdId });
    expect(h.body.data.household).toEqual({ status: 'APPLICANT', waitlistEntry: null });
  });

  it('refuses bad input naming the field, and changes nothing', async () => {
    const { applicationId } = await registerApplicant(t);
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ applicationId: '424242' }, 'input.applicationId', /no application/],
      [{ applicationId: 'abc' }, 'input.applicationId', /must be an application id/],
      [{ applicationId, on: '2026-12-01' }, 'input.on', /future/],
      [{ applicationId, on: '2026-09-30' }, 'input.on', /before the current stage began/],
      [{ applicationId, note: 'x'.repeat(2001) }, 'input.note', /2000/],
    ];
    for (const [input, field, message] of cases) {
      const before = await snapshot(t.database.db);
      const res = await t.gql(ADVANCE, { input });
      expect(res.body.errors?.[0]?.extensions, field).toMatchObject({ code: 'BAD_USER_INPUT', field });
      expect(res.body.errors?.[0]?.message).toMatch(message);
      expect(await snapshot(t.database.db)).toEqual(before);
    }
  });

  it('refuses to move a final application', async () => {
    const { applicationId } = await registerApplicant(t);
    await t.gql(ADVANCE, { input: { applicationId, decision: 'REJECT', on: '2026-11-02' } });
    const before = await snapshot(t.database.db);
    const res = await t.gql(ADVANCE, { input: { applicationId } });
    expect(res.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.applicationId' });
    expect(res.body.errors?.[0]?.message).toMatch(/already REJECTED/);
    expect(await snapshot(t.database.db)).toEqual(before);
  });
});

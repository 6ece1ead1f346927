// Qualification exceptions (KC-12(1)2 "in principle"): a manager waives a criterion the policy allows
// to be waived, for one household until a date. A FAIL becomes a PASS that says so; nothing else changes.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { households } from '../src/db/schema.js';
import { evaluate, type HouseholdFacts, type ParameterValue } from '../src/policy/engine.js';
import { parametersAsOf } from '../src/policy/service.js';
import { qualificationExceptions } from '../src/policy/tables.js';
import { startTestHub, TEST_TODAY, type GraphQLResponse, type TestHub } from './helpers/hub.js';
import { householdSnapshot } from './helpers/household-rows.js';
import { buildHousehold, housedHousehold, memberIds } from './helpers/scenario.js';
import { CALLERS } from './helpers/roles.js';
import { member } from './unit/fixtures.js';

let t: TestHub;
beforeAll(async () => {
  t = await startTestHub();
});
afterAll(async () => {
  await t?.close();
});

const GRANT = `mutation($input: GrantQualificationExceptionInput!) { grantQualificationException(input: $input) { id policyId criterion reason grantedBy grantedOn expiresOn inForce revokedBy } }`;
const REVOKE = `mutation($input: RevokeQualificationExceptionInput!) { revokeQualificationException(input: $input) { id inForce revokedBy revokeReason } }`;
const QUALIFICATION = `query($id: ID!, $asOf: Date) { household(id: $id) { qualification(asOf: $asOf) { verdict criteria { code outcome actual reason evidence { agency record } exception { id grantedBy grantedOn reason expiresOn } } } } }`;
const codeOf = (res: GraphQLResponse) => res.body.errors?.[0]?.extensions?.['code'];
const fieldOf = (res: GraphQLResponse) => res.body.errors?.[0]?.extensions?.['field'];

/** A one-person household, otherwise eligible under KC LOCAL: it fails only HOUSEHOLD_SIZE. */
const single = () => buildHousehold(t, { members: [{ birthDate: '1975-04-04' }], floorArea: 10 });

async function qualification(id: string, asOf?: string) {
  const res = await t.gql(QUALIFICATION, { id, asOf });
  expect(res.body.errors).toBeUndefined();
  const q = res.body.data.household.qualification;
  return { ...q, size: q.criteria.find((c: { code: string }) => c.code === 'HOUSEHOLD_SIZE') };
}

async function grant(input: Record<string, unknown>) {
  const res = await t.gql(GRANT, { input: { criterion: 'HOUSEHOLD_SIZE', reason: 'widow living alone, disabled', expiresOn: '2027-11-22', ...input } });
  expect(res.body.errors).toBeUndefined();
  return res.body.data.grantQualificationException;
}

describe('granting an exception', () => {
  it('turns the failing criterion into a PASS that says it passed by exception, and the household eligible', async () => {
    const id = await single();
    const before = await qualification(id);
    expect(before.verdict).toBe('INELIGIBLE');
    expect(before.size).toMatchObject({ outcome: 'FAIL', actual: 1, exception: null });
    expect(before.criteria.filter((c: { outcome: string }) => c.outcome !== 'PASS').map((c: { code: string }) => c.code)).toEqual(['HOUSEHOLD_SIZE']);

    const e = await grant({ householdId: id });
    expect(e).toMatchObject({
      policyId: 'KC',
      criterion: 'HOUSEHOLD_SIZE',
      grantedBy: 'admin@test',
      grantedOn: TEST_TODAY,
      expiresOn: '2027-11-22',
      inForce: true,
      revokedBy: null,
    });
    const after = await qualification(id);
    expect(after.verdict).toBe('ELIGIBLE');
    expect(after.size).toMatchObject({
      outcome: 'PASS',
      actual: 1,
      exception: { id: e.id, grantedBy: 'admin@test', grantedOn: TEST_TODAY, reason: 'widow living alone, disabled', expiresOn: '2027-11-22' },
    });
    expect(after.size.reason).toMatch(/^passed by exception/);
    expect(after.size.evidence).toContainEqual({ agency: 'bureau', record: `qualification exception ${e.id}` });

    const list = await t.gql(`query($id: ID!) { household(id: $id) { exceptions { id criterion inForce } } }`, { id });
    expect(list.body.data.household.exceptions).toEqual([{ id: e.id, criterion: 'HOUSEHOLD_SIZE', inForce: true }]);
  });

  it('does not apply to an evaluation as of a day before it was granted', async () => {
    const id = await single();
    await grant({ householdId: id });
    expect((await qualification(id, '2026-11-22')).size).toMatchObject({ outcome: 'FAIL', exception: null });
    expect((await qualification(id, TEST_TODAY)).size.outcome).toBe('PASS');
  });

  it('a criterion that passes anyway shows no exception', async () => {
    const id = await buildHousehold(t, {});
    await grant({ householdId: id });
    expect((await qualification(id)).size).toMatchObject({ outcome: 'PASS', actual: 2, exception: null, reason: null });
  });

  it('a second one in force for the same criterion is a conflict', async () => {
    const id = await single();
    await grant({ householdId: id });
    const before = await householdSnapshot(t.database.db);
    const res = await t.gql(GRANT, { input: { householdId: id, criterion: 'HOUSEHOLD_SIZE', reason: 'again', expiresOn: '2027-01-01' } });
    expect(codeOf(res)).toBe('CONFLICT');
    expect(fieldOf(res)).toBe('input.criterion');
    expect(await householdSnapshot(t.database.db)).toEqual(before);
  });
});

describe('expiry and revocation', () => {
  /** an exception granted earlier, written as the grant would have been on that day */
  async function grantedEarlier(householdId: string, expiresOn: string) {
    const [row] = await t.database.db
      .insert(qualificationExceptions)
      .values({
        householdId: Number(householdId),
        policyId: 'KC',
        criterion: 'HOUSEHOLD_SIZE',
        reason: 'granted at registration',
        grantedBy: 'manager@test',
        grantedOn: '2026-01-05',
        expiresOn,
      })
      .returning();
    return row!;
  }

  it('one expiring today still applies today; one that expired yesterday does not', async () => {
    const today = await single();
    await grantedEarlier(today, TEST_TODAY);
    expect((await qualification(today)).size.outcome).toBe('PASS');
    const yesterday = await single();
    await grantedEarlier(yesterday, '2026-11-22');
    expect((await qualification(yesterday)).size).toMatchObject({ outcome: 'FAIL', exception: null });
    // and as of its last day it applied
    expect((await qualification(yesterday, '2026-11-22')).size.outcome).toBe('PASS');
    const list = await t.gql(`query($id: ID!) { household(id: $id) { exceptions { inForce } } }`, { id: yesterday });
    expect(list.body.data.household.exceptions).toEqual([{ inForce: false }]);
    // an expired exception does not block a new grant
    await grant({ householdId: yesterday });
  });

  it('a revoked exception no longer applies; revoking twice is a conflict', async () => {
    const id = await single();
    const e = await grant({ householdId: id });
    const res = await t.gql(REVOKE, { input: { exceptionId: e.id, reason: 'a son moved back in' } });
    expect(res.body.data.revokeQualificationException).toEqual({ id: e.id, inForce: false, revokedBy: 'admin@test', revokeReason: 'a son moved back in' });
    expect((await qualification(id)).size).toMatchObject({ outcome: 'FAIL', exception: null });
    const again = await t.gql(REVOKE, { input: { exceptionId: e.id, reason: 'twice' } });
    expect(codeOf(again)).toBe('CONFLICT');
    expect(fieldOf(again)).toBe('input.exceptionId');
  });
});

describe('sweeps honour exceptions', () => {
  it('detection (the path of reviews and inspections) sees the exception: a housed family excepted from size does not flip when a member leaves', async () => {
    const excepted = await housedHousehold(t);
    await grant({ householdId: excepted.id });
    const plain = await housedHousehold(t);
    const leave = async (id: string) => {
      // a small home, so that one person alone fails only the household size
      const housing = await t.gql(`mutation($input: ChangeCurrentHousingInput!) { changeCurrentHousing(input: $input) { alertsRaised { rule } } }`, {
        input: { householdId: id, floorArea: 10, tenure: 'RENTED', effectiveOn: '2026-11-01' },
      });
      expect(housing.body.data.changeCurrentHousing.alertsRaised).toEqual([]);
      const spouse = (await memberIds(t, id))[1]!;
      const res = await t.gql(`mutation($input: RemoveHouseholdMemberInput!) { removeHouseholdMember(input: $input) { alertsRaised { rule } } }`, {
        input: { householdId: id, residentId: spouse, reason: 'MOVED_OUT', effectiveOn: '2026-11-15' },
      });
      expect(res.body.errors).toBeUndefined();
      return res.body.data.removeHouseholdMember.alertsRaised.map((a: { rule: string }) => a.rule);
    };
    expect(await leave(plain.id)).toContain('QUALIFICATION_FLIPPED');
    expect(await leave(excepted.id)).not.toContain('QUALIFICATION_FLIPPED');
    const rerun = await t.gql(`mutation($ids: [ID!]) { runDetection(householdIds: $ids) }`, { ids: [excepted.id] });
    expect(rerun.body.data.runDetection).toBe(0);
  });
});

describe('the engine (pure)', () => {
  it('turns only a FAIL into a PASS: an UNKNOWN stays UNKNOWN; only criteria the policy allows; only the policy it was granted under', async () => {
    const params = new Map(await parametersAsOf(t.database.db, 'KC', TEST_TODAY));
    params.set('EXCEPTION_ALLOWED.INCOME', { ...params.get('EXCEPTION_ALLOWED.HOUSEHOLD_SIZE')!, code: 'EXCEPTION_ALLOWED.INCOME' } as ParameterValue);
    const exception = { id: 1, policyId: 'KC', criterion: 'INCOME', reason: 'r', grantedBy: 'm', grantedOn: '2026-01-01', expiresOn: '2027-01-01' };
    const facts = (annualIncome: number | null, exceptions = [exception]): HouseholdFacts => ({
      asOf: TEST_TODAY,
      category: 'LOCAL',
      size: 1,
      housing: { floorArea: 10, tenure: 'RENTED' },
      members: [
        member('R0', {
          birthDate: '1975-01-01',
          incomes: annualIncome === null ? [] : [{ residentId: 'R0', year: 2025, annualIncome, asOf: TEST_TODAY, source: 'FEED' }],
        }),
      ],
      coverage: { 'civil-affairs': TEST_TODAY },
      exceptions,
    });
    const income = (f: HouseholdFacts, policyId?: string) => evaluate(f, params, policyId).criteria.find((c) => c.code === 'INCOME')!;
    expect(income(facts(1_000_000))).toMatchObject({ outcome: 'PASS', exception: { id: 1 } });
    expect(income(facts(null))).toMatchObject({ outcome: 'UNKNOWN', exception: null });
    expect(income(facts(1_000_000), 'GY')).toMatchObject({ outcome: 'FAIL', exception: null });
    // the size exception is allowed, but none was granted for it
    expect(evaluate(facts(1_000_000), params).criteria.find((c) => c.code === 'HOUSEHOLD_SIZE')).toMatchObject({ outcome: 'FAIL', exception: null });
    params.delete('EXCEPTION_ALLOWED.INCOME');
    expect(income(facts(1_000_000))).toMatchObject({ outcome: 'FAIL', exception: null });
  });
});

describe('bad input: refused naming the field, nothing written', () => {
  let id: string;
  beforeAll(async () => {
    id = await single();
  });
  const cases: [string, string, () => Record<string, unknown>, string][] = [
    [
      'a criterion the policy does not allow to be waived',
      GRANT,
      () => ({ householdId: id, criterion: 'INCOME', reason: 'r', expiresOn: '2027-01-01' }),
      'input.criterion',
    ],
    ['a criterion the policy does not have', GRANT, () => ({ householdId: id, criterion: 'NO_SUCH', reason: 'r', expiresOn: '2027-01-01' }), 'input.criterion'],
    [
      'a criterion of another policy (Guiyang has no household size criterion)',
      GRANT,
      () => ({ householdId: id, policyId: 'GY', criterion: 'HOUSEHOLD_SIZE', reason: 'r', expiresOn: '2027-01-01' }),
      'input.criterion',
    ],
    [
      'an unknown policy',
      GRANT,
      () => ({ householdId: id, policyId: 'XX', criterion: 'HOUSEHOLD_SIZE', reason: 'r', expiresOn: '2027-01-01' }),
      'input.policyId',
    ],
    ['expired already (yesterday)', GRANT, () => ({ householdId: id, criterion: 'HOUSEHOLD_SIZE', reason: 'r', expiresOn: '2026-11-22' }), 'input.expiresOn'],
    ['no reason', GRANT, () => ({ householdId: id, criterion: 'HOUSEHOLD_SIZE', reason: '  ', expiresOn: '2027-01-01' }), 'input.reason'],
    ['an unknown household', GRANT, () => ({ householdId: '999999', criterion: 'HOUSEHOLD_SIZE', reason: 'r', expiresOn: '2027-01-01' }), 'input.householdId'],
    ['revoke: an unknown exception', REVOKE, () => ({ exceptionId: '999999', reason: 'r' }), 'input.exceptionId'],
    ['revoke: no reason', REVOKE, () => ({ exceptionId: '1', reason: '' }), 'input.reason'],
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

  it('one expiring today may be granted', async () => {
    const e = await grant({ householdId: await single(), expiresOn: TEST_TODAY });
    expect(e.inForce).toBe(true);
  });
});

describe('access', () => {
  let own: string;
  let other: string;
  let otherException: string;
  beforeAll(async () => {
    own = await single();
    other = await single();
    await t.database.db
      .update(households)
      .set({ districtId: 'KC-LXM' })
      .where(eq(households.id, Number(other)));
    otherException = (await grant({ householdId: other })).id;
  });

  describe('each role × each operation: allowed (ADMIN, MANAGER), or FORBIDDEN', () => {
    // an empty reason: a permitted caller passes access control and is refused, so nothing is written
    const operations: [string, string, () => Record<string, unknown>][] = [
      ['grantQualificationException', GRANT, () => ({ householdId: own, criterion: 'HOUSEHOLD_SIZE', reason: '', expiresOn: '2027-01-01' })],
      ['revokeQualificationException', REVOKE, () => ({ exceptionId: otherException, reason: '' })],
    ];
    for (const [name, mutation, input] of operations) {
      for (const role of Object.keys(CALLERS)) {
        const allowed = role === 'ADMIN' || role === 'MANAGER';
        it(`${role} ${allowed ? 'may' : 'may not'}: ${name}`, async () => {
          const res = await t.as(CALLERS[role]!).gql(mutation, { input: input() });
          expect(codeOf(res)).toBe(allowed ? 'BAD_USER_INPUT' : 'FORBIDDEN');
        });
      }
    }
  });

  it('a caseworker of KC-KCZ grants and revokes nothing, in a KC-LXM household or its own; nothing is written', async () => {
    const caseworker = t.as(CALLERS['CASEWORKER']!);
    const before = await householdSnapshot(t.database.db);
    for (const [mutation, input] of [
      [GRANT, { householdId: other, criterion: 'HOUSEHOLD_SIZE', reason: 'r', expiresOn: '2027-01-01' }],
      [GRANT, { householdId: own, criterion: 'HOUSEHOLD_SIZE', reason: 'r', expiresOn: '2027-01-01' }],
      [REVOKE, { exceptionId: otherException, reason: 'r' }],
    ] as const) {
      const res = await caseworker.gql(mutation, { input });
      expect(codeOf(res)).toBe('FORBIDDEN');
    }
    expect(await householdSnapshot(t.database.db)).toEqual(before);
    // they see an exception of their own district's household, not of another's
    expect(codeOf(await caseworker.gql(`query($id: ID!) { household(id: $id) { exceptions { id } } }`, { id: other }))).toBe('FORBIDDEN');
  });

  it('a manager grants one for any district', async () => {
    const res = await t
      .as(CALLERS['MANAGER']!)
      .gql(GRANT, { input: { householdId: own, criterion: 'household_size', reason: 'single parent abroad', expiresOn: '2027-06-30' } });
    expect(res.body.data.grantQualificationException).toMatchObject({ criterion: 'HOUSEHOLD_SIZE', grantedBy: 'manager@test' });
  });
});

describe('the policy withdrawing the allowance', () => {
  it('from the day EXCEPTION_ALLOWED.HOUSEHOLD_SIZE is 0, exceptions to it no longer apply and none can be granted', async () => {
    const id = await single();
    await t.database.db.insert(qualificationExceptions).values({
      householdId: Number(id),
      policyId: 'KC',
      criterion: 'HOUSEHOLD_SIZE',
      reason: 'r',
      grantedBy: 'manager@test',
      grantedOn: '2026-11-01',
      expiresOn: '2027-11-01',
    });
    const set = await t.gql(
      `mutation { setPolicyParameter(input: { policyId: "KC", code: "EXCEPTION_ALLOWED.HOUSEHOLD_SIZE", value: 0, effectiveFrom: "2026-11-23" }) { value } }`,
    );
    expect(set.body.errors).toBeUndefined();
    expect((await qualification(id, '2026-11-22')).size.outcome).toBe('PASS');
    expect((await qualification(id)).size).toMatchObject({ outcome: 'FAIL', exception: null });
    const res = await t.gql(GRANT, { input: { householdId: await single(), criterion: 'HOUSEHOLD_SIZE', reason: 'r', expiresOn: '2027-01-01' } });
    expect(fieldOf(res)).toBe('input.criterion');
  });
});

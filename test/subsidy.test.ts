// Rent subsidy (KC-26): started for a waitlisted household at the district policy's standard, ended
// when it is housed or no longer due; the years on it feed Guiyang's points (002).
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectRows } from '../src/db/client.js';
import { districts } from '../src/db/schema.js';
import { subsidyYears } from '../src/rent/subsidy-years.js';
import { startTestHub, type GraphQLResponse, type TestHub } from './helpers/hub.js';
import { registerIn, rentSnapshot, waitlisted } from './helpers/rent.js';
import { CALLERS } from './helpers/roles.js';

let t: TestHub;
const CASEWORKER = CALLERS['CASEWORKER']!;

beforeAll(async () => {
  t = await startTestHub();
});
afterAll(async () => {
  await t?.close();
});

const errorOf = (res: GraphQLResponse) => res.body.errors?.[0]?.extensions as { code?: string; field?: string } | undefined;
const START = `mutation($input: StartSubsidyInput!) { startSubsidy(input: $input) { id household { id status } startDate endDate monthlyAmount running startedBy } }`;
const END = `mutation($input: EndSubsidyInput!) { endSubsidy(input: $input) { id household { id status } startDate endDate running endReason endedBy years } }`;
const VIEW = `query($id: ID!, $asOf: Date) { household(id: $id) { status subsidy { id monthlyAmount startDate } subsidies { startDate endDate running }
  score(asOf: $asOf) { total subsidyYears { points basis } } } }`;

async function view(id: number, asOf?: string) {
  const res = await t.gql(VIEW, { id: String(id), asOf });
  expect(res.body.errors).toBeUndefined();
  return res.body.data.household;
}

describe('starting and ending a subsidy', () => {
  it('a waitlisted household gets the standard (per-capita × members) and becomes SUBSIDISED; ended, it waits again', async () => {
    const id = await waitlisted(t, 'KC-KCZ', '2026-01-05', '2026-03-02', 3);
    const res = await t.as(CASEWORKER).gql(START, { input: { householdId: String(id), startDate: '2026-04-01' } });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.startSubsidy).toMatchObject({
      household: { status: 'SUBSIDISED' },
      startDate: '2026-04-01',
      endDate: null,
      monthlyAmount: 450,
      running: true,
      startedBy: 'caseworker@kcz',
    });
    expect((await view(id)).subsidy).toMatchObject({ monthlyAmount: 450, startDate: '2026-04-01' });

    const again = await t.gql(START, { input: { householdId: String(id), startDate: '2026-05-01' } });
    expect(errorOf(again)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.householdId' });

    const ended = await t.as(CASEWORKER).gql(END, { input: { householdId: String(id), endDate: '2026-10-01', reason: 'allocated a unit by lottery' } });
    expect(ended.body.errors).toBeUndefined();
    expect(ended.body.data.endSubsidy).toMatchObject({
      household: { status: 'WAITLISTED' },
      endDate: '2026-10-01',
      running: false,
      endReason: 'allocated a unit by lottery',
      endedBy: 'caseworker@kcz',
      years: 0.5,
    });
    const after = await view(id);
    expect(after.subsidy).toBeNull();
    expect(after.subsidies).toEqual([{ startDate: '2026-04-01', endDate: '2026-10-01', running: false }]);

    // a second period may follow, not overlap
    const overlap = await t.gql(START, { input: { householdId: String(id), startDate: '2026-09-30' } });
    expect(errorOf(overlap)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.startDate' });
    const next = await t.gql(START, { input: { householdId: String(id), startDate: '2026-10-01', monthlyAmount: 500 } });
    expect(next.body.data.startSubsidy).toMatchObject({ monthlyAmount: 500, running: true, startedBy: 'admin@test' });
    expect((await view(id)).subsidies.map((s: { startDate: string }) => s.startDate)).toEqual(['2026-10-01', '2026-04-01']);
  });

  it('reads the standard from the district’s policy on the start date, never a constant', async () => {
    await t.gql(
      `mutation { setPolicyParameter(input: { policyId: "KC", code: "SUBSIDY.PER_CAPITA_MONTHLY", value: 200, effectiveFrom: "2026-07-01" }) { code } }`,
    );
    await t.gql(
      `mutation { setPolicyParameter(input: { policyId: "GY", code: "SUBSIDY.PER_CAPITA_MONTHLY", value: 120, effectiveFrom: "2026-01-01" }) { code } }`,
    );
    await t.database.db.update(districts).set({ policyId: 'GY' }).where(eq(districts.id, 'KC-EYY'));
    const before = await waitlisted(t, 'KC-KCZ', '2026-01-05', '2026-03-02', 2);
    const after = await waitlisted(t, 'KC-KCZ', '2026-01-05', '2026-03-02', 2);
    const guiyang = await waitlisted(t, 'KC-EYY', '2026-01-05', '2026-03-02', 2);
    const amount = async (id: number, startDate: string) =>
      (await t.gql(START, { input: { householdId: String(id), startDate } })).body.data.startSubsidy.monthlyAmount;
    expect(await amount(before, '2026-06-30')).toBe(300);
    expect(await amount(after, '2026-07-01')).toBe(400);
    expect(await amount(guiyang, '2026-07-01')).toBe(240);
  });

  it('refuses bad input naming the field, and writes nothing', async () => {
    const id = await waitlisted(t, 'KC-KCZ', '2026-02-02', '2026-04-01');
    const applicant = await registerIn(t, 'KC-KCZ');
    const before = await rentSnapshot(t.database.db);
    const cases: [Record<string, unknown>, string][] = [
      [{ startDate: '2026-11-24' }, 'input.startDate'],
      [{ startDate: '2026-03-31' }, 'input.startDate'],
      [{ startDate: '2026-05-01', monthlyAmount: 0 }, 'input.monthlyAmount'],
      [{ startDate: '2026-05-01', monthlyAmount: -10 }, 'input.monthlyAmount'],
      [{ startDate: '2026-05-01', monthlyAmount: 10.001 }, 'input.monthlyAmount'],
      [{ startDate: '2026-05-01', householdId: String(applicant) }, 'input.householdId'],
      [{ startDate: '2026-05-01', householdId: '999999' }, 'input.householdId'],
    ];
    for (const [change, field] of cases) {
      const res = await t.gql(START, { input: { householdId: String(id), ...change } });
      expect(errorOf(res), JSON.stringify(change)).toMatchObject({ code: 'BAD_USER_INPUT', field });
    }
    const none = await t.gql(END, { input: { householdId: String(id), endDate: '2026-06-01', reason: 'x' } });
    expect(errorOf(none)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.householdId' });
    expect(await rentSnapshot(t.database.db)).toEqual(before);

    expect((await t.gql(START, { input: { householdId: String(id), startDate: '2026-05-01' } })).body.errors).toBeUndefined();
    const started = await rentSnapshot(t.database.db);
    const endCases: [Record<string, unknown>, string][] = [
      [{ endDate: '2026-04-30', reason: 'x' }, 'input.endDate'],
      [{ endDate: '2026-11-24', reason: 'x' }, 'input.endDate'],
      [{ endDate: '2026-06-01', reason: '  ' }, 'input.reason'],
    ];
    for (const [change, field] of endCases) {
      const res = await t.gql(END, { input: { householdId: String(id), ...change } });
      expect(errorOf(res), JSON.stringify(change)).toMatchObject({ code: 'BAD_USER_INPUT', field });
    }
    expect(await rentSnapshot(t.database.db)).toEqual(started);
  });

  it('a caseworker may start the standard subsidy in its own district only, and no other amount', async () => {
    const own = await waitlisted(t, 'KC-KCZ', '2026-02-02', '2026-04-01');
    const other = await waitlisted(t, 'KC-LXM', '2026-02-02', '2026-04-01');
    const before = await rentSnapshot(t.database.db);
    const cw = t.as(CASEWORKER);
    expect(errorOf(await cw.gql(START, { input: { householdId: String(other), startDate: '2026-05-01' } }))?.code).toBe('FORBIDDEN');
    expect(errorOf(await cw.gql(START, { input: { householdId: String(own), startDate: '2026-05-01', monthlyAmount: 999 } }))?.code).toBe('FORBIDDEN');
    expect(await rentSnapshot(t.database.db)).toEqual(before);
    expect((await t.gql(START, { input: { householdId: String(other), startDate: '2026-05-01' } })).body.errors).toBeUndefined();
    const stillBefore = await rentSnapshot(t.database.db);
    expect(errorOf(await cw.gql(END, { input: { householdId: String(other), endDate: '2026-06-01', reason: 'x' } }))?.code).toBe('FORBIDDEN');
    expect(await rentSnapshot(t.database.db)).toEqual(stillBefore);
    // the refused end left the other district's subsidy running
    const [row] = await selectRows<{ n: number }>(
      t.database.db,
      sql`select count(*)::int as n from subsidies where household_id = ${other} and end_date is null`,
    );
    expect(row!.n).toBe(1);
  });
});

describe('years on subsidy in Guiyang’s points (002)', () => {
  it('counts every period up to asOf, a running one to asOf, in months and days', () => {
    expect(subsidyYears([], '2026-11-23')).toBeNull();
    expect(subsidyYears([{ startDate: '2026-12-01', endDate: null }], '2026-11-23')).toBeNull();
    expect(subsidyYears([{ startDate: '2026-05-23', endDate: null }], '2026-11-23')).toBe(0.5);
    expect(
      subsidyYears(
        [
          { startDate: '2025-01-01', endDate: '2025-04-01' },
          { startDate: '2026-08-23', endDate: null },
        ],
        '2026-11-23',
      ),
    ).toBe(0.5);
    expect(subsidyYears([{ startDate: '2025-01-01', endDate: '2026-01-01' }], '2025-07-01')).toBe(0.5);
  });

  it('scores each band on both sides of its edges: y < 0.5 → 5, 0.5 ≤ y ≤ 1 → 8, 1 < y ≤ 2 → 10, 2 < y ≤ 3 → 15, y > 3 → 20', async () => {
    const id = await waitlisted(t, 'KC-KCZ', '2023-03-01', '2023-05-02');
    expect((await t.gql(START, { input: { householdId: String(id), startDate: '2023-05-23' } })).body.errors).toBeUndefined();
    const bands: [string, number, string][] = [
      ['2023-05-22', 0, 'not subsidised'],
      ['2023-05-23', 5, '0.00 years'],
      ['2023-11-22', 5, '0.50 years'], // 5 months and 30 days: just under half a year
      ['2023-11-23', 8, '0.50 years'],
      ['2024-05-23', 8, '1.00 years'],
      ['2024-05-27', 10, '1.01 years'],
      ['2025-05-23', 10, '2.00 years'],
      ['2025-05-24', 15, '2.00 years'],
      ['2026-05-23', 15, '3.00 years'],
      ['2026-05-24', 20, '3.00 years'],
    ];
    for (const [asOf, points, basis] of bands) {
      const score = (await view(id, asOf)).score;
      expect(score.subsidyYears, asOf).toEqual({ points, basis });
    }
  });

  it('adds up the periods: 3 months ended long ago and 3 running make half a year', async () => {
    const id = await waitlisted(t, 'KC-KCZ', '2024-10-08', '2024-12-02');
    expect((await t.gql(START, { input: { householdId: String(id), startDate: '2025-01-01' } })).body.errors).toBeUndefined();
    expect(
      (await t.gql(END, { input: { householdId: String(id), endDate: '2025-04-01', reason: 'declared income above the limit; re-checked' } })).body.errors,
    ).toBeUndefined();
    const threeMonths = (await view(id)).score.subsidyYears;
    expect(threeMonths).toEqual({ points: 5, basis: '0.25 years' });
    expect((await t.gql(START, { input: { householdId: String(id), startDate: '2026-08-23' } })).body.errors).toBeUndefined();
    expect((await view(id)).score.subsidyYears).toEqual({ points: 8, basis: '0.50 years' });
  });
});

describe('each role × each subsidy operation: allowed, or FORBIDDEN', () => {
  let own: number;
  beforeAll(async () => {
    own = await waitlisted(t, 'KC-KCZ', '2026-02-02', '2026-04-01');
  });
  // inputs that pass access control and are then refused as bad input: the matrix writes nothing
  const OPERATIONS: { name: string; query: string; variables: () => Record<string, unknown>; allowed: string[] }[] = [
    {
      name: 'startSubsidy (own district)',
      query: START,
      variables: () => ({ input: { householdId: String(own), startDate: '2026-11-24' } }),
      allowed: ['ADMIN', 'MANAGER', 'CASEWORKER'],
    },
    {
      name: 'endSubsidy (own district)',
      query: END,
      variables: () => ({ input: { householdId: String(own), endDate: '2026-11-01', reason: '' } }),
      allowed: ['ADMIN', 'MANAGER', 'CASEWORKER'],
    },
    { name: 'Household.subsidies', query: VIEW, variables: () => ({ id: String(own) }), allowed: ['ADMIN', 'MANAGER', 'CASEWORKER'] },
  ];
  for (const op of OPERATIONS) {
    for (const role of Object.keys(CALLERS)) {
      const allowed = op.allowed.includes(role);
      it(`${op.name}: ${role} ${allowed ? 'allowed' : 'FORBIDDEN'}`, async () => {
        const res = await t.as(CALLERS[role]!).gql(op.query, op.variables());
        expect(errorOf(res)?.code === 'FORBIDDEN').toBe(!allowed);
      });
    }
  }
});

describe('demo data', () => {
  it('gives every SUBSIDISED demo household its running subsidy, from the day it was waitlisted', async () => {
    const demo = await startTestHub({ households: 60 });
    try {
      const rows = await selectRows<{ status: string; running: number; from_waitlist: boolean }>(
        demo.database.db,
        sql`select h.status, count(s.id)::int as running, bool_and(s.start_date = w.entered_on) as from_waitlist
            from households h left join subsidies s on s.household_id = h.id and s.end_date is null left join waitlist_entries w on w.household_id = h.id
            group by h.id, h.status`,
      );
      const subsidised = rows.filter((r) => r.status === 'SUBSIDISED');
      expect(subsidised.length).toBeGreaterThan(0);
      expect(subsidised.every((r) => r.running === 1 && r.from_waitlist)).toBe(true);
      expect(rows.filter((r) => r.status !== 'SUBSIDISED').every((r) => r.running === 0)).toBe(true);
    } finally {
      await demo.close();
    }
  });
});

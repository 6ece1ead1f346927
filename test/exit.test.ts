// Issue #12 item 8: exit cases (KC-19), the exit inspection (KC-20), rent owed at exit (KC-36), alert assignment.
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { housingUnits, rentLedger, tenancies } from '../src/db/schema.js';
import { startTestHub, type TestHub } from './helpers/hub.js';
import { buildHousehold } from './helpers/scenario.js';
import { CALLERS, CASEWORKER, codes, housed, mutate, ok, refused, snapshot, STAFF, type Housed, type RoleName } from './helpers/exit.js';

let t: TestHub;
beforeAll(async () => {
  t = await startTestHub();
});
afterAll(async () => {
  await t?.close();
});

const SIX_MONTHS = ['2026-05', '2026-06', '2026-07', '2026-08', '2026-09', '2026-10'];
const CASE =
  'id status districtId ground openedOn noticeServedOn vacateBy appealLodgedOn appealOutcome closedOn arrearsAtExit alert { id status } tenancy { id endDate }';

async function arrearsAlert(h: Housed): Promise<string> {
  ok(await t.gql(`mutation($ids: [ID!]) { runDetection(householdIds: $ids) }`, { ids: [h.id] }), 'runDetection');
  const res = await t.gql(`query($id: ID!) { alerts(filter: { householdId: $id, rule: "RENT_ARREARS_EXIT" }) { nodes { id status } } }`, { id: h.id });
  const [alert] = ok(res, 'alerts').nodes;
  expect(alert.status).toBe('OPEN');
  return alert.id;
}

async function openCase(h: Housed, extra: Record<string, unknown> = {}, caller = CASEWORKER) {
  return ok(
    await mutate(t, 'openExitCase', { householdId: h.id, ground: 'RENT_ARREARS', summary: '6 months unpaid', openedOn: '2026-11-02', ...extra }, CASE, caller),
    'openExitCase',
  );
}

async function exitInspection(h: Housed, caseId: string | null, visitedOn = '2026-11-20', purpose = 'EXIT') {
  const input: Record<string, unknown> = {
    unitId: h.unitId,
    purpose,
    visitedOn,
    staff: STAFF,
    outcome: 'NO_ISSUES',
    findings: 'unit cleared, keys returned',
    exitCaseId: caseId,
  };
  if (purpose !== 'EXIT') input['memberPresent'] = h.members[0];
  return ok(await mutate(t, 'recordInspection', input, 'id householdId: household { id }', CASEWORKER), 'recordInspection');
}

describe('the whole exit path, from a rent-arrears alert (KC-19(2), KC-20, KC-36)', () => {
  let h: Housed;
  let alertId: string;
  let caseId: string;

  beforeAll(async () => {
    h = await housed(t, SIX_MONTHS);
    alertId = await arrearsAlert(h);
  });

  it('opens the case from the alert: the alert is acknowledged and linked', async () => {
    const c = await openCase(h, { alertId });
    caseId = c.id;
    expect(c).toMatchObject({
      status: 'OPEN',
      districtId: 'KC-KCZ',
      ground: 'RENT_ARREARS',
      openedOn: '2026-11-02',
      alert: { id: alertId, status: 'ACKNOWLEDGED' },
    });
    expect(c.tenancy.endDate).toBeNull();
    const alert = ok(
      await t.as(CASEWORKER).gql(`{ alerts(filter: { rule: "RENT_ARREARS_EXIT" }) { nodes { id exitCase { id } history { status by note } } } }`),
      'alerts',
    ).nodes.find((a: { id: string }) => a.id === alertId);
    expect(alert.exitCase).toEqual({ id: caseId });
    expect(alert.history.at(-1)).toMatchObject({ status: 'ACKNOWLEDGED', by: 'caseworker@kcz', note: expect.stringContaining(`exit case ${caseId} opened`) });
  });

  it('serves the notice: to leave by servedOn + EXIT.VACATE_DAYS (30 calendar days)', async () => {
    const c = ok(await mutate(t, 'serveExitNotice', { caseId, servedOn: '2026-11-03' }, CASE, CASEWORKER), 'serveExitNotice');
    expect(c).toMatchObject({ status: 'NOTICE_SERVED', noticeServedOn: '2026-11-03', vacateBy: '2026-12-03' });
  });

  it('records the appeal, and its dismissal puts the notice back in force', async () => {
    expect(
      ok(
        await mutate(t, 'recordExitAppeal', { caseId, lodgedOn: '2026-11-05', note: 'the family says it paid in cash' }, CASE, CASEWORKER),
        'recordExitAppeal',
      ),
    ).toMatchObject({
      status: 'APPEALED',
      appealLodgedOn: '2026-11-05',
    });
    const c = ok(
      await mutate(t, 'decideExitAppeal', { caseId, upheld: false, on: '2026-11-10', note: 'no receipt for any of the months' }, CASE, CASEWORKER),
      'decideExitAppeal',
    );
    expect(c).toMatchObject({ status: 'NOTICE_SERVED', appealOutcome: 'DISMISSED', vacateBy: '2026-12-03' });
  });

  it('completes after the exit inspection: tenancy ended, unit free, household EXITED, rent still owed', async () => {
    const inspection = await exitInspection(h, caseId);
    expect(inspection.householdId).toEqual({ id: h.id });
    const c = ok(await mutate(t, 'completeExit', { caseId, on: '2026-11-20', inspectionId: inspection.id }, CASE, CASEWORKER), 'completeExit');
    expect(c).toMatchObject({
      status: 'COMPLETED',
      closedOn: '2026-11-20',
      arrearsAtExit: 1620,
      alert: { status: 'RESOLVED' },
      tenancy: { endDate: '2026-11-20' },
    });

    const read = ok(
      await t.as(CASEWORKER).gql(
        `query($id: ID!) { exitCase(id: $id) {
          history { action status on by note }
          inspections { id purpose }
          tenancy { endDate arrears { monthsUnpaid amountOutstanding } rentLedger { month } }
          household { status tenancy { id } exitCases { id status } inspections { id } }
        } }`,
        { id: caseId },
      ),
      'exitCase',
    );
    expect(read.history.map((e: { action: string; status: string; on: string }) => [e.action, e.status, e.on])).toEqual([
      ['OPENED', 'OPEN', '2026-11-02'],
      ['NOTICE_SERVED', 'NOTICE_SERVED', '2026-11-03'],
      ['APPEAL_LODGED', 'APPEALED', '2026-11-05'],
      ['APPEAL_DISMISSED', 'NOTICE_SERVED', '2026-11-10'],
      ['COMPLETED', 'COMPLETED', '2026-11-20'],
    ]);
    expect(new Set(read.history.map((e: { by: string }) => e.by))).toEqual(new Set(['caseworker@kcz']));
    expect(read.history.at(-1).note).toContain('1620.00');
    expect(read.inspections).toEqual([{ id: inspection.id, purpose: 'EXIT' }]);
    // KC-36: the ledger stays, and the ended tenancy still shows what is owed
    expect(read.tenancy).toMatchObject({ endDate: '2026-11-20', arrears: { monthsUnpaid: 6, amountOutstanding: 1620 } });
    expect(read.tenancy.rentLedger).toHaveLength(12);
    expect(read.household).toMatchObject({
      status: 'EXITED',
      tenancy: null,
      exitCases: [{ id: caseId, status: 'COMPLETED' }],
      inspections: [{ id: inspection.id }],
    });

    const db = t.database.db;
    const [unit] = await db.select().from(housingUnits).where(eq(housingUnits.id, h.unitId));
    expect(unit!.status).toBe('FREE');
    const [tenancy] = await db.select().from(tenancies).where(eq(tenancies.unitId, h.unitId));
    expect(tenancy!.endReason).toBe(`exit case ${caseId} (KC-19, RENT_ARREARS)`);
    expect(await db.select().from(rentLedger).where(eq(rentLedger.tenancyId, tenancy!.id))).toHaveLength(12);
  });

  it('refuses every further step, and a new case for a household no longer housed', async () => {
    for (const [name, input] of [
      ['serveExitNotice', { caseId, servedOn: '2026-11-21' }],
      ['withdrawExitCase', { caseId, on: '2026-11-21', reason: 'changed our mind' }],
      ['recordExitAppeal', { caseId, lodgedOn: '2026-11-21', note: 'late' }],
    ] as const) {
      expect(refused(await mutate(t, name, input), 'BAD_USER_INPUT', 'input.caseId').message).toContain('COMPLETED');
    }
    refused(await mutate(t, 'openExitCase', { householdId: h.id, ground: 'RENT_ARREARS', summary: 'again' }), 'BAD_USER_INPUT', 'input.householdId');
  });
});

describe('the state machine', () => {
  let h: Housed;
  let caseId: string;
  beforeAll(async () => {
    h = await housed(t);
    caseId = (await openCase(h, { ground: 'SUBLET_LENT_OR_SWAPPED', summary: 'neighbours report strangers living there' })).id;
  });

  it('refuses steps the case is not ready for, with a clear reason and nothing written', async () => {
    const before = await snapshot(t);
    const inspection = await exitInspection(h, caseId);
    const afterInspection = await snapshot(t);
    for (const [name, input] of [
      ['completeExit', { caseId, on: '2026-11-21', inspectionId: inspection.id }],
      ['recordExitAppeal', { caseId, lodgedOn: '2026-11-05', note: 'we live there' }],
      ['decideExitAppeal', { caseId, upheld: true, on: '2026-11-06', note: 'upheld' }],
    ] as const) {
      const error = refused(await mutate(t, name, input), 'BAD_USER_INPUT', 'input.caseId');
      expect(error.message).toMatch(/is OPEN: .* only when it is (NOTICE_SERVED|APPEALED)/);
    }
    expect(await snapshot(t)).toBe(afterInspection);
    expect(before).not.toBe(afterInspection);
  });

  it('keeps one running case per household (CONFLICT)', async () => {
    const before = await snapshot(t);
    const error = refused(
      await mutate(t, 'openExitCase', { householdId: h.id, ground: 'RENT_ARREARS', summary: 'another' }, 'id', CASEWORKER),
      'CONFLICT',
      'input.householdId',
    );
    expect(error.message).toContain(`exit case ${caseId}`);
    expect(await snapshot(t)).toBe(before);
  });

  it('refuses a step dated before the last one', async () => {
    refused(await mutate(t, 'serveExitNotice', { caseId, servedOn: '2026-11-01' }), 'BAD_USER_INPUT', 'input.servedOn');
    refused(await mutate(t, 'serveExitNotice', { caseId, servedOn: '2026-11-03', vacateBy: '2026-11-02' }), 'BAD_USER_INPUT', 'input.vacateBy');
    const c = ok(await mutate(t, 'serveExitNotice', { caseId, servedOn: '2026-11-03', vacateBy: '2026-11-30' }, CASE), 'serveExitNotice');
    expect(c.vacateBy).toBe('2026-11-30');
    refused(await mutate(t, 'serveExitNotice', { caseId, servedOn: '2026-11-04' }), 'BAD_USER_INPUT', 'input.caseId');
  });

  it('completes only with an EXIT inspection of the unit, for this case, on or before the day (KC-20)', async () => {
    const routine = await exitInspection(h, caseId, '2026-11-18', 'ROUTINE');
    const unlinked = await exitInspection(h, null, '2026-11-18');
    const late = await exitInspection(h, caseId, '2026-11-22');
    const other = await housed(t);
    const otherUnit = await exitInspection(other, null, '2026-11-18');
    const before = await snapshot(t);
    for (const [inspectionId, reason] of [
      [routine.id, 'inspected for exit'],
      [unlinked.id, 'not made for this exit case'],
      [late.id, 'after the exit day'],
      [otherUnit.id, 'another unit'],
      ['999999', 'no inspection'],
    ]) {
      const error = refused(
        await mutate(t, 'completeExit', { caseId, on: '2026-11-21', inspectionId }, 'id', CASEWORKER),
        'BAD_USER_INPUT',
        'input.inspectionId',
      );
      expect(error.message).toContain(reason);
    }
    expect(await snapshot(t)).toBe(before);
  });

  it('an appeal upheld withdraws the case; a withdrawn case takes no step and a new one may open', async () => {
    ok(await mutate(t, 'recordExitAppeal', { caseId, lodgedOn: '2026-11-05', note: 'they are relatives staying a week' }), 'recordExitAppeal');
    const c = ok(await mutate(t, 'decideExitAppeal', { caseId, upheld: true, on: '2026-11-12', note: 'relatives on a visit' }, CASE), 'decideExitAppeal');
    expect(c).toMatchObject({ status: 'WITHDRAWN', appealOutcome: 'UPHELD', closedOn: '2026-11-12' });
    refused(await mutate(t, 'withdrawExitCase', { caseId, on: '2026-11-13', reason: 'again' }), 'BAD_USER_INPUT', 'input.caseId');
    refused(await mutate(t, 'decideExitAppeal', { caseId, upheld: false, on: '2026-11-13', note: 'again' }), 'BAD_USER_INPUT', 'input.caseId');
    const next = await openCase(h, { ground: 'OTHER_LEGAL_GROUNDS', summary: 'lease breach', openedOn: '2026-11-20' });
    expect(next.status).toBe('OPEN');
    const w = ok(await mutate(t, 'withdrawExitCase', { caseId: next.id, on: '2026-11-21', reason: 'breach remedied' }, CASE), 'withdrawExitCase');
    expect(w).toMatchObject({ status: 'WITHDRAWN', closedOn: '2026-11-21' });
  });

  it('allows one appeal per case', async () => {
    const c = await openCase(h, { summary: 'arrears' });
    ok(await mutate(t, 'serveExitNotice', { caseId: c.id, servedOn: '2026-11-03' }), 'serveExitNotice');
    ok(await mutate(t, 'recordExitAppeal', { caseId: c.id, lodgedOn: '2026-11-04', note: 'n' }), 'recordExitAppeal');
    const d = ok(
      await mutate(t, 'decideExitAppeal', { caseId: c.id, upheld: false, on: '2026-11-06', note: 'dismissed', vacateBy: '2026-12-31' }, CASE),
      'decideExitAppeal',
    );
    expect(d.vacateBy).toBe('2026-12-31');
    expect(
      refused(await mutate(t, 'recordExitAppeal', { caseId: c.id, lodgedOn: '2026-11-07', note: 'again' }), 'BAD_USER_INPUT', 'input.caseId').message,
    ).toContain('already decided');
    ok(await mutate(t, 'withdrawExitCase', { caseId: c.id, on: '2026-11-08', reason: 'paid in full' }), 'withdrawExitCase');
  });
});

describe('opening a case', () => {
  it('refuses an alert of another household, an unknown or closed alert, with nothing written', async () => {
    const a = await housed(t, SIX_MONTHS);
    const b = await housed(t, SIX_MONTHS);
    const alertOfB = await arrearsAlert(b);
    const before = await snapshot(t);
    expect(
      refused(
        await mutate(t, 'openExitCase', { householdId: a.id, ground: 'RENT_ARREARS', summary: 's', alertId: alertOfB }),
        'BAD_USER_INPUT',
        'input.alertId',
      ).message,
    ).toContain('another household');
    refused(await mutate(t, 'openExitCase', { householdId: a.id, ground: 'RENT_ARREARS', summary: 's', alertId: '999999' }), 'BAD_USER_INPUT', 'input.alertId');
    expect(await snapshot(t)).toBe(before);
    ok(await mutate(t, 'updateAlert', { alertId: alertOfB, status: 'DISMISSED', note: 'paid' }), 'updateAlert');
    refused(await mutate(t, 'openExitCase', { householdId: b.id, ground: 'RENT_ARREARS', summary: 's', alertId: alertOfB }), 'BAD_USER_INPUT', 'input.alertId');
  });

  it('refuses a household with no running tenancy, or an opening day before the tenancy', async () => {
    const applicant = await buildHousehold(t, {});
    refused(await mutate(t, 'openExitCase', { householdId: applicant, ground: 'NO_LONGER_QUALIFIED', summary: 's' }), 'BAD_USER_INPUT', 'input.householdId');
    const h = await housed(t);
    refused(
      await mutate(t, 'openExitCase', { householdId: h.id, ground: 'RENT_ARREARS', summary: 's', openedOn: '2025-11-30' }),
      'BAD_USER_INPUT',
      'input.openedOn',
    );
  });

  it('links the inspection whose findings led to the case', async () => {
    const h = await housed(t);
    const visit = ok(
      await mutate(t, 'recordInspection', {
        unitId: h.unitId,
        purpose: 'ROUTINE',
        visitedOn: '2026-11-10',
        staff: STAFF,
        memberPresent: h.members[0],
        outcome: 'ISSUES_FOUND',
        findings: 'a shop runs in the living room',
      }),
      'recordInspection',
    );
    const c = await openCase(h, { ground: 'DAMAGED_OR_USE_CHANGED', summary: `use changed, see inspection ${visit.id}`, inspectionId: visit.id });
    const read = ok(await t.gql(`query($id: ID!) { inspection(id: $id) { exitCase { id ground } } }`, { id: visit.id }), 'inspection');
    expect(read.exitCase).toEqual({ id: c.id, ground: 'DAMAGED_OR_USE_CHANGED' });
  });
});

describe('bad input: BAD_USER_INPUT naming the field, nothing written', () => {
  let h: Housed;
  let caseId: string;
  let alertId: string;
  beforeAll(async () => {
    h = await housed(t, SIX_MONTHS);
    alertId = await arrearsAlert(h);
    caseId = (await openCase(h)).id;
  });

  const cases: [string, () => Record<string, unknown>, string][] = [
    ['openExitCase', () => ({ householdId: h.id, ground: 'RENT_ARREARS', summary: '  ' }), 'input.summary'],
    ['openExitCase', () => ({ householdId: h.id, ground: 'RENT_ARREARS', summary: 's', openedOn: '2026-11-24' }), 'input.openedOn'],
    ['openExitCase', () => ({ householdId: 'x', ground: 'RENT_ARREARS', summary: 's' }), 'input.householdId'],
    ['serveExitNotice', () => ({ caseId, servedOn: '2026-11-24' }), 'input.servedOn'],
    ['recordExitAppeal', () => ({ caseId, lodgedOn: '2026-11-05', note: '' }), 'input.note'],
    ['decideExitAppeal', () => ({ caseId, upheld: true, on: '2026-11-06', note: 'n', vacateBy: '2026-12-31' }), 'input.vacateBy'],
    ['withdrawExitCase', () => ({ caseId, on: '2026-11-06', reason: '' }), 'input.reason'],
    ['completeExit', () => ({ caseId, on: '2026-11-30', inspectionId: '1' }), 'input.on'],
    ['completeExit', () => ({ caseId: '-1', on: '2026-11-20', inspectionId: '1' }), 'input.caseId'],
    ['assignAlert', () => ({ alertId, assignee: ' ' }), 'input.assignee'],
    ['assignAlert', () => ({ alertId: '999999', assignee: 'li.na' }), 'input.alertId'],
  ];
  it.each(cases)('%s refuses %#', async (name, input, field) => {
    const before = await snapshot(t);
    refused(await mutate(t, name, input()), 'BAD_USER_INPUT', field);
    expect(await snapshot(t)).toBe(before);
  });
});

describe('assigning an alert', () => {
  it('sets the assignee, keeps the status, records it, and is filterable', async () => {
    const h = await housed(t, SIX_MONTHS);
    const alertId = await arrearsAlert(h);
    const a = ok(
      await mutate(t, 'assignAlert', { alertId, assignee: 'li.na@kcz', note: 'please visit' }, 'id status assignee history { status by note }', CASEWORKER),
      'assignAlert',
    );
    expect(a).toMatchObject({ status: 'OPEN', assignee: 'li.na@kcz' });
    expect(a.history.at(-1)).toEqual({ status: 'OPEN', by: 'caseworker@kcz', note: 'assigned to li.na@kcz: please visit' });
    const mine = ok(await t.as(CASEWORKER).gql(`{ alerts(filter: { assignee: "li.na@kcz" }) { nodes { id } } }`), 'alerts');
    expect(mine.nodes).toEqual([{ id: alertId }]);
    const cleared = ok(await mutate(t, 'assignAlert', { alertId, assignee: null }, 'assignee history { note }'), 'assignAlert');
    expect(cleared).toMatchObject({ assignee: null });
    expect(cleared.history.at(-1).note).toBe('unassigned');
    ok(await mutate(t, 'updateAlert', { alertId, status: 'RESOLVED' }), 'updateAlert');
    refused(await mutate(t, 'assignAlert', { alertId, assignee: 'li.na@kcz' }), 'BAD_USER_INPUT', 'input.alertId');
  });
});

describe('district scope: a caseworker of KC-KCZ and a KC-LXM household', () => {
  let other: Housed;
  let caseId: string;
  let alertId: string;
  let inspectionId: string;
  beforeAll(async () => {
    other = await housed(t, SIX_MONTHS, 'KC-LXM');
    ok(await t.gql(`mutation($ids: [ID!]) { runDetection(householdIds: $ids) }`, { ids: [other.id] }), 'runDetection');
    alertId = ok(await t.gql(`query($id: ID!) { alerts(filter: { householdId: $id }) { nodes { id } } }`, { id: other.id }), 'alerts').nodes[0].id;
    caseId = (await openCase(other, {}, CALLERS['ADMIN'])).id;
    ok(await mutate(t, 'serveExitNotice', { caseId, servedOn: '2026-11-03' }), 'serveExitNotice');
    inspectionId = ok(
      await mutate(t, 'recordInspection', {
        unitId: other.unitId,
        purpose: 'EXIT',
        visitedOn: '2026-11-20',
        staff: STAFF,
        outcome: 'NO_ISSUES',
        findings: 'cleared',
        exitCaseId: caseId,
      }),
      'recordInspection',
    ).id;
  });

  it('is FORBIDDEN every step on the other district’s case, and nothing is written', async () => {
    const before = await snapshot(t);
    for (const [name, input] of [
      ['openExitCase', { householdId: other.id, ground: 'RENT_ARREARS', summary: 's' }],
      ['serveExitNotice', { caseId, servedOn: '2026-11-04' }],
      ['recordExitAppeal', { caseId, lodgedOn: '2026-11-04', note: 'n' }],
      ['decideExitAppeal', { caseId, upheld: true, on: '2026-11-04', note: 'n' }],
      ['withdrawExitCase', { caseId, on: '2026-11-04', reason: 'r' }],
      ['completeExit', { caseId, on: '2026-11-21', inspectionId }],
      ['assignAlert', { alertId, assignee: 'me' }],
    ] as const) {
      refused(await mutate(t, name, input, 'id', CASEWORKER), 'FORBIDDEN');
    }
    expect(await snapshot(t)).toBe(before);
  });

  it('does not show the other district’s cases', async () => {
    refused(await t.as(CASEWORKER).gql(`query($id: ID!) { exitCase(id: $id) { id } }`, { id: caseId }), 'FORBIDDEN');
    refused(await t.as(CASEWORKER).gql(`{ exitCases(filter: { districtId: "KC-LXM" }) { totalCount } }`), 'FORBIDDEN');
    const mine = ok(await t.as(CASEWORKER).gql(`{ exitCases(first: 100) { totalCount nodes { id districtId } } }`), 'exitCases');
    expect(mine.nodes.length).toBeGreaterThan(0);
    expect(mine.nodes.every((c: { districtId: string }) => c.districtId === 'KC-KCZ')).toBe(true);
    expect(mine.totalCount).toBe(mine.nodes.length);
    const all = ok(await t.as(CALLERS['MANAGER']!).gql(`{ exitCases(filter: { districtId: "KC-LXM" }) { totalCount nodes { id } } }`), 'exitCases');
    expect(all.nodes).toEqual([{ id: caseId }]);
  });
});

describe('lists', () => {
  it('filters by status and ground and pages newest first', async () => {
    const res = ok(
      await t.gql(`{ exitCases(filter: { status: WITHDRAWN, ground: SUBLET_LENT_OR_SWAPPED }) { totalCount nodes { status ground } } }`),
      'exitCases',
    );
    expect(res.totalCount).toBeGreaterThan(0);
    expect(res.nodes.every((c: { status: string; ground: string }) => c.status === 'WITHDRAWN' && c.ground === 'SUBLET_LENT_OR_SWAPPED')).toBe(true);
    const first = ok(await t.gql(`{ exitCases(first: 2) { pageInfo { hasNextPage endCursor } nodes { id } } }`), 'exitCases');
    expect(first.pageInfo.hasNextPage).toBe(true);
    const next = ok(
      await t.gql(`query($after: String) { exitCases(first: 2, after: $after) { nodes { id } } }`, { after: first.pageInfo.endCursor }),
      'exitCases',
    );
    expect(Number(next.nodes[0].id)).toBeLessThan(Number(first.nodes[1].id));
  });
});

describe('the day to leave by', () => {
  it('is past the day after vacateBy, not on it (today 2026-11-23)', async () => {
    const [a, b] = [await housed(t), await housed(t)];
    const late = await openCase(a, { openedOn: '2026-10-01' });
    const due = await openCase(b, { openedOn: '2026-10-01' });
    const served = async (caseId: string, servedOn: string) =>
      ok(await mutate(t, 'serveExitNotice', { caseId, servedOn }, 'vacateBy pastVacateBy'), 'serveExitNotice');
    expect(await served(late.id, '2026-10-22')).toEqual({ vacateBy: '2026-11-21', pastVacateBy: true });
    expect(await served(due.id, '2026-10-24')).toEqual({ vacateBy: '2026-11-23', pastVacateBy: false });
    const past = ok(await t.gql(`{ exitCases(filter: { pastVacateBy: true }, first: 100) { nodes { id pastVacateBy } } }`), 'exitCases').nodes;
    expect(past.map((c: { id: string }) => c.id)).toContain(late.id);
    expect(past.map((c: { id: string }) => c.id)).not.toContain(due.id);
    expect(past.every((c: { pastVacateBy: boolean }) => c.pastVacateBy)).toBe(true);
    const notPast = ok(await t.gql(`{ exitCases(filter: { pastVacateBy: false }, first: 100) { nodes { id } } }`), 'exitCases').nodes;
    expect(notPast.map((c: { id: string }) => c.id)).toContain(due.id);
    for (const c of [late, due]) ok(await mutate(t, 'withdrawExitCase', { caseId: c.id, on: '2026-11-23', reason: 'test over' }), 'withdrawExitCase');
  });

  it('follows the policy of the household’s district (a Guiyang district, its own EXIT.VACATE_DAYS)', async () => {
    await t.database.db.execute(sql`update districts set policy_id = 'GY' where id = 'KC-EYY'`);
    ok(
      await t.gql(`mutation { setPolicyParameter(input: { policyId: "GY", code: "EXIT.VACATE_DAYS", value: 60, effectiveFrom: "2026-01-01" }) { code } }`),
      'setPolicyParameter',
    );
    const gy = await housed(t, [], 'KC-EYY');
    const c = await openCase(gy, {}, CALLERS['MANAGER']);
    const served = ok(await mutate(t, 'serveExitNotice', { caseId: c.id, servedOn: '2026-11-03' }, 'vacateBy'), 'serveExitNotice');
    expect(served.vacateBy).toBe('2027-01-02');
    const kc = await housed(t);
    const k = await openCase(kc);
    expect(ok(await mutate(t, 'serveExitNotice', { caseId: k.id, servedOn: '2026-11-03' }, 'vacateBy'), 'serveExitNotice').vacateBy).toBe('2026-12-03');
  });
});

describe('role matrix', () => {
  let own: Housed;
  let caseId: string;
  let alertId: string;
  beforeAll(async () => {
    own = await housed(t, SIX_MONTHS);
    alertId = await arrearsAlert(own);
    caseId = (await openCase(own, { alertId })).id;
  });

  // allowed: not FORBIDDEN (the inputs are in the caseworker's district, and deliberately invalid, so nothing is written)
  const OPERATIONS: { name: string; run: (role: RoleName) => ReturnType<typeof mutate>; allowed: RoleName[] }[] = [
    {
      name: 'openExitCase',
      run: (r) => mutate(t, 'openExitCase', { householdId: own.id, ground: 'RENT_ARREARS', summary: '' }, 'id', CALLERS[r]),
      allowed: ['ADMIN', 'MANAGER', 'CASEWORKER'],
    },
    {
      name: 'serveExitNotice',
      run: (r) => mutate(t, 'serveExitNotice', { caseId, servedOn: '2030-01-01' }, 'id', CALLERS[r]),
      allowed: ['ADMIN', 'MANAGER', 'CASEWORKER'],
    },
    {
      name: 'recordExitAppeal',
      run: (r) => mutate(t, 'recordExitAppeal', { caseId, lodgedOn: '2026-11-05', note: '' }, 'id', CALLERS[r]),
      allowed: ['ADMIN', 'MANAGER', 'CASEWORKER'],
    },
    {
      name: 'decideExitAppeal',
      run: (r) => mutate(t, 'decideExitAppeal', { caseId, upheld: true, on: '2026-11-05', note: '' }, 'id', CALLERS[r]),
      allowed: ['ADMIN', 'MANAGER', 'CASEWORKER'],
    },
    {
      name: 'withdrawExitCase',
      run: (r) => mutate(t, 'withdrawExitCase', { caseId, on: '2026-11-05', reason: '' }, 'id', CALLERS[r]),
      allowed: ['ADMIN', 'MANAGER', 'CASEWORKER'],
    },
    {
      name: 'completeExit',
      run: (r) => mutate(t, 'completeExit', { caseId, on: '2030-01-01', inspectionId: '1' }, 'id', CALLERS[r]),
      allowed: ['ADMIN', 'MANAGER', 'CASEWORKER'],
    },
    { name: 'assignAlert', run: (r) => mutate(t, 'assignAlert', { alertId, assignee: '' }, 'id', CALLERS[r]), allowed: ['ADMIN', 'MANAGER', 'CASEWORKER'] },
    {
      name: 'exitCase',
      run: (r) => t.as(CALLERS[r]!).gql(`query($id: ID!) { exitCase(id: $id) { id } }`, { id: caseId }),
      allowed: ['ADMIN', 'MANAGER', 'CASEWORKER'],
    },
    { name: 'exitCases', run: (r) => t.as(CALLERS[r]!).gql(`{ exitCases { totalCount } }`), allowed: ['ADMIN', 'MANAGER', 'CASEWORKER'] },
    {
      name: 'Alert.exitCase',
      run: (r) => t.as(CALLERS[r]!).gql(`query($id: ID!) { alerts(filter: { householdId: $id }) { nodes { exitCase { id } } } }`, { id: own.id }),
      allowed: ['ADMIN', 'MANAGER', 'CASEWORKER'],
    },
  ];

  it.each(OPERATIONS.flatMap((op) => Object.keys(CALLERS).map((role) => [op.name, role, op] as const)))('%s as %s', async (_, role, op) => {
    const before = await snapshot(t);
    const res = await op.run(role as RoleName);
    expect(codes(res).includes('FORBIDDEN'), JSON.stringify(res.body)).toBe(!op.allowed.includes(role as RoleName));
    expect(await snapshot(t)).toBe(before);
  });
});

describe('what is recorded', () => {
  it('audits each step with who did it', async () => {
    const rows = (await t.database.db.execute(
      sql`select actor, action from audit_log where action in ('openExitCase', 'completeExit') order by id`,
    )) as unknown as { rows: { actor: string; action: string }[] };
    expect(rows.rows).toContainEqual({ actor: 'caseworker@kcz', action: 'completeExit' });
  });
});

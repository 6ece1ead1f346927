// Issue #12 item 10: inspection visits (KC-35(2)) and reports from the public (KC-37).
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../src/auth/tables.js';
import { households, housingUnits, persons, rentLedger, tenancies } from '../src/db/schema.js';
import { startTestHub, type TestHub } from './helpers/hub.js';
import { buildHousehold, memberIds } from './helpers/scenario.js';
import { CALLERS, CASEWORKER, codes, housed, mutate, ok, refused, snapshot, STAFF, type Housed, type RoleName } from './helpers/exit.js';

let t: TestHub;
beforeAll(async () => {
  t = await startTestHub();
});
afterAll(async () => {
  await t?.close();
});

const VISIT =
  'id districtId purpose visitedOn staff outcome findings documents { ref description } household { id } memberPresent { birthDate } exitCase { id } report { id status }';

/** a household with a child born 2008-11-20 (18 on 2026-11-20), moved into a new unit of KC-KCZ */
async function familyWithTeenager(): Promise<Housed> {
  const id = await buildHousehold(t, { members: [{ birthDate: '1980-03-10' }, { birthDate: '2008-11-20', relation: 'CHILD' }] });
  const db = t.database.db;
  const [unit] = await db
    .insert(housingUnits)
    .values({ districtId: 'KC-KCZ', address: `teen unit ${id}`, floorArea: 50, status: 'OCCUPIED' })
    .returning();
  const [tenancy] = await db
    .insert(tenancies)
    .values({ unitId: unit!.id, householdId: Number(id), startDate: '2026-01-01', rentStandard: 'STANDARD', monthlyRent: 300 })
    .returning();
  await db.insert(rentLedger).values({ tenancyId: tenancy!.id, month: '2026-01-01', amountDue: 300, amountPaid: 300 });
  await db
    .update(households)
    .set({ status: 'HOUSED' })
    .where(eq(households.id, Number(id)));
  return { id, unitId: unit!.id, members: await memberIds(t, id) };
}

const visit = (h: Housed, extra: Record<string, unknown> = {}) => ({
  unitId: h.unitId,
  purpose: 'ROUTINE',
  visitedOn: '2026-11-10',
  staff: STAFF,
  memberPresent: h.members[0],
  outcome: 'NO_ISSUES',
  findings: 'family at home, unit in order',
  ...extra,
});

describe('inspection visits (KC-35(2))', () => {
  let h: Housed;
  beforeAll(async () => {
    h = await familyWithTeenager();
  });

  it('records a visit with its staff, the adult present, findings and documents', async () => {
    const v = ok(
      await mutate(t, 'recordInspection', visit(h, { documents: [{ ref: 'photo/2026/11/10-001.jpg', description: 'kitchen' }] }), VISIT, CASEWORKER),
      'recordInspection',
    );
    expect(v).toMatchObject({
      districtId: 'KC-KCZ',
      purpose: 'ROUTINE',
      staff: STAFF,
      outcome: 'NO_ISSUES',
      documents: [{ ref: 'photo/2026/11/10-001.jpg', description: 'kitchen' }],
      household: { id: h.id },
      memberPresent: { birthDate: '1980-03-10' },
    });
    const read = ok(
      await t.as(CASEWORKER).gql(`query($id: ID!) { household(id: $id) { inspections { id } unit { inspections { id recordedBy } } } }`, { id: h.id }),
      'household',
    );
    expect(read.inspections).toEqual([{ id: v.id }]);
    expect(read.unit.inspections).toEqual([{ id: v.id, recordedBy: 'caseworker@kcz' }]);
  });

  it('takes at least 2 different staff: 1 is refused, 2 pass', async () => {
    const before = await snapshot(t);
    expect(refused(await mutate(t, 'recordInspection', visit(h, { staff: ['张伟'] }), 'id', CASEWORKER), 'BAD_USER_INPUT', 'input.staff').message).toContain(
      'at least 2',
    );
    expect(refused(await mutate(t, 'recordInspection', visit(h, { staff: ['张伟', '张伟'] })), 'BAD_USER_INPUT', 'input.staff').message).toContain('1 named');
    expect(await snapshot(t)).toBe(before);
    expect(ok(await mutate(t, 'recordInspection', visit(h, { staff: ['张伟', '王芳'] }), 'staff'), 'recordInspection').staff).toEqual(['张伟', '王芳']);
  });

  it('takes an adult member: 17 on the day is refused, 18 passes', async () => {
    const teen = h.members[1]!;
    const before = await snapshot(t);
    const error = refused(
      await mutate(t, 'recordInspection', visit(h, { memberPresent: teen, visitedOn: '2026-11-19' })),
      'BAD_USER_INPUT',
      'input.memberPresent',
    );
    expect(error.message).toContain('was 17 on 2026-11-19');
    expect(error.message).not.toContain(teen.slice(6, 14));
    expect(await snapshot(t)).toBe(before);
    const v = ok(await mutate(t, 'recordInspection', visit(h, { memberPresent: teen, visitedOn: '2026-11-20' }), VISIT), 'recordInspection');
    expect(v.memberPresent).toEqual({ birthDate: '2008-11-20' });
  });

  it('takes a current member of the household living in the unit', async () => {
    const stranger = await familyWithTeenager();
    refused(await mutate(t, 'recordInspection', visit(h, { memberPresent: stranger.members[0] })), 'BAD_USER_INPUT', 'input.memberPresent');
    refused(await mutate(t, 'recordInspection', visit(h, { memberPresent: null })), 'BAD_USER_INPUT', 'input.memberPresent');
    // the head moved out on 2026-11-01: present at a visit before, no longer a member after
    await t.database.db.update(persons).set({ leftOn: '2026-11-01', leftReason: 'MOVED_OUT' }).where(eq(persons.residentId, stranger.members[0]!));
    refused(await mutate(t, 'recordInspection', visit(stranger, { visitedOn: '2026-11-01' })), 'BAD_USER_INPUT', 'input.memberPresent');
    ok(await mutate(t, 'recordInspection', visit(stranger, { visitedOn: '2026-10-31' })), 'recordInspection');
  });

  it('goes without a member at an exit visit, and at a visit of a unit nobody lives in', async () => {
    const exitVisit = ok(await mutate(t, 'recordInspection', visit(h, { purpose: 'EXIT', memberPresent: null }), VISIT), 'recordInspection');
    expect(exitVisit).toMatchObject({ memberPresent: null, household: { id: h.id } });
    const [empty] = await t.database.db.insert(housingUnits).values({ districtId: 'KC-KCZ', address: 'empty unit 1', floorArea: 40 }).returning();
    const v = ok(await mutate(t, 'recordInspection', { ...visit(h, { memberPresent: null }), unitId: empty!.id }, VISIT), 'recordInspection');
    expect(v).toMatchObject({ household: null, memberPresent: null });
    refused(await mutate(t, 'recordInspection', { ...visit(h), unitId: empty!.id }), 'BAD_USER_INPUT', 'input.memberPresent');
  });

  it('links only a running exit case of the unit', async () => {
    const other = await housed(t);
    const c = ok(await mutate(t, 'openExitCase', { householdId: other.id, ground: 'OTHER_LEGAL_GROUNDS', summary: 's' }), 'openExitCase');
    refused(await mutate(t, 'recordInspection', visit(h, { exitCaseId: c.id })), 'BAD_USER_INPUT', 'input.exitCaseId');
    const v = ok(await mutate(t, 'recordInspection', visit(other, { exitCaseId: c.id }), VISIT), 'recordInspection');
    expect(v.exitCase).toEqual({ id: c.id });
  });
});

describe('reports from the public (KC-37)', () => {
  const receive = (extra: Record<string, unknown> = {}, caller = CASEWORKER) =>
    mutate(
      t,
      'receivePublicReport',
      { districtId: 'KC-KCZ', channel: 'PHONE', receivedOn: '2026-11-20', allegation: 'the flat is let to strangers', ...extra },
      'id status receivedOn investigateBy answerBy overdue reporterContact household { id } unit { id }',
      caller,
    );

  it('sets the deadlines in working days of the district policy (received on a Friday)', async () => {
    const r = ok(await receive(), 'receivePublicReport');
    expect(r).toMatchObject({ status: 'RECEIVED', investigateBy: '2026-12-11', answerBy: '2026-12-18', overdue: false });
  });

  it('is overdue past answerBy (boundary: due today is not overdue)', async () => {
    const dueToday = ok(await receive({ receivedOn: '2026-10-26' }), 'receivePublicReport');
    const dueFriday = ok(await receive({ receivedOn: '2026-10-23' }), 'receivePublicReport');
    expect([dueToday.answerBy, dueFriday.answerBy]).toEqual(['2026-11-23', '2026-11-20']);
    for (const r of [dueToday, dueFriday]) ok(await mutate(t, 'startReportInvestigation', { reportId: r.id }), 'startReportInvestigation');
    const read = async (id: string) => ok(await t.gql(`query($id: ID!) { publicReport(id: $id) { status overdue } }`, { id }), 'publicReport');
    expect(await read(dueToday.id)).toEqual({ status: 'INVESTIGATING', overdue: false });
    expect(await read(dueFriday.id)).toEqual({ status: 'INVESTIGATING', overdue: true });
  });

  it('is overdue when not under investigation past investigateBy (boundary)', async () => {
    const dueToday = ok(await receive({ receivedOn: '2026-11-02' }), 'receivePublicReport');
    const dueFriday = ok(await receive({ receivedOn: '2026-10-30' }), 'receivePublicReport');
    expect([dueToday.investigateBy, dueToday.overdue]).toEqual(['2026-11-23', false]);
    expect([dueFriday.investigateBy, dueFriday.overdue]).toEqual(['2026-11-20', true]);
    const overdue = ok(await t.gql(`{ publicReports(filter: { overdue: true }, first: 100) { totalCount nodes { id overdue } } }`), 'publicReports');
    expect(overdue.nodes.map((n: { id: string }) => n.id)).toContain(dueFriday.id);
    expect(overdue.nodes.map((n: { id: string }) => n.id)).not.toContain(dueToday.id);
    expect(overdue.nodes.every((n: { overdue: boolean }) => n.overdue)).toBe(true);
    const onTime = ok(await t.gql(`{ publicReports(filter: { overdue: false }, first: 100) { totalCount nodes { id overdue } } }`), 'publicReports');
    expect(onTime.nodes.map((n: { id: string }) => n.id)).toContain(dueToday.id);
    expect(onTime.nodes.every((n: { overdue: boolean }) => !n.overdue)).toBe(true);
    const all = ok(await t.gql(`{ publicReports(first: 100) { totalCount } }`), 'publicReports');
    expect(overdue.totalCount + onTime.totalCount).toBe(all.totalCount);
  });

  it('shows the reporter’s contact to MANAGER and ADMIN only, and keeps it out of the audit log', async () => {
    const r = ok(await receive({ reporterContact: '13900001111', channel: 'ONLINE' }), 'receivePublicReport');
    expect(r.reporterContact).toBeNull();
    const read = async (role: RoleName) =>
      ok(await t.as(CALLERS[role]!).gql(`query($id: ID!) { publicReport(id: $id) { reporterContact } }`, { id: r.id }), 'publicReport').reporterContact;
    expect(await read('ADMIN')).toBe('13900001111');
    expect(await read('MANAGER')).toBe('13900001111');
    expect(await read('CASEWORKER')).toBeNull();
    const logged = JSON.stringify(await t.database.db.select().from(auditLog).where(eq(auditLog.action, 'receivePublicReport')));
    expect(logged).toContain('[withheld]');
    expect(logged).not.toContain('13900001111');
  });

  it('is investigated, then answered; a confirmed report opens an exit case', async () => {
    const h = await housed(t);
    const r = ok(await receive({ householdId: h.id, unitId: h.unitId, receivedOn: '2026-11-09' }), 'receivePublicReport');
    const answer = {
      reportId: r.id,
      finding: 'CONFIRMED',
      answer: 'confirmed at a visit; an exit case is opened',
      answeredOn: '2026-11-20',
      openExitCase: { ground: 'SUBLET_LENT_OR_SWAPPED', summary: 'let to strangers' },
    };
    expect(refused(await mutate(t, 'answerPublicReport', answer), 'BAD_USER_INPUT', 'input.reportId').message).toContain('start the investigation first');
    const v = ok(
      await mutate(
        t,
        'recordInspection',
        visit(h, { purpose: 'COMPLAINT', visitedOn: '2026-11-12', reportId: r.id, outcome: 'ISSUES_FOUND', findings: 'strangers live there' }),
        VISIT,
        CASEWORKER,
      ),
      'recordInspection',
    );
    expect(v.report).toEqual({ id: r.id, status: 'INVESTIGATING' });
    refused(await mutate(t, 'startReportInvestigation', { reportId: r.id }), 'BAD_USER_INPUT', 'input.reportId');
    refused(await mutate(t, 'answerPublicReport', { ...answer, answeredOn: '2026-11-08' }), 'BAD_USER_INPUT', 'input.answeredOn');
    const done = ok(
      await mutate(
        t,
        'answerPublicReport',
        answer,
        'status finding answer answeredOn overdue inspections { id } exitCase { id status ground summary household { id } }',
        CASEWORKER,
      ),
      'answerPublicReport',
    );
    expect(done).toMatchObject({ status: 'ANSWERED', finding: 'CONFIRMED', answeredOn: '2026-11-20', overdue: false, inspections: [{ id: v.id }] });
    expect(done.exitCase).toMatchObject({ status: 'OPEN', ground: 'SUBLET_LENT_OR_SWAPPED', household: { id: h.id } });
    expect(done.exitCase.summary).toContain(`report ${r.id}`);
    refused(await mutate(t, 'answerPublicReport', answer), 'BAD_USER_INPUT', 'input.reportId');
    refused(await mutate(t, 'recordInspection', visit(h, { reportId: r.id })), 'BAD_USER_INPUT', 'input.reportId');
  });

  it('opens no case for a report that is not confirmed or names no household', async () => {
    const anonymous = ok(await receive(), 'receivePublicReport');
    ok(await mutate(t, 'startReportInvestigation', { reportId: anonymous.id }), 'startReportInvestigation');
    const before = await snapshot(t);
    const base = { reportId: anonymous.id, answer: 'a', answeredOn: '2026-11-21', openExitCase: { ground: 'OTHER_LEGAL_GROUNDS', summary: 's' } };
    refused(await mutate(t, 'answerPublicReport', { ...base, finding: 'NOT_CONFIRMED' }), 'BAD_USER_INPUT', 'input.openExitCase');
    refused(await mutate(t, 'answerPublicReport', { ...base, finding: 'CONFIRMED' }), 'BAD_USER_INPUT', 'input.openExitCase');
    expect(await snapshot(t)).toBe(before);
    const answered = ok(
      await mutate(t, 'answerPublicReport', { ...base, finding: 'NOT_CONFIRMED', openExitCase: null }, 'status finding exitCase { id }'),
      'answerPublicReport',
    );
    expect(answered).toEqual({ status: 'ANSWERED', finding: 'NOT_CONFIRMED', exitCase: null });
  });
});

describe('bad input: BAD_USER_INPUT naming the field, nothing written', () => {
  let h: Housed;
  let reportId: string;
  beforeAll(async () => {
    h = await housed(t);
    reportId = ok(
      await mutate(t, 'receivePublicReport', { districtId: 'KC-KCZ', channel: 'LETTER', receivedOn: '2026-11-20', allegation: 'a' }),
      'receivePublicReport',
    ).id;
  });
  const cases: [string, () => Record<string, unknown>, string][] = [
    ['recordInspection', () => visit(h, { unitId: 999999 }), 'input.unitId'],
    ['recordInspection', () => visit(h, { visitedOn: '2026-11-24' }), 'input.visitedOn'],
    ['recordInspection', () => visit(h, { findings: ' ' }), 'input.findings'],
    ['recordInspection', () => visit(h, { documents: [{ ref: 'x', description: '' }] }), 'input.documents[0].description'],
    ['recordInspection', () => visit(h, { staff: ['a', ''] }), 'input.staff[1]'],
    ['recordInspection', () => visit(h, { reportId: '999999' }), 'input.reportId'],
    ['receivePublicReport', () => ({ districtId: 'KC-KCZ', channel: 'PHONE', receivedOn: '2026-11-20', allegation: '' }), 'input.allegation'],
    ['receivePublicReport', () => ({ districtId: 'KC-KCZ', channel: 'PHONE', receivedOn: '2026-11-24', allegation: 'a' }), 'input.receivedOn'],
    ['receivePublicReport', () => ({ districtId: 'NOWHERE', channel: 'PHONE', receivedOn: '2026-11-20', allegation: 'a' }), 'input.districtId'],
    [
      'receivePublicReport',
      () => ({ districtId: 'KC-KCZ', householdId: '999999', channel: 'PHONE', receivedOn: '2026-11-20', allegation: 'a' }),
      'input.householdId',
    ],
    ['receivePublicReport', () => ({ districtId: 'KC-LXM', unitId: h.unitId, channel: 'PHONE', receivedOn: '2026-11-20', allegation: 'a' }), 'input.unitId'],
    ['startReportInvestigation', () => ({ reportId: 'abc' }), 'input.reportId'],
    ['answerPublicReport', () => ({ reportId, finding: 'CONFIRMED', answer: '', answeredOn: '2026-11-21' }), 'input.answer'],
    ['answerPublicReport', () => ({ reportId, finding: 'CONFIRMED', answer: 'a', answeredOn: '2026-11-21' }), 'input.reportId'],
  ];
  it.each(cases)('%s refuses %#', async (name, input, field) => {
    const before = await snapshot(t);
    refused(await mutate(t, name, input()), 'BAD_USER_INPUT', field);
    expect(await snapshot(t)).toBe(before);
  });
});

describe('district scope: a caseworker of KC-KCZ and KC-LXM records', () => {
  let other: Housed;
  let reportId: string;
  let inspectionId: string;
  beforeAll(async () => {
    other = await housed(t, [], 'KC-LXM');
    reportId = ok(
      await mutate(t, 'receivePublicReport', {
        districtId: 'KC-LXM',
        householdId: other.id,
        channel: 'PHONE',
        receivedOn: '2026-11-20',
        allegation: 'a',
        reporterContact: 'x',
      }),
      'receivePublicReport',
    ).id;
    inspectionId = ok(await mutate(t, 'recordInspection', visit(other, { reportId })), 'recordInspection').id;
  });

  it('is FORBIDDEN to record or work the other district’s visits and reports, and nothing is written', async () => {
    const before = await snapshot(t);
    for (const [name, input] of [
      ['recordInspection', visit(other)],
      ['receivePublicReport', { districtId: 'KC-LXM', channel: 'PHONE', receivedOn: '2026-11-20', allegation: 'a' }],
      ['startReportInvestigation', { reportId }],
      ['answerPublicReport', { reportId, finding: 'NOT_CONFIRMED', answer: 'a', answeredOn: '2026-11-21' }],
    ] as const) {
      refused(await mutate(t, name, input, 'id', CASEWORKER), 'FORBIDDEN');
    }
    expect(await snapshot(t)).toBe(before);
  });

  it('does not show them', async () => {
    const as = t.as(CASEWORKER);
    refused(await as.gql(`query($id: ID!) { inspection(id: $id) { id } }`, { id: inspectionId }), 'FORBIDDEN');
    refused(await as.gql(`query($id: ID!) { publicReport(id: $id) { id } }`, { id: reportId }), 'FORBIDDEN');
    refused(await as.gql(`{ publicReports(filter: { districtId: "KC-LXM" }) { totalCount } }`), 'FORBIDDEN');
    const mine = ok(await as.gql(`{ publicReports(first: 100) { totalCount nodes { districtId } } }`), 'publicReports');
    expect(mine.nodes.length).toBeGreaterThan(0);
    expect(mine.nodes.every((r: { districtId: string }) => r.districtId === 'KC-KCZ')).toBe(true);
    expect(mine.totalCount).toBe(mine.nodes.length);
  });
});

describe('role matrix', () => {
  let own: Housed;
  let reportId: string;
  let inspectionId: string;
  beforeAll(async () => {
    own = await housed(t);
    reportId = ok(
      await mutate(t, 'receivePublicReport', { districtId: 'KC-KCZ', channel: 'PHONE', receivedOn: '2026-11-20', allegation: 'a' }),
      'receivePublicReport',
    ).id;
    // under investigation already: starting it again is refused as bad input, not written
    ok(await mutate(t, 'startReportInvestigation', { reportId }), 'startReportInvestigation');
    inspectionId = ok(await mutate(t, 'recordInspection', visit(own)), 'recordInspection').id;
  });
  // allowed: not FORBIDDEN (inputs in the caseworker's district, deliberately invalid, so nothing is written)
  const OPERATIONS: { name: string; run: (role: RoleName) => ReturnType<typeof mutate>; allowed: RoleName[] }[] = [
    {
      name: 'recordInspection',
      run: (r) => mutate(t, 'recordInspection', visit(own, { staff: [] }), 'id', CALLERS[r]),
      allowed: ['ADMIN', 'MANAGER', 'CASEWORKER'],
    },
    {
      name: 'receivePublicReport',
      run: (r) => mutate(t, 'receivePublicReport', { districtId: 'KC-KCZ', channel: 'PHONE', receivedOn: '2026-11-20', allegation: '' }, 'id', CALLERS[r]),
      allowed: ['ADMIN', 'MANAGER', 'CASEWORKER'],
    },
    {
      name: 'startReportInvestigation',
      run: (r) => mutate(t, 'startReportInvestigation', { reportId }, 'id', CALLERS[r]),
      allowed: ['ADMIN', 'MANAGER', 'CASEWORKER'],
    },
    {
      name: 'answerPublicReport',
      run: (r) => mutate(t, 'answerPublicReport', { reportId, finding: 'CONFIRMED', answer: 'a', answeredOn: '2030-01-01' }, 'id', CALLERS[r]),
      allowed: ['ADMIN', 'MANAGER', 'CASEWORKER'],
    },
    {
      name: 'inspection',
      run: (r) => t.as(CALLERS[r]!).gql(`query($id: ID!) { inspection(id: $id) { id } }`, { id: inspectionId }),
      allowed: ['ADMIN', 'MANAGER', 'CASEWORKER'],
    },
    {
      name: 'publicReport',
      run: (r) => t.as(CALLERS[r]!).gql(`query($id: ID!) { publicReport(id: $id) { id } }`, { id: reportId }),
      allowed: ['ADMIN', 'MANAGER', 'CASEWORKER'],
    },
    { name: 'publicReports', run: (r) => t.as(CALLERS[r]!).gql(`{ publicReports { totalCount } }`), allowed: ['ADMIN', 'MANAGER', 'CASEWORKER'] },
  ];
  it.each(OPERATIONS.flatMap((op) => Object.keys(CALLERS).map((role) => [op.name, role, op] as const)))('%s as %s', async (_, role, op) => {
    const before = await snapshot(t);
    const res = await op.run(role as RoleName);
    expect(codes(res).includes('FORBIDDEN'), JSON.stringify(res.body)).toBe(!op.allowed.includes(role as RoleName));
    expect(await snapshot(t)).toBe(before);
  });
});

describe('numbers come from the district’s policy', () => {
  it('a visit from the day INSPECTION.STAFF_MIN becomes 3 takes 3 staff', async () => {
    const h = await housed(t);
    ok(
      await t.gql(`mutation { setPolicyParameter(input: { policyId: "KC", code: "INSPECTION.STAFF_MIN", value: 3, effectiveFrom: "2026-11-15" }) { code } }`),
      'setPolicyParameter',
    );
    ok(await mutate(t, 'recordInspection', visit(h, { visitedOn: '2026-11-14' })), 'recordInspection');
    refused(await mutate(t, 'recordInspection', visit(h, { visitedOn: '2026-11-15' })), 'BAD_USER_INPUT', 'input.staff');
    ok(await mutate(t, 'recordInspection', visit(h, { visitedOn: '2026-11-15', staff: [...STAFF, '王芳'] })), 'recordInspection');
    const count = (await t.database.db.execute(sql`select count(*)::int as n from inspections where unit_id = ${h.unitId}`)) as unknown as {
      rows: { n: number }[];
    };
    expect(count.rows[0]!.n).toBe(2);
  });
});

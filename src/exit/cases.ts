// KC-19 exit cases: opened on a ground (often from an alert), a notice served with a day to leave by,
// an appeal, then withdrawn or completed. KC-20: completing needs the unit's exit inspection; it ends
// the tenancy, frees the unit and leaves the rent still owed on the ledger (KC-36).
import { and, eq, inArray, isNull, lt, max, not, type SQL } from 'drizzle-orm';
import { addDays } from 'date-fns';
import { z } from 'zod';
import { withinScope, type DistrictScope } from '../auth/scope.js';
import type { Connection } from '../db/batch.js';
import { keysetPage } from '../db/pages.js';
import type { Db } from '../db/client.js';
import { households, housingUnits, rentLedger, tenancies } from '../db/schema.js';
import { alertEvents, alerts } from '../detection/tables.js';
import { fromIsoDate, toIsoDate } from '../domain/working-days.js';
import { badUserInput, conflict, parseInput } from '../errors.js';
import { summarizeArrears } from '../households/arrears.js';
import { districtParameter, id, isoDate, note, pastDate, text } from './common.js';
import { exitCaseEvents, exitCases, exitCaseStatus, exitGround, inspections } from './tables.js';

export type ExitCaseRow = typeof exitCases.$inferSelect;
export type ExitCaseStatus = (typeof exitCaseStatus.enumValues)[number];
export type ExitGround = (typeof exitGround.enumValues)[number];

/** a case in one of these is still running: a household has at most one */
export const RUNNING: readonly ExitCaseStatus[] = ['OPEN', 'NOTICE_SERVED', 'APPEALED'];

export interface OpenCase {
  householdId: number;
  ground: ExitGround;
  summary: string;
  alertId?: number | null;
  inspectionId?: number | null;
  openedOn: string;
}

/** Where each part of an OpenCase came from in the caller's input, for error fields. */
export interface OpenCaseFields {
  householdId: string;
  alertId: string;
  inspectionId: string;
  openedOn: string;
}

const OWN_FIELDS: OpenCaseFields = {
  householdId: 'input.householdId',
  alertId: 'input.alertId',
  inspectionId: 'input.inspectionId',
  openedOn: 'input.openedOn',
};

const openSchema = (today: string) =>
  z.object({
    householdId: id('a household'),
    ground: z.enum(exitGround.enumValues),
    summary: text(4000),
    alertId: id('an alert').nullish(),
    inspectionId: id('an inspection').nullish(),
    openedOn: pastDate(today).nullish(),
  });

export async function openExitCase(db: Db, raw: unknown, today: string, by: string): Promise<ExitCaseRow> {
  const input = parseInput(openSchema(today), raw);
  return db.transaction((tx) => openCase(tx, { ...input, openedOn: input.openedOn ?? today }, by, OWN_FIELDS));
}

/** Opens a case inside the caller's transaction (also used when a report from the public is confirmed). */
export async function openCase(tx: Db, input: OpenCase, by: string, fields: OpenCaseFields): Promise<ExitCaseRow> {
  // the household row is the lock that keeps two cases from opening at once
  const [household] = await tx.select().from(households).where(eq(households.id, input.householdId)).for('update');
  if (!household) throw badUserInput(fields.householdId, 'no household with this id');
  const running = await runningTenancy(tx, household.id);
  if (!running) throw badUserInput(fields.householdId, 'the household has no running tenancy: only a housed household can be made to leave');
  if (input.openedOn < running.startDate) throw badUserInput(fields.openedOn, `must not be before the tenancy began (${running.startDate})`);
  const [open] = await tx
    .select({ id: exitCases.id, status: exitCases.status })
    .from(exitCases)
    .where(and(eq(exitCases.householdId, household.id), inArray(exitCases.status, [...RUNNING])));
  if (open) throw conflict(fields.householdId, `exit case ${open.id} is already ${open.status} for this household`);

  const alert = input.alertId ? await alertForCase(tx, input.alertId, household.id, fields.alertId) : null;
  if (input.inspectionId) {
    const [inspection] = await tx.select().from(inspections).where(eq(inspections.id, input.inspectionId)).for('update');
    if (!inspection) throw badUserInput(fields.inspectionId, 'no inspection with this id');
    if (inspection.householdId !== household.id) throw badUserInput(fields.inspectionId, 'the inspection was not of this household');
    if (inspection.exitCaseId !== null) throw conflict(fields.inspectionId, `the inspection already belongs to exit case ${inspection.exitCaseId}`);
  }

  const [created] = await tx
    .insert(exitCases)
    .values({
      householdId: household.id,
      districtId: household.districtId,
      tenancyId: running.id,
      ground: input.ground,
      alertId: alert?.id ?? null,
      openedOn: input.openedOn,
      openedBy: by,
      summary: input.summary,
    })
    .returning();
  const exitCase = created!;
  await tx.insert(exitCaseEvents).values({ caseId: exitCase.id, action: 'OPENED', status: 'OPEN', on: input.openedOn, note: input.summary, by });
  if (alert) {
    await tx.update(alerts).set({ exitCaseId: exitCase.id, status: 'ACKNOWLEDGED' }).where(eq(alerts.id, alert.id));
    await tx.insert(alertEvents).values({ alertId: alert.id, status: 'ACKNOWLEDGED', by, note: `exit case ${exitCase.id} opened (KC-19, ${input.ground})` });
  }
  if (input.inspectionId) await tx.update(inspections).set({ exitCaseId: exitCase.id }).where(eq(inspections.id, input.inspectionId));
  return exitCase;
}

async function runningTenancy(tx: Db, householdId: number) {
  const [running] = await tx
    .select()
    .from(tenancies)
    .where(and(eq(tenancies.householdId, householdId), isNull(tenancies.endDate)));
  return running ?? null;
}

async function alertForCase(tx: Db, alertId: number, householdId: number, field: string) {
  const [alert] = await tx.select().from(alerts).where(eq(alerts.id, alertId)).for('update');
  if (!alert) throw badUserInput(field, 'no alert with this id');
  if (alert.householdId !== householdId) throw badUserInput(field, 'the alert is about another household');
  if (alert.exitCaseId !== null) throw conflict(field, `the alert already led to exit case ${alert.exitCaseId}`);
  if (alert.status !== 'OPEN' && alert.status !== 'ACKNOWLEDGED')
    throw badUserInput(field, `the alert is ${alert.status}: reopen the matter with a new case without it`);
  return alert;
}

// ---- the steps ----------------------------------------------------------------------------------

const STEP_FROM: Record<string, readonly ExitCaseStatus[]> = {
  serve: ['OPEN'],
  appeal: ['NOTICE_SERVED'],
  decide: ['APPEALED'],
  withdraw: RUNNING,
  complete: ['NOTICE_SERVED'],
};

const STEP_NAME: Record<keyof typeof STEP_FROM, string> = {
  serve: 'a notice can be served',
  appeal: 'an appeal can be lodged',
  decide: 'an appeal can be decided',
  withdraw: 'the case can be withdrawn',
  complete: 'the exit can be completed',
};

/** The case, locked, in a state the step may start from; and the day of its last step. */
async function caseForStep(tx: Db, caseId: number, step: keyof typeof STEP_FROM, dateField: string, on: string) {
  const [found] = await tx.select().from(exitCases).where(eq(exitCases.id, caseId)).for('update');
  if (!found) throw badUserInput('input.caseId', 'no exit case with this id');
  const from = STEP_FROM[step]!;
  if (!from.includes(found.status)) {
    throw badUserInput('input.caseId', `exit case ${found.id} is ${found.status}: ${STEP_NAME[step]} only when it is ${from.join(' or ')}`);
  }
  const [last] = await tx
    .select({ on: max(exitCaseEvents.on) })
    .from(exitCaseEvents)
    .where(eq(exitCaseEvents.caseId, found.id));
  const lastOn = last?.on ?? found.openedOn;
  if (on < lastOn) throw badUserInput(dateField, `must not be before the case's last step (${lastOn})`);
  return found;
}

async function advance(
  tx: Db,
  before: ExitCaseRow,
  set: Partial<ExitCaseRow> & { status: ExitCaseStatus },
  event: { action: string; on: string; note: string | null; by: string },
) {
  const [updated] = await tx
    .update(exitCases)
    .set({ ...set, updatedAt: new Date() })
    .where(eq(exitCases.id, before.id))
    .returning();
  await tx.insert(exitCaseEvents).values({ caseId: before.id, status: set.status, ...event });
  return updated!;
}

const serveSchema = (today: string) =>
  z
    .object({ caseId: id('an exit case'), servedOn: pastDate(today), vacateBy: isoDate.nullish(), note })
    .refine((i) => !i.vacateBy || i.vacateBy >= i.servedOn, { path: ['vacateBy'], message: 'must not be before servedOn' });

/** The notice to leave; vacateBy defaults to servedOn + EXIT.VACATE_DAYS of the district's policy. */
export async function serveExitNotice(db: Db, raw: unknown, today: string, by: string) {
  const input = parseInput(serveSchema(today), raw);
  return db.transaction(async (tx) => {
    const found = await caseForStep(tx, input.caseId, 'serve', 'input.servedOn', input.servedOn);
    const days = await districtParameter(tx, found.districtId, 'EXIT.VACATE_DAYS', input.servedOn);
    const vacateBy = input.vacateBy ?? toIsoDate(addDays(fromIsoDate(input.servedOn), days));
    return advance(
      tx,
      found,
      { status: 'NOTICE_SERVED', noticeServedOn: input.servedOn, vacateBy },
      {
        action: 'NOTICE_SERVED',
        on: input.servedOn,
        note: input.note ?? `to leave by ${vacateBy}`,
        by,
      },
    );
  });
}

const appealSchema = (today: string) => z.object({ caseId: id('an exit case'), lodgedOn: pastDate(today), note: text(4000) });

/** The household contests the notice; the case waits for the decision. One appeal per case. */
export async function recordExitAppeal(db: Db, raw: unknown, today: string, by: string) {
  const input = parseInput(appealSchema(today), raw);
  return db.transaction(async (tx) => {
    const found = await caseForStep(tx, input.caseId, 'appeal', 'input.lodgedOn', input.lodgedOn);
    if (found.appealOutcome !== null) throw badUserInput('input.caseId', `the appeal against this notice was already decided (${found.appealOutcome})`);
    return advance(tx, found, { status: 'APPEALED', appealLodgedOn: input.lodgedOn }, { action: 'APPEAL_LODGED', on: input.lodgedOn, note: input.note, by });
  });
}

const decideSchema = (today: string) =>
  z
    .object({ caseId: id('an exit case'), upheld: z.boolean(), on: pastDate(today), note: text(4000), vacateBy: isoDate.nullish() })
    .refine((i) => !i.vacateBy || !i.upheld, { path: ['vacateBy'], message: 'only for an appeal not upheld: the case is withdrawn' })
    .refine((i) => !i.vacateBy || i.vacateBy >= i.on, { path: ['vacateBy'], message: 'must not be before the decision' });

/** Upheld: the household stays and the case is withdrawn. Not upheld: the notice stands (with a new day to leave by, if given). */
export async function decideExitAppeal(db: Db, raw: unknown, today: string, by: string) {
  const input = parseInput(decideSchema(today), raw);
  return db.transaction(async (tx) => {
    const found = await caseForStep(tx, input.caseId, 'decide', 'input.on', input.on);
    if (input.upheld) {
      return advance(
        tx,
        found,
        { status: 'WITHDRAWN', appealOutcome: 'UPHELD', closedOn: input.on },
        { action: 'APPEAL_UPHELD', on: input.on, note: input.note, by },
      );
    }
    return advance(
      tx,
      found,
      { status: 'NOTICE_SERVED', appealOutcome: 'DISMISSED', vacateBy: input.vacateBy ?? found.vacateBy },
      { action: 'APPEAL_DISMISSED', on: input.on, note: input.note, by },
    );
  });
}

const withdrawSchema = (today: string) => z.object({ caseId: id('an exit case'), on: pastDate(today), reason: text(4000) });

export async function withdrawExitCase(db: Db, raw: unknown, today: string, by: string) {
  const input = parseInput(withdrawSchema(today), raw);
  return db.transaction(async (tx) => {
    const found = await caseForStep(tx, input.caseId, 'withdraw', 'input.on', input.on);
    return advance(tx, found, { status: 'WITHDRAWN', closedOn: input.on }, { action: 'WITHDRAWN', on: input.on, note: input.reason, by });
  });
}

const completeSchema = (today: string) => z.object({ caseId: id('an exit case'), on: pastDate(today), inspectionId: id('an inspection'), note });

/**
 * KC-20: the unit inspected for exit (an EXIT inspection of the unit, for this case, on or before the
 * day), then the tenancy ends, the unit is free and the household EXITED. What the ledger still owes
 * is kept on the case and stays owed (KC-36): the ledger is not touched.
 */
export async function completeExit(db: Db, raw: unknown, today: string, by: string) {
  const input = parseInput(completeSchema(today), raw);
  return db.transaction(async (tx) => {
    const found = await caseForStep(tx, input.caseId, 'complete', 'input.on', input.on);
    const [tenancy] = found.tenancyId === null ? [] : await tx.select().from(tenancies).where(eq(tenancies.id, found.tenancyId)).for('update');
    if (!tenancy) throw badUserInput('input.caseId', 'the case has no tenancy to end');
    if (tenancy.endDate !== null) throw conflict('input.caseId', `the tenancy already ended on ${tenancy.endDate}`);
    const [inspection] = await tx.select().from(inspections).where(eq(inspections.id, input.inspectionId));
    if (!inspection) throw badUserInput('input.inspectionId', 'no inspection with this id');
    if (inspection.purpose !== 'EXIT')
      throw badUserInput('input.inspectionId', `a ${inspection.purpose} inspection: the unit must be inspected for exit (KC-20)`);
    if (inspection.unitId !== tenancy.unitId) throw badUserInput('input.inspectionId', 'the inspection was of another unit');
    if (inspection.exitCaseId !== found.id) throw badUserInput('input.inspectionId', 'the inspection was not made for this exit case');
    if (inspection.visitedOn > input.on) throw badUserInput('input.inspectionId', `the unit was inspected on ${inspection.visitedOn}, after the exit day`);

    const ledger = await tx.select().from(rentLedger).where(eq(rentLedger.tenancyId, tenancy.id));
    const owed = summarizeArrears(ledger, input.on).amountOutstanding;
    await tx
      .update(tenancies)
      .set({ endDate: input.on, endReason: `exit case ${found.id} (KC-19, ${found.ground})` })
      .where(eq(tenancies.id, tenancy.id));
    await tx.update(housingUnits).set({ status: 'FREE', statusReason: null, updatedAt: new Date() }).where(eq(housingUnits.id, tenancy.unitId));
    await tx.update(households).set({ status: 'EXITED' }).where(eq(households.id, found.householdId));
    if (found.alertId !== null) {
      const [alert] = await tx
        .update(alerts)
        .set({ status: 'RESOLVED' })
        .where(and(eq(alerts.id, found.alertId), inArray(alerts.status, ['OPEN', 'ACKNOWLEDGED'])))
        .returning({ id: alerts.id });
      if (alert) await tx.insert(alertEvents).values({ alertId: alert.id, status: 'RESOLVED', by, note: `exit case ${found.id} completed on ${input.on}` });
    }
    const summary = `unit inspected (inspection ${inspection.id}); rent owed at exit ${owed.toFixed(2)}`;
    return advance(
      tx,
      found,
      { status: 'COMPLETED', closedOn: input.on, arrearsAtExit: owed },
      {
        action: 'COMPLETED',
        on: input.on,
        note: input.note ? `${input.note} (${summary})` : summary,
        by,
      },
    );
  });
}

// ---- reads --------------------------------------------------------------------------------------

export interface ExitCaseFilter {
  districtId?: string | null;
  status?: ExitCaseStatus | null;
  ground?: ExitGround | null;
  householdId?: string | null;
  pastVacateBy?: boolean | null;
}

/** the notice stands and the day to leave by has passed: the bureau moves to enforce it */
export function isPastVacateBy(c: ExitCaseRow, today: string): boolean {
  return c.status === 'NOTICE_SERVED' && c.vacateBy !== null && today > c.vacateBy;
}

function conditions(filter: ExitCaseFilter | null | undefined, scope: DistrictScope, today: string): (SQL | undefined)[] {
  const out: (SQL | undefined)[] = [withinScope(exitCases.districtId, scope)];
  if (filter?.districtId) out.push(eq(exitCases.districtId, filter.districtId));
  if (filter?.status) out.push(eq(exitCases.status, filter.status));
  if (filter?.ground) out.push(eq(exitCases.ground, filter.ground));
  if (filter?.householdId) {
    const n = Number(filter.householdId);
    if (!Number.isSafeInteger(n) || n <= 0) throw badUserInput('filter.householdId', 'must be a household id');
    out.push(eq(exitCases.householdId, n));
  }
  if (filter?.pastVacateBy !== undefined && filter?.pastVacateBy !== null) {
    const past = and(eq(exitCases.status, 'NOTICE_SERVED'), lt(exitCases.vacateBy, today))!;
    out.push(filter.pastVacateBy ? past : not(past));
  }
  return out;
}

export type ExitCaseEventRow = typeof exitCaseEvents.$inferSelect;
export type ExitCaseConnectionView = Connection<ExitCaseRow>;

/** newest first, within the scope's districts */
export async function listExitCases(
  db: Db,
  args: { filter?: ExitCaseFilter | null; first?: number | null; after?: string | null },
  scope: DistrictScope,
  today: string,
  maxPageSize: number,
): Promise<ExitCaseConnectionView> {
  return keysetPage(
    db,
    { table: exitCases, id: exitCases.id, cursor: 'exitCase', order: 'newest first' },
    () => conditions(args.filter, scope, today),
    args,
    maxPageSize,
  );
}

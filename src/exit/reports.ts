// KC-37 reports and complaints from the public: received, investigated and answered within periods
// of working days (REPORT.* of the district's policy). A confirmed report can open an exit case.
import { and, eq, lt, ne, not, or, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { withinScope, type DistrictScope } from '../auth/scope.js';
import type { Connection } from '../db/batch.js';
import { keysetPage } from '../db/pages.js';
import type { Db } from '../db/client.js';
import { districts, households, housingUnits } from '../db/schema.js';
import { addWorkingDays } from '../domain/working-days.js';
import { badUserInput, parseInput } from '../errors.js';
import { openCase } from './cases.js';
import { districtParameter, id, pastDate, text } from './common.js';
import { exitGround, publicReports, reportChannel, reportFinding, reportStatus } from './tables.js';

export type PublicReportRow = typeof publicReports.$inferSelect;
type Status = (typeof reportStatus.enumValues)[number];

const receiveSchema = (today: string) =>
  z.object({
    districtId: z.string().trim().min(1, 'must not be empty'),
    householdId: id('a household').nullish(),
    unitId: id('a unit').nullish(),
    channel: z.enum(reportChannel.enumValues),
    receivedOn: pastDate(today),
    allegation: text(8000),
    reporterContact: z
      .string()
      .trim()
      .max(200, 'at most 200 characters')
      .nullish()
      .transform((c) => c || null),
  });

export async function receivePublicReport(db: Db, raw: unknown, today: string, by: string): Promise<PublicReportRow> {
  const input = parseInput(receiveSchema(today), raw);
  const [district] = await db.select({ id: districts.id }).from(districts).where(eq(districts.id, input.districtId));
  if (!district) throw badUserInput('input.districtId', 'no district with this id');
  if (input.householdId) {
    const [household] = await db.select({ districtId: households.districtId }).from(households).where(eq(households.id, input.householdId));
    if (!household) throw badUserInput('input.householdId', 'no household with this id');
    if (household.districtId !== input.districtId) throw badUserInput('input.householdId', `the household is not of ${input.districtId}`);
  }
  if (input.unitId) {
    const [unit] = await db.select({ districtId: housingUnits.districtId }).from(housingUnits).where(eq(housingUnits.id, input.unitId));
    if (!unit) throw badUserInput('input.unitId', 'no housing unit with this id');
    if (unit.districtId !== input.districtId) throw badUserInput('input.unitId', `the unit is not in ${input.districtId}`);
  }
  const investigateDays = await districtParameter(db, input.districtId, 'REPORT.INVESTIGATE_WORKING_DAYS', input.receivedOn);
  const answerDays = await districtParameter(db, input.districtId, 'REPORT.ANSWER_WORKING_DAYS', input.receivedOn);
  const [created] = await db
    .insert(publicReports)
    .values({
      districtId: input.districtId,
      householdId: input.householdId ?? null,
      unitId: input.unitId ?? null,
      channel: input.channel,
      receivedOn: input.receivedOn,
      allegation: input.allegation,
      reporterContact: input.reporterContact,
      investigateBy: addWorkingDays(input.receivedOn, investigateDays),
      answerBy: addWorkingDays(input.receivedOn, answerDays),
      recordedBy: by,
    })
    .returning();
  return created!;
}

async function reportInStatus(tx: Db, reportId: number, allowed: Status[], doing: string) {
  const [report] = await tx.select().from(publicReports).where(eq(publicReports.id, reportId)).for('update');
  if (!report) throw badUserInput('input.reportId', 'no report with this id');
  if (!allowed.includes(report.status)) {
    const hint = report.status === 'RECEIVED' ? ': start the investigation first' : '';
    throw badUserInput('input.reportId', `report ${report.id} is ${report.status}: ${doing} only when it is ${allowed.join(' or ')}${hint}`);
  }
  return report;
}

const startSchema = z.object({ reportId: id('a report') });

export async function startReportInvestigation(db: Db, raw: unknown): Promise<PublicReportRow> {
  const input = parseInput(startSchema, raw);
  return db.transaction(async (tx) => {
    const report = await reportInStatus(tx, input.reportId, ['RECEIVED'], 'an investigation can start');
    const [updated] = await tx.update(publicReports).set({ status: 'INVESTIGATING' }).where(eq(publicReports.id, report.id)).returning();
    return updated!;
  });
}

const answerSchema = (today: string) =>
  z
    .object({
      reportId: id('a report'),
      finding: z.enum(reportFinding.enumValues),
      answer: text(8000),
      answeredOn: pastDate(today),
      openExitCase: z.object({ ground: z.enum(exitGround.enumValues), summary: text(4000) }).nullish(),
    })
    .refine((i) => !i.openExitCase || i.finding === 'CONFIRMED', { path: ['openExitCase'], message: 'only a CONFIRMED report opens an exit case' });

export async function answerPublicReport(db: Db, raw: unknown, today: string, by: string): Promise<PublicReportRow> {
  const input = parseInput(answerSchema(today), raw);
  return db.transaction(async (tx) => {
    const report = await reportInStatus(tx, input.reportId, ['INVESTIGATING'], 'it can be answered');
    if (input.answeredOn < report.receivedOn) throw badUserInput('input.answeredOn', `must not be before the report was received (${report.receivedOn})`);
    let exitCaseId: number | null = null;
    if (input.openExitCase) {
      if (report.householdId === null) throw badUserInput('input.openExitCase', 'the report names no household');
      const opened = await openCase(
        tx,
        {
          householdId: report.householdId,
          ground: input.openExitCase.ground,
          summary: `${input.openExitCase.summary} (report ${report.id}, KC-37)`,
          openedOn: input.answeredOn,
        },
        by,
        { householdId: 'input.openExitCase', alertId: 'input.openExitCase', inspectionId: 'input.openExitCase', openedOn: 'input.answeredOn' },
      );
      exitCaseId = opened.id;
    }
    const [updated] = await tx
      .update(publicReports)
      .set({ status: 'ANSWERED', finding: input.finding, answer: input.answer, answeredOn: input.answeredOn, exitCaseId })
      .where(eq(publicReports.id, report.id))
      .returning();
    return updated!;
  });
}

/** Not answered, and past the day to answer by, or still not under investigation past its day. */
export function isOverdue(report: PublicReportRow, today: string): boolean {
  return report.status !== 'ANSWERED' && (today > report.answerBy || (report.status === 'RECEIVED' && today > report.investigateBy));
}

export interface PublicReportFilter {
  districtId?: string | null;
  status?: Status | null;
  overdue?: boolean | null;
  householdId?: string | null;
}

function conditions(filter: PublicReportFilter | null | undefined, scope: DistrictScope, today: string): (SQL | undefined)[] {
  const out: (SQL | undefined)[] = [withinScope(publicReports.districtId, scope)];
  if (filter?.districtId) out.push(eq(publicReports.districtId, filter.districtId));
  if (filter?.status) out.push(eq(publicReports.status, filter.status));
  if (filter?.householdId) {
    const n = Number(filter.householdId);
    if (!Number.isSafeInteger(n) || n <= 0) throw badUserInput('filter.householdId', 'must be a household id');
    out.push(eq(publicReports.householdId, n));
  }
  if (filter?.overdue !== undefined && filter?.overdue !== null) {
    const overdue = and(
      ne(publicReports.status, 'ANSWERED'),
      or(lt(publicReports.answerBy, today), and(eq(publicReports.status, 'RECEIVED'), lt(publicReports.investigateBy, today))),
    )!;
    out.push(filter.overdue ? overdue : not(overdue));
  }
  return out;
}

export type PublicReportConnectionView = Connection<PublicReportRow>;

/** newest first, within the scope's districts */
export async function listPublicReports(
  db: Db,
  args: { filter?: PublicReportFilter | null; first?: number | null; after?: string | null },
  scope: DistrictScope,
  today: string,
  maxPageSize: number,
): Promise<PublicReportConnectionView> {
  return keysetPage(
    db,
    { table: publicReports, id: publicReports.id, cursor: 'publicReport', order: 'newest first' },
    () => conditions(args.filter, scope, today),
    args,
    maxPageSize,
  );
}

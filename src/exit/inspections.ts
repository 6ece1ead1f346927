// KC-35(2) inspection visits: at least INSPECTION.STAFF_MIN staff, an adult member of the household
// present (INSPECTION.ADULT_AGE on the day). KC-20: the exit inspection a completed exit needs.
import { and, eq, gt, isNull, or } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../db/client.js';
import { housingUnits, persons, tenancies } from '../db/schema.js';
import { wholeYears } from '../domain/working-days.js';
import { badUserInput, parseInput } from '../errors.js';
import { RUNNING } from './cases.js';
import { districtParameter, id, pastDate, text } from './common.js';
import { exitCases, inspectionOutcome, inspectionPurpose, inspections, publicReports } from './tables.js';

export type InspectionRow = typeof inspections.$inferSelect;
export interface InspectionDocument {
  ref: string;
  description: string;
}

const recordSchema = (today: string) =>
  z.object({
    unitId: id('a unit'),
    purpose: z.enum(inspectionPurpose.enumValues),
    visitedOn: pastDate(today),
    staff: z.array(text(100)).max(20, 'at most 20 staff'),
    memberPresent: z.string().trim().toUpperCase().min(1, 'must not be empty').nullish(),
    outcome: z.enum(inspectionOutcome.enumValues),
    findings: text(8000),
    documents: z
      .array(z.object({ ref: text(500), description: text(1000) }))
      .max(100, 'at most 100 documents')
      .nullish(),
    exitCaseId: id('an exit case').nullish(),
    reportId: id('a report').nullish(),
  });

export async function recordInspection(db: Db, raw: unknown, today: string, by: string): Promise<InspectionRow> {
  const input = parseInput(recordSchema(today), raw);
  return db.transaction(async (tx) => {
    const [unit] = await tx.select().from(housingUnits).where(eq(housingUnits.id, input.unitId));
    if (!unit) throw badUserInput('input.unitId', 'no housing unit with this id');

    const staffMin = await districtParameter(tx, unit.districtId, 'INSPECTION.STAFF_MIN', input.visitedOn);
    const staff = [...new Map(input.staff.map((s) => [s.toLowerCase(), s])).values()];
    if (staff.length < staffMin) {
      throw badUserInput('input.staff', `a visit takes at least ${staffMin} different staff (KC-35(2)); ${staff.length} named`);
    }

    const [running] = await tx
      .select()
      .from(tenancies)
      .where(and(eq(tenancies.unitId, unit.id), isNull(tenancies.endDate)));
    const exitCase = input.exitCaseId ? await caseOfUnit(tx, input.exitCaseId, unit.id) : null;
    const householdId = running?.householdId ?? exitCase?.householdId ?? null;

    let memberPresentId: number | null = null;
    if (input.memberPresent) {
      if (householdId === null) throw badUserInput('input.memberPresent', 'nobody lives in the unit');
      const [member] = await tx
        .select()
        .from(persons)
        .where(
          and(
            eq(persons.residentId, input.memberPresent),
            eq(persons.householdId, householdId),
            or(isNull(persons.leftOn), gt(persons.leftOn, input.visitedOn)),
          ),
        );
      if (!member) throw badUserInput('input.memberPresent', 'not a member of the household living in the unit');
      const adultAge = await districtParameter(tx, unit.districtId, 'INSPECTION.ADULT_AGE', input.visitedOn);
      const age = wholeYears(member.birthDate, input.visitedOn);
      if (age < adultAge) {
        throw badUserInput('input.memberPresent', `was ${age} on ${input.visitedOn}: the member present must be an adult (${adultAge} or older, KC-35(2))`);
      }
      memberPresentId = member.id;
    } else if (householdId !== null && input.purpose !== 'EXIT') {
      // at an exit visit the family may already have cleared the unit (KC-20)
      throw badUserInput(
        'input.memberPresent',
        'an adult member of the household must be present (KC-35(2)); only an exit visit of a cleared unit goes without',
      );
    }

    if (input.reportId) await reportOfUnit(tx, input.reportId, unit);

    const [created] = await tx
      .insert(inspections)
      .values({
        unitId: unit.id,
        householdId,
        districtId: unit.districtId,
        purpose: input.purpose,
        visitedOn: input.visitedOn,
        staff,
        memberPresentId,
        outcome: input.outcome,
        findings: input.findings,
        documents: input.documents ?? [],
        exitCaseId: exitCase?.id ?? null,
        reportId: input.reportId ?? null,
        recordedBy: by,
      })
      .returning();
    return created!;
  });
}

async function caseOfUnit(tx: Db, caseId: number, unitId: number) {
  const [found] = await tx
    .select({ id: exitCases.id, householdId: exitCases.householdId, status: exitCases.status, unitId: tenancies.unitId })
    .from(exitCases)
    .leftJoin(tenancies, eq(tenancies.id, exitCases.tenancyId))
    .where(eq(exitCases.id, caseId));
  if (!found) throw badUserInput('input.exitCaseId', 'no exit case with this id');
  if (found.unitId !== unitId) throw badUserInput('input.exitCaseId', 'the exit case is about another unit');
  if (!RUNNING.includes(found.status)) throw badUserInput('input.exitCaseId', `the exit case is ${found.status}`);
  return found;
}

/** A visit made for a report starts its investigation (KC-37). */
async function reportOfUnit(tx: Db, reportId: number, unit: { id: number; districtId: string }) {
  const [report] = await tx.select().from(publicReports).where(eq(publicReports.id, reportId)).for('update');
  if (!report) throw badUserInput('input.reportId', 'no report with this id');
  if (report.districtId !== unit.districtId || (report.unitId !== null && report.unitId !== unit.id)) {
    throw badUserInput('input.reportId', 'the report is about another unit');
  }
  if (report.status === 'ANSWERED') throw badUserInput('input.reportId', 'the report was already answered');
  if (report.status === 'RECEIVED') await tx.update(publicReports).set({ status: 'INVESTIGATING' }).where(eq(publicReports.id, report.id));
}

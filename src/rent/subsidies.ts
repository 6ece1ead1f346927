// KC-26: a waitlisted household receives a rent subsidy in cash until it is allocated a unit. Its
// standard is per member per month (SUBSIDY.PER_CAPITA_MONTHLY of the district's policy); the time on
// subsidy counts towards Guiyang's waitlist points.
import { and, desc, eq, isNull, lte, or, gt } from 'drizzle-orm';
import { z } from 'zod';
import type { Caller } from '../auth/caller.js';
import { forbidden } from '../auth/caller.js';
import { anyOf, isUniqueViolation, type Db } from '../db/client.js';
import { districts, households, persons, waitlistEntries } from '../db/schema.js';
import { badUserInput, conflict, parseInput } from '../errors.js';
import { parametersAsOf } from '../policy/service.js';
import { cents, yuan } from './months.js';
import { subsidies } from './tables.js';

export type SubsidyRow = typeof subsidies.$inferSelect;

const isoDate = z.iso.date({ message: 'must be a date YYYY-MM-DD' });
const householdId = z.coerce.number({ message: 'must be a household id' }).int('must be a household id').positive('must be a household id');

function startSchema(today: string) {
  return z.object({
    householdId,
    startDate: isoDate.refine((d) => d <= today, 'must not be in the future'),
    monthlyAmount: z
      .number({ message: 'must be a number' })
      .finite()
      .positive('must be more than 0')
      .max(100_000, 'at most 100,000')
      .refine((v) => Math.abs(v * 100 - Math.round(v * 100)) < 1e-6, 'at most 2 decimals (fen)')
      .nullish(),
  });
}

function endSchema(today: string) {
  return z.object({
    householdId,
    endDate: isoDate.refine((d) => d <= today, 'must not be in the future'),
    reason: z.string().trim().min(1, 'must not be empty').max(500, 'at most 500 characters'),
  });
}

/** The standard subsidy of a household on a day: the per-capita amount of its district's policy × its members then. */
export async function standardSubsidy(
  db: Db,
  household: { id: number; districtId: string },
  on: string,
): Promise<{ amount: number; members: number; perCapita: number }> {
  const [district] = await db.select({ policyId: districts.policyId }).from(districts).where(eq(districts.id, household.districtId));
  const params = await parametersAsOf(db, district?.policyId ?? 'KC', on);
  const perCapita = params.get('SUBSIDY.PER_CAPITA_MONTHLY')?.value;
  if (perCapita === undefined) throw badUserInput('input.householdId', `policy ${district?.policyId} sets no SUBSIDY.PER_CAPITA_MONTHLY on ${on}`);
  const members = (
    await db
      .select({ id: persons.id })
      .from(persons)
      .where(and(eq(persons.householdId, household.id), or(isNull(persons.leftOn), gt(persons.leftOn, on))))
  ).length;
  return { amount: yuan(cents(perCapita) * members), members, perCapita };
}

export async function startSubsidy(db: Db, raw: unknown, by: string, caller: Caller | null, today: string): Promise<SubsidyRow> {
  const input = parseInput(startSchema(today), raw);
  const [household] = await db.select().from(households).where(eq(households.id, input.householdId));
  if (!household) throw badUserInput('input.householdId', `no household ${input.householdId}`);
  if (household.status !== 'WAITLISTED')
    throw badUserInput('input.householdId', `the household is ${household.status}: only a WAITLISTED household receives a rent subsidy (KC-26)`);
  const [entry] = await db.select().from(waitlistEntries).where(eq(waitlistEntries.householdId, household.id));
  if (entry && input.startDate < entry.enteredOn) throw badUserInput('input.startDate', `must not be before the household was waitlisted (${entry.enteredOn})`);
  const [last] = await db.select().from(subsidies).where(eq(subsidies.householdId, household.id)).orderBy(desc(subsidies.startDate)).limit(1);
  if (last?.endDate && input.startDate < last.endDate) throw badUserInput('input.startDate', `must not be before the last subsidy ended (${last.endDate})`);
  const standard = await standardSubsidy(db, household, input.startDate);
  const monthlyAmount = input.monthlyAmount ?? standard.amount;
  if (monthlyAmount <= 0) throw badUserInput('input.householdId', 'the household has no current members');
  // the standard is the policy's; another amount is a manager's decision
  if (caller?.role === 'CASEWORKER' && cents(monthlyAmount) !== cents(standard.amount)) throw forbidden();
  try {
    return await db.transaction(async (tx) => {
      const [moved] = await tx
        .update(households)
        .set({ status: 'SUBSIDISED' })
        .where(and(eq(households.id, household.id), eq(households.status, 'WAITLISTED')))
        .returning({ id: households.id });
      if (!moved) throw conflict('input.householdId', 'the household changed meanwhile; reload it');
      const [row] = await tx.insert(subsidies).values({ householdId: household.id, startDate: input.startDate, monthlyAmount, startedBy: by }).returning();
      return row!;
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict('input.householdId', 'the household already receives a subsidy');
    throw error;
  }
}

/**
 * Ends a household's running subsidy on `endDate` (the first day it is no longer paid), in the
 * caller's transaction; null when none runs. Allocation calls this when a household moves into a unit.
 */
export async function endRunningSubsidy(tx: Db, householdId: number, endDate: string, reason: string, by: string): Promise<SubsidyRow | null> {
  const [row] = await tx
    .update(subsidies)
    .set({ endDate, endReason: reason, endedBy: by })
    .where(and(eq(subsidies.householdId, householdId), isNull(subsidies.endDate), lte(subsidies.startDate, endDate)))
    .returning();
  return row ?? null;
}

export async function endSubsidy(db: Db, raw: unknown, by: string, today: string): Promise<SubsidyRow> {
  const input = parseInput(endSchema(today), raw);
  const [household] = await db.select().from(households).where(eq(households.id, input.householdId));
  if (!household) throw badUserInput('input.householdId', `no household ${input.householdId}`);
  const [running] = await db
    .select()
    .from(subsidies)
    .where(and(eq(subsidies.householdId, household.id), isNull(subsidies.endDate)));
  if (!running) throw badUserInput('input.householdId', 'the household receives no subsidy');
  if (input.endDate < running.startDate) throw badUserInput('input.endDate', `must not be before the subsidy started (${running.startDate})`);
  return db.transaction(async (tx) => {
    const ended = await endRunningSubsidy(tx, household.id, input.endDate, input.reason, by);
    if (!ended) throw conflict('input.householdId', 'the subsidy was ended meanwhile; reload it');
    // back to the waitlist it never left (KC-26); a household housed or exited meanwhile keeps its status
    await tx
      .update(households)
      .set({ status: 'WAITLISTED' })
      .where(and(eq(households.id, household.id), eq(households.status, 'SUBSIDISED')));
    return ended;
  });
}

export function subsidiesOfHouseholds(db: Db, ids: readonly number[]) {
  return db.select().from(subsidies).where(anyOf(subsidies.householdId, ids)).orderBy(desc(subsidies.startDate), desc(subsidies.id));
}

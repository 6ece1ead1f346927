// Moving an application through the KC-13 procedure.
import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../db/client.js';
import { applicationEvents, applications, households, waitlistEntries } from '../db/schema.js';
import { addWorkingDays } from '../domain/working-days.js';
import { badUserInput, conflict, parseInput } from '../errors.js';
import type { ApplicationRow } from '../households/loaders.js';
import { STAGES, type ApplicationStage } from './stages.js';

function advanceSchema(today: string) {
  return z.object({
    applicationId: z.coerce.number({ message: 'must be an application id' }).int().positive('must be an application id'),
    decision: z.enum(['ADVANCE', 'REJECT']).nullish(),
    on: z.iso
      .date({ message: 'must be a date YYYY-MM-DD' })
      .refine((d) => d <= today, 'must not be in the future')
      .nullish(),
    note: z.string().max(2000, 'at most 2000 characters').nullish(),
  });
}

export async function advanceApplication(db: Db, raw: unknown, today: string): Promise<ApplicationRow> {
  const input = parseInput(advanceSchema(today), raw);
  const on = input.on ?? today;
  const [current] = await db.select().from(applications).where(eq(applications.id, input.applicationId));
  if (!current) throw badUserInput('input.applicationId', 'no application with this id');
  const rule = STAGES[current.stage];
  if (rule.next === null) throw badUserInput('input.applicationId', `application is already ${current.stage}`);
  if (on < current.stageEnteredOn) {
    throw badUserInput('input.on', `must not be before the current stage began (${current.stageEnteredOn})`);
  }

  const stage: ApplicationStage = input.decision === 'REJECT' ? 'REJECTED' : rule.next;
  const workingDays = STAGES[stage].workingDays;
  const deadline = workingDays === null ? null : addWorkingDays(on, workingDays);

  return db.transaction(async (tx) => {
    const [updated] = await tx
      .update(applications)
      .set({ stage, stageEnteredOn: on, stageDeadline: deadline })
      // guards against two caseworkers advancing the same application at once
      .where(and(eq(applications.id, current.id), eq(applications.stage, current.stage)))
      .returning();
    if (!updated) throw conflict('input.applicationId', 'the application was moved meanwhile; reload it');
    await tx.insert(applicationEvents).values({ applicationId: current.id, stage, enteredOn: on, deadline, note: input.note ?? null });
    const [household] = await tx
      .update(households)
      .set({ status: STAGES[stage].householdStatus })
      .where(eq(households.id, current.householdId))
      .returning({ districtId: households.districtId });
    if (stage === 'APPROVED') {
      await tx.insert(waitlistEntries).values({ householdId: current.householdId, districtId: household!.districtId, enteredOn: on }).onConflictDoNothing();
    }
    return updated;
  });
}

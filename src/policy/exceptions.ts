// Qualification exceptions: a criterion the policy allows to be waived "in principle" (KC-12(1)2's
// household of 2 or more), waived for one household by a manager with a reason and an expiry.
// The engine applies them (src/policy/engine.ts applyExceptions); this records and revokes them.
import { and, eq, gte, isNull } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../db/client.js';
import { households } from '../db/schema.js';
import { badUserInput, conflict, parseInput } from '../errors.js';
import type { QualificationExceptionRow } from '../households/loaders.js';
import { criterionCodes } from './engine.js';
import { parametersAsOf } from './service.js';
import { policies, qualificationExceptions } from './tables.js';

function grantSchema(today: string) {
  return z.object({
    householdId: z.coerce.number().int().positive('must be a household id'),
    policyId: z.string().trim().min(1, 'must not be empty').default('KC'),
    criterion: z
      .string()
      .trim()
      .min(1, 'must not be empty')
      .transform((v) => v.toUpperCase()),
    reason: z.string().trim().min(1, 'must not be empty').max(2000, 'at most 2,000 characters'),
    expiresOn: z.iso.date({ message: 'must be a date YYYY-MM-DD' }).refine((d) => d >= today, 'must not be in the past'),
  });
}

const revokeSchema = z.object({
  exceptionId: z.coerce.number().int().positive('must be an exception id'),
  reason: z.string().trim().min(1, 'must not be empty').max(2000, 'at most 2,000 characters'),
});

/** In force on a day: not revoked, granted on or before it, expiring on or after it. */
export function inForce(e: QualificationExceptionRow, on: string): boolean {
  return e.revokedAt === null && e.grantedOn <= on && on <= e.expiresOn;
}

export async function grantQualificationException(db: Db, raw: unknown, today: string, by: string): Promise<QualificationExceptionRow> {
  const input = parseInput(grantSchema(today), raw);
  const [policy] = await db.select().from(policies).where(eq(policies.id, input.policyId));
  if (!policy) throw badUserInput('input.policyId', `no policy ${input.policyId}`);
  if (!criterionCodes(policy.jurisdiction).includes(input.criterion)) {
    throw badUserInput('input.criterion', `policy ${policy.id} has no criterion ${input.criterion}`);
  }
  const flag = `EXCEPTION_ALLOWED.${input.criterion}`;
  if ((await parametersAsOf(db, policy.id, today)).get(flag)?.value !== 1) {
    throw badUserInput('input.criterion', `policy ${policy.id} allows no exception to ${input.criterion} (parameter ${flag} is not 1)`);
  }
  return db.transaction(async (tx) => {
    // locked: two grants for one household are checked one after the other
    const [household] = await tx.select({ id: households.id }).from(households).where(eq(households.id, input.householdId)).for('update');
    if (!household) throw badUserInput('input.householdId', `no household ${input.householdId}`);
    const [running] = await tx
      .select()
      .from(qualificationExceptions)
      .where(
        and(
          eq(qualificationExceptions.householdId, household.id),
          eq(qualificationExceptions.policyId, policy.id),
          eq(qualificationExceptions.criterion, input.criterion),
          isNull(qualificationExceptions.revokedAt),
          gte(qualificationExceptions.expiresOn, today),
        ),
      );
    if (running) throw conflict('input.criterion', `exception ${running.id} to ${input.criterion} is in force until ${running.expiresOn}: revoke it first`);
    const [row] = await tx
      .insert(qualificationExceptions)
      .values({
        householdId: household.id,
        policyId: policy.id,
        criterion: input.criterion,
        reason: input.reason,
        grantedBy: by,
        grantedOn: today,
        expiresOn: input.expiresOn,
      })
      .returning();
    return row!;
  });
}

export async function revokeQualificationException(db: Db, raw: unknown, by: string): Promise<QualificationExceptionRow> {
  const input = parseInput(revokeSchema, raw);
  return db.transaction(async (tx) => {
    const [row] = await tx.select().from(qualificationExceptions).where(eq(qualificationExceptions.id, input.exceptionId)).for('update');
    if (!row) throw badUserInput('input.exceptionId', `no qualification exception ${input.exceptionId}`);
    if (row.revokedAt) throw conflict('input.exceptionId', `already revoked by ${row.revokedBy}`);
    const [revoked] = await tx
      .update(qualificationExceptions)
      .set({ revokedBy: by, revokedAt: new Date(), revokeReason: input.reason })
      .where(eq(qualificationExceptions.id, row.id))
      .returning();
    return revoked!;
  });
}

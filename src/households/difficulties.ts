// Special difficulties (Guiyang 002): a model worker or special-care family, a lonely elderly person,
// a disability of grade 1 to 3, each on a certificate. They earn waitlist points while recorded
// and the person is a member; removal keeps the record with who, when and why.
import { and, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import { forbidden } from '../auth/caller.js';
import { inScope, type DistrictScope } from '../auth/scope.js';
import type { Db } from '../db/client.js';
import { households, persons } from '../db/schema.js';
import { badUserInput, conflict, parseInput } from '../errors.js';
import type { PersonRow, SpecialDifficultyRow } from './loaders.js';
import { specialDifficulties, specialDifficultyKind } from './tables.js';

const DISABILITY = /^DISABILITY_(\d)$/;

const recordSchema = z
  .object({
    residentId: z
      .string()
      .trim()
      .min(1, 'must not be empty')
      .transform((v) => v.toUpperCase())
      .nullish(),
    personId: z.coerce.number().int().positive('must be a person id').nullish(),
    kind: z.enum(specialDifficultyKind.enumValues),
    certificateNo: z.string().trim().min(1, 'must not be empty').max(100, 'at most 100 characters'),
    issuedBy: z.string().trim().min(1, 'must not be empty').max(200, 'at most 200 characters'),
  })
  .superRefine((input, ctx) => {
    if (!input.residentId && !input.personId)
      ctx.addIssue({ code: 'custom', path: ['residentId'], message: 'give the residentId or the personId of the member' });
    if (input.residentId && input.personId) ctx.addIssue({ code: 'custom', path: ['personId'], message: 'give the residentId or the personId, not both' });
  });

const removeSchema = z.object({
  id: z.coerce.number().int().positive('must be a special difficulty id'),
  reason: z.string().trim().min(1, 'must not be empty').max(2000, 'at most 2,000 characters'),
});

/**
 * Within `scope`: a person the caller may not see and one that is not a current member answer alike,
 * FORBIDDEN, before anything is written.
 */
export async function recordSpecialDifficulty(db: Db, raw: unknown, scope: DistrictScope, by: string): Promise<SpecialDifficultyRow> {
  const input = parseInput(recordSchema, raw);
  const field = input.personId ? 'input.personId' : 'input.residentId';
  return db.transaction(async (tx) => {
    // the membership row, locked: two recordings for one person are checked one after the other
    const [found] = await tx
      .select({ person: persons, districtId: households.districtId })
      .from(persons)
      .innerJoin(households, eq(households.id, persons.householdId))
      .where(input.personId ? eq(persons.id, input.personId) : and(eq(persons.residentId, input.residentId!), isNull(persons.leftOn)))
      .for('update', { of: persons });
    if (scope.districts !== null && (!found || !inScope(scope, found.districtId))) throw forbidden();
    if (!found) throw badUserInput(field, 'not a current member of any household');
    const person: PersonRow = found.person;
    if (person.leftOn !== null) throw badUserInput(field, `no longer a member of the household (left on ${person.leftOn})`);
    const active = await tx
      .select()
      .from(specialDifficulties)
      .where(and(eq(specialDifficulties.personId, person.id), isNull(specialDifficulties.removedAt)));
    const same = active.find((d) => d.kind === input.kind);
    if (same) throw conflict('input.kind', `already recorded for this member (special difficulty ${same.id})`);
    const otherGrade = DISABILITY.test(input.kind) ? active.find((d) => DISABILITY.test(d.kind)) : undefined;
    if (otherGrade) {
      throw conflict(
        'input.kind',
        `a grade-${DISABILITY.exec(otherGrade.kind)![1]} disability is recorded for this member (special difficulty ${otherGrade.id}): remove it first`,
      );
    }
    const [row] = await tx
      .insert(specialDifficulties)
      .values({
        personId: person.id,
        householdId: person.householdId,
        kind: input.kind,
        certificateNo: input.certificateNo,
        issuedBy: input.issuedBy,
        recordedBy: by,
      })
      .returning();
    return row!;
  });
}

export async function removeSpecialDifficulty(db: Db, raw: unknown, by: string): Promise<SpecialDifficultyRow> {
  const input = parseInput(removeSchema, raw);
  return db.transaction(async (tx) => {
    const [row] = await tx.select().from(specialDifficulties).where(eq(specialDifficulties.id, input.id)).for('update');
    if (!row) throw badUserInput('input.id', `no special difficulty ${input.id}`);
    if (row.removedAt) throw conflict('input.id', `already removed by ${row.removedBy}`);
    const [removed] = await tx
      .update(specialDifficulties)
      .set({ removedBy: by, removedAt: new Date(), removalReason: input.reason })
      .where(eq(specialDifficulties.id, row.id))
      .returning();
    return removed!;
  });
}

const RESIDENT_ID_INSIDE = /(\d{6})(\d{8})(\d{3}[\dXx])/g;
const BIRTH_DATE = /^(18|19|20)\d\d(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])$/;

/**
 * A disability certificate's number is the holder's resident ID and two digits: the ID inside is
 * masked like every other (the response masking only sees IDs standing alone).
 */
export function maskCertificateNo(certificateNo: string): string {
  return certificateNo.replace(RESIDENT_ID_INSIDE, (m, head: string, birth: string, tail: string) => (BIRTH_DATE.test(birth) ? `${head}********${tail}` : m));
}

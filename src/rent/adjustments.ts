// KC-17: a reduction of the rent (severe disability, major illness) or its waiver (a low-allowance
// household in extreme hardship), decided from a month on with its evidence. Decisions do not
// overlap: a later one ends the one before it. Months already charged are re-priced (see repriceMonths).
import { and, asc, desc, eq, gt, gte, isNull, lt, or, sql } from 'drizzle-orm';
import { z } from 'zod';
import { anyOf, type Db } from '../db/client.js';
import { tenancies } from '../db/schema.js';
import { badUserInput, conflict, parseInput } from '../errors.js';
import { repriceMonths } from './charges.js';
import { isMonthStart, monthOf } from './months.js';
import { rentAdjustmentGround, rentAdjustmentKind, rentAdjustments } from './tables.js';

export type RentAdjustmentRow = typeof rentAdjustments.$inferSelect;

const monthStart = z.iso.date({ message: 'must be a date YYYY-MM-DD' }).refine(isMonthStart, 'must be the first day of a month');

const decideSchema = z
  .object({
    tenancyId: z.coerce.number({ message: 'must be a tenancy id' }).int('must be a tenancy id').positive('must be a tenancy id'),
    kind: z.enum(rentAdjustmentKind.enumValues),
    ground: z.enum(rentAdjustmentGround.enumValues),
    monthlyRent: z
      .number({ message: 'must be a number' })
      .finite()
      .min(0, 'must not be negative')
      .refine((v) => Math.abs(v * 100 - Math.round(v * 100)) < 1e-6, 'at most 2 decimals (fen)')
      .nullish(),
    effectiveFrom: monthStart,
    /** the first month charged normally again; open-ended when absent */
    effectiveTo: monthStart.nullish(),
    evidence: z.string().trim().min(1, 'must name the certificate or document').max(500, 'at most 500 characters'),
    reason: z.string().trim().min(1, 'must not be empty').max(2000, 'at most 2000 characters'),
  })
  .superRefine((input, ctx) => {
    if (input.kind === 'WAIVER' && input.monthlyRent != null && input.monthlyRent !== 0) {
      ctx.addIssue({ code: 'custom', path: ['monthlyRent'], message: 'a waiver charges 0: leave it out or send 0' });
    }
    if (input.kind === 'REDUCTION' && input.monthlyRent == null)
      ctx.addIssue({ code: 'custom', path: ['monthlyRent'], message: 'a reduction needs the reduced monthly rent' });
    if (input.kind === 'REDUCTION' && input.monthlyRent === 0) ctx.addIssue({ code: 'custom', path: ['monthlyRent'], message: 'a rent of 0 is a WAIVER' });
    if (input.effectiveTo && input.effectiveTo <= input.effectiveFrom)
      ctx.addIssue({ code: 'custom', path: ['effectiveTo'], message: 'must be a later month than effectiveFrom' });
  });

const revokeSchema = z.object({
  adjustmentId: z.coerce.number({ message: 'must be an adjustment id' }).int('must be an adjustment id').positive('must be an adjustment id'),
  reason: z.string().trim().min(1, 'must not be empty').max(2000, 'at most 2000 characters'),
});

export async function decideRentAdjustment(db: Db, raw: unknown, by: string): Promise<RentAdjustmentRow> {
  const input = parseInput(decideSchema, raw);
  const monthlyRent = input.kind === 'WAIVER' ? 0 : input.monthlyRent!;
  return db.transaction(async (tx) => {
    // one decision at a time per tenancy; a lock that still lets payments reference the tenancy meanwhile
    const [tenancy] = await tx.select().from(tenancies).where(eq(tenancies.id, input.tenancyId)).for('no key update');
    if (!tenancy) throw badUserInput('input.tenancyId', `no tenancy ${input.tenancyId}`);
    if (input.kind === 'REDUCTION' && monthlyRent >= tenancy.monthlyRent) {
      throw badUserInput('input.monthlyRent', `a reduction must be below the tenancy's rent of ${tenancy.monthlyRent.toFixed(2)}`);
    }
    if (input.effectiveFrom < monthOf(tenancy.startDate))
      throw badUserInput('input.effectiveFrom', `must not be before the tenancy began (${monthOf(tenancy.startDate).slice(0, 7)})`);
    if (tenancy.endDate && input.effectiveFrom > monthOf(tenancy.endDate))
      throw badUserInput('input.effectiveFrom', `the tenancy ended in ${tenancy.endDate.slice(0, 7)}`);
    const active = and(eq(rentAdjustments.tenancyId, tenancy.id), isNull(rentAdjustments.revokedAt));
    // a decision from the same month or a later one is already in place: revoke it first
    const [later] = await tx
      .select()
      .from(rentAdjustments)
      .where(
        and(
          active,
          gte(rentAdjustments.effectiveFrom, input.effectiveFrom),
          input.effectiveTo ? lt(rentAdjustments.effectiveFrom, input.effectiveTo) : undefined,
        ),
      )
      .orderBy(asc(rentAdjustments.effectiveFrom))
      .limit(1);
    if (later)
      throw conflict(
        'input.effectiveFrom',
        `adjustment ${later.id} applies from ${later.effectiveFrom.slice(0, 7)}; revoke it before deciding from this month`,
      );
    // the decision in force before ends where this one starts
    const [previous] = await tx
      .select()
      .from(rentAdjustments)
      .where(
        and(
          active,
          lt(rentAdjustments.effectiveFrom, input.effectiveFrom),
          or(isNull(rentAdjustments.effectiveTo), gt(rentAdjustments.effectiveTo, input.effectiveFrom)),
        ),
      )
      .orderBy(desc(rentAdjustments.effectiveFrom))
      .limit(1);
    if (previous && input.effectiveTo && (previous.effectiveTo === null || previous.effectiveTo > input.effectiveTo)) {
      throw conflict(
        'input.effectiveTo',
        `adjustment ${previous.id} runs on past ${input.effectiveTo.slice(0, 7)}; a decision inside it would split it: decide open-ended, or revoke it first`,
      );
    }
    const [row] = await tx
      .insert(rentAdjustments)
      .values({
        tenancyId: tenancy.id,
        kind: input.kind,
        ground: input.ground,
        monthlyRent,
        effectiveFrom: input.effectiveFrom,
        effectiveTo: input.effectiveTo ?? null,
        decidedEffectiveTo: input.effectiveTo ?? null,
        evidence: input.evidence,
        reason: input.reason,
        decidedBy: by,
      })
      .returning();
    // the decision in force before ends where this one starts, and remembers what ended it
    if (previous) await tx.update(rentAdjustments).set({ effectiveTo: input.effectiveFrom, cutShortBy: row!.id }).where(eq(rentAdjustments.id, previous.id));
    await repriceMonths(tx, tenancy.id, input.effectiveFrom, input.effectiveTo ?? null);
    return row!;
  });
}

/**
 * Revokes a decision (wrongly made, or its ground is gone): its months are charged as if it had never
 * been made, and a decision it had cut short runs on again to the end it was decided with.
 */
export async function revokeRentAdjustment(db: Db, raw: unknown, by: string): Promise<RentAdjustmentRow> {
  const input = parseInput(revokeSchema, raw);
  return db.transaction(async (tx) => {
    const [found] = await tx.select().from(rentAdjustments).where(eq(rentAdjustments.id, input.adjustmentId));
    if (!found) throw badUserInput('input.adjustmentId', `no rent adjustment ${input.adjustmentId}`);
    await tx.select({ id: tenancies.id }).from(tenancies).where(eq(tenancies.id, found.tenancyId)).for('no key update');
    const [revoked] = await tx
      .update(rentAdjustments)
      .set({ revokedAt: sql`now()`, revokedBy: by, revokeReason: input.reason })
      .where(and(eq(rentAdjustments.id, found.id), isNull(rentAdjustments.revokedAt)))
      .returning();
    if (!revoked) throw conflict('input.adjustmentId', `adjustment ${found.id} is already revoked`);
    const restored = await tx
      .update(rentAdjustments)
      .set({ effectiveTo: sql`${rentAdjustments.decidedEffectiveTo}`, cutShortBy: null })
      .where(and(eq(rentAdjustments.cutShortBy, revoked.id), isNull(rentAdjustments.revokedAt)))
      .returning({ effectiveTo: rentAdjustments.effectiveTo });
    // the months to charge again: the revoked decision's, and those its predecessor now covers again
    const until = [revoked.effectiveTo, ...restored.map((r) => r.effectiveTo)].reduce<string | null>(
      (a, b) => (a === null || b === null ? null : a > b ? a : b),
      revoked.effectiveTo,
    );
    await repriceMonths(tx, revoked.tenancyId, revoked.effectiveFrom, until);
    return revoked;
  });
}

export function adjustmentsOfTenancies(db: Db, ids: readonly number[]) {
  return db.select().from(rentAdjustments).where(anyOf(rentAdjustments.tenancyId, ids)).orderBy(asc(rentAdjustments.effectiveFrom), asc(rentAdjustments.id));
}

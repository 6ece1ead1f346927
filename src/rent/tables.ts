// Rent (KC-15..17): payments against a tenancy's ledger, and decisions that change the charge.
// Rent subsidy (KC-26): cash paid to a waitlisted household until it is housed.
import { sql } from 'drizzle-orm';
import { check, date, index, integer, jsonb, numeric, pgEnum, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { households, tenancies } from '../db/schema.js';

const money = (name: string) => numeric(name, { precision: 12, scale: 2, mode: 'number' });

/** One payment as the bank or treasury reported it; `allocation` says which months it paid. */
export const rentPayments = pgTable(
  'rent_payments',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    tenancyId: integer('tenancy_id')
      .notNull()
      .references(() => tenancies.id),
    amount: money('amount').notNull(),
    paidOn: date('paid_on', { mode: 'string' }).notNull(),
    /** the bank's or counter's reference: a payment is recorded once per reference */
    reference: text('reference').notNull(),
    /** [{ month, amount }]: oldest unpaid month first, unless the payment named its month */
    allocation: jsonb('allocation').notNull(),
    /** the import batch it came in, if any */
    batchId: integer('batch_id'),
    recordedBy: text('recorded_by').notNull(),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('rent_payments_reference_key').on(t.reference),
    index('rent_payments_tenancy_idx').on(t.tenancyId),
    check('rent_payments_amount_positive', sql`${t.amount} > 0`),
  ],
);

export const rentAdjustmentKind = pgEnum('rent_adjustment_kind', ['REDUCTION', 'WAIVER']);
export const rentAdjustmentGround = pgEnum('rent_adjustment_ground', ['SEVERE_DISABILITY', 'MAJOR_ILLNESS', 'EXTREME_HARDSHIP', 'OTHER']);

/** KC-17: a recorded decision that changes a tenancy's monthly charge from a month on. */
export const rentAdjustments = pgTable(
  'rent_adjustments',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    tenancyId: integer('tenancy_id')
      .notNull()
      .references(() => tenancies.id),
    kind: rentAdjustmentKind('kind').notNull(),
    ground: rentAdjustmentGround('ground').notNull(),
    /** the monthly charge while in force (0 for a waiver) */
    monthlyRent: money('monthly_rent').notNull(),
    /** first day of the first month charged so */
    effectiveFrom: date('effective_from', { mode: 'string' }).notNull(),
    /** first day of the first month no longer charged so; null while in force */
    effectiveTo: date('effective_to', { mode: 'string' }),
    /** the end it was decided with (null: open-ended), restored when a later decision that cut it short is revoked */
    decidedEffectiveTo: date('decided_effective_to', { mode: 'string' }),
    /** the later decision that ended this one early */
    cutShortBy: integer('cut_short_by'),
    /** the certificate or document the decision rests on */
    evidence: text('evidence').notNull(),
    reason: text('reason').notNull(),
    decidedBy: text('decided_by').notNull(),
    decidedAt: timestamp('decided_at', { withTimezone: true }).notNull().defaultNow(),
    revokedBy: text('revoked_by'),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    revokeReason: text('revoke_reason'),
  },
  (t) => [index('rent_adjustments_tenancy_idx').on(t.tenancyId), check('rent_adjustments_rent_nonnegative', sql`${t.monthlyRent} >= 0`)],
);

export const subsidies = pgTable(
  'subsidies',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    householdId: integer('household_id')
      .notNull()
      .references(() => households.id),
    startDate: date('start_date', { mode: 'string' }).notNull(),
    /** null while it runs */
    endDate: date('end_date', { mode: 'string' }),
    monthlyAmount: money('monthly_amount').notNull(),
    endReason: text('end_reason'),
    startedBy: text('started_by').notNull(),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
    endedBy: text('ended_by'),
  },
  (t) => [
    uniqueIndex('subsidies_one_running_per_household')
      .on(t.householdId)
      .where(sql`${t.endDate} is null`),
    index('subsidies_household_idx').on(t.householdId),
    check('subsidies_amount_positive', sql`${t.monthlyAmount} > 0`),
  ],
);

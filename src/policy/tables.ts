// Policies are data: every threshold with its unit, comparator, article and effective dates.
import { date, index, integer, jsonb, numeric, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import type { Verdict } from './engine.js';
import { households } from '../db/schema.js';

export const policies = pgTable('policies', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  jurisdiction: text('jurisdiction').notNull(),
  version: integer('version').notNull(),
  effectiveFrom: date('effective_from', { mode: 'string' }).notNull(),
  effectiveTo: date('effective_to', { mode: 'string' }),
  source: text('source').notNull(),
});

/** A parameter's value from a date on; the value in force on day D is the latest effectiveFrom <= D. */
export const policyParameters = pgTable(
  'policy_parameters',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    policyId: text('policy_id')
      .notNull()
      .references(() => policies.id),
    code: text('code').notNull(),
    value: numeric('value', { precision: 16, scale: 4, mode: 'number' }).notNull(),
    unit: text('unit').notNull(),
    comparator: text('comparator').notNull(),
    article: text('article').notNull(),
    description: text('description').notNull(),
    effectiveFrom: date('effective_from', { mode: 'string' }).notNull(),
    toBeConfirmed: text('to_be_confirmed'),
    recordedBy: text('recorded_by').notNull(),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
    note: text('note'),
  },
  (t) => [uniqueIndex('policy_parameters_key').on(t.policyId, t.code, t.effectiveFrom)],
);

/** Every evaluation of a household, so a later one can be compared with it. */
export const qualificationEvaluations = pgTable(
  'qualification_evaluations',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    householdId: integer('household_id')
      .notNull()
      .references(() => households.id),
    policyId: text('policy_id').notNull(),
    policyVersion: integer('policy_version').notNull(),
    asOf: date('as_of', { mode: 'string' }).notNull(),
    category: text('category').notNull(),
    outcome: text('outcome').$type<Verdict>().notNull(),
    /** the as-of date of every input, by agency */
    inputsAsOf: jsonb('inputs_as_of').notNull(),
    result: jsonb('result').notNull(),
    evaluatedAt: timestamp('evaluated_at', { withTimezone: true }).notNull().defaultNow(),
    /** who stored it: a review run (`review ANNUAL`) or the caller of recordQualification; null before it was kept */
    evaluatedBy: text('evaluated_by'),
  },
  (t) => [index('qualification_evaluations_household_idx').on(t.householdId, t.evaluatedAt)],
);

/** KC-13(4): a published, re-runnable lottery of a district's free units among its waitlist. */
export const lotteryDraws = pgTable('lottery_draws', {
  id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
  districtId: text('district_id').notNull(),
  seed: text('seed').notNull(),
  drawnOn: date('drawn_on', { mode: 'string' }).notNull(),
  /** household ids and unit ids, in the order given to the draw */
  households: jsonb('households').notNull(),
  units: jsonb('units').notNull(),
  /** [{ householdId, unitId }] in drawn order */
  allocation: jsonb('allocation').notNull(),
  drawnAt: timestamp('drawn_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * A criterion the policy allows to be waived ("in principle", e.g. KC-12(1)2's household size),
 * waived for one household by a manager: recorded with reason and expiry, revocable.
 */
export const qualificationExceptions = pgTable(
  'qualification_exceptions',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    householdId: integer('household_id')
      .notNull()
      .references(() => households.id),
    policyId: text('policy_id').notNull(),
    criterion: text('criterion').notNull(),
    reason: text('reason').notNull(),
    grantedBy: text('granted_by').notNull(),
    grantedOn: date('granted_on', { mode: 'string' }).notNull(),
    grantedAt: timestamp('granted_at', { withTimezone: true }).notNull().defaultNow(),
    /** the last day it applies */
    expiresOn: date('expires_on', { mode: 'string' }).notNull(),
    revokedBy: text('revoked_by'),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    revokeReason: text('revoke_reason'),
  },
  (t) => [index('qualification_exceptions_household_idx').on(t.householdId)],
);

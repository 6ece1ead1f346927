// What the bureau records about a household after registration: the changes the family reports
// (KC-14), and the special difficulties that earn Guiyang points (002).
import { date, index, integer, jsonb, pgEnum, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { households, persons } from '../db/schema.js';

export const householdChangeKind = pgEnum('household_change_kind', ['MEMBER_ADDED', 'MEMBER_LEFT', 'MEMBER_DIED', 'RELATION_CHANGED', 'HOUSING_CHANGED']);

/** KC-14: every change to a household's composition or housing, with what it was before. */
export const householdChanges = pgTable(
  'household_changes',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    householdId: integer('household_id')
      .notNull()
      .references(() => households.id),
    kind: householdChangeKind('kind').notNull(),
    personId: integer('person_id').references(() => persons.id),
    before: jsonb('before'),
    after: jsonb('after'),
    /** the day the change happened */
    effectiveOn: date('effective_on', { mode: 'string' }).notNull(),
    /** the day the family reported it */
    reportedOn: date('reported_on', { mode: 'string' }).notNull(),
    note: text('note'),
    recordedBy: text('recorded_by').notNull(),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('household_changes_household_idx').on(t.householdId, t.id)],
);

export const specialDifficultyKind = pgEnum('special_difficulty_kind', [
  'MODEL_WORKER_OR_SPECIAL_CARE',
  'LONELY_ELDERLY',
  'DISABILITY_1',
  'DISABILITY_2',
  'DISABILITY_3',
]);

export const specialDifficulties = pgTable(
  'special_difficulties',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    personId: integer('person_id')
      .notNull()
      .references(() => persons.id),
    householdId: integer('household_id')
      .notNull()
      .references(() => households.id),
    kind: specialDifficultyKind('kind').notNull(),
    certificateNo: text('certificate_no').notNull(),
    issuedBy: text('issued_by').notNull(),
    recordedBy: text('recorded_by').notNull(),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
    removedBy: text('removed_by'),
    removedAt: timestamp('removed_at', { withTimezone: true }),
    removalReason: text('removal_reason'),
  },
  (t) => [index('special_difficulties_household_idx').on(t.householdId)],
);

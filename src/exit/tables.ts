// Exit (KC-19, KC-20, KC-33, KC-36), inspection visits (KC-35(2)) and reports from the public (KC-37).
import { date, index, integer, jsonb, numeric, pgEnum, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { households, housingUnits, persons, tenancies } from '../db/schema.js';

/** KC-19 (1)–(7) */
export const exitGround = pgEnum('exit_ground', [
  'NOT_LIVING_IN_UNIT',
  'RENT_ARREARS',
  'UNREPORTED_CHANGE',
  'NO_LONGER_QUALIFIED',
  'SUBLET_LENT_OR_SWAPPED',
  'DAMAGED_OR_USE_CHANGED',
  'OTHER_LEGAL_GROUNDS',
]);
export const exitCaseStatus = pgEnum('exit_case_status', ['OPEN', 'NOTICE_SERVED', 'APPEALED', 'COMPLETED', 'WITHDRAWN']);

export const exitCases = pgTable(
  'exit_cases',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    householdId: integer('household_id')
      .notNull()
      .references(() => households.id),
    districtId: text('district_id').notNull(),
    tenancyId: integer('tenancy_id').references(() => tenancies.id),
    ground: exitGround('ground').notNull(),
    status: exitCaseStatus('status').notNull().default('OPEN'),
    /** the alert that led to it, if any (alerts.exit_case_id links back) */
    alertId: integer('alert_id'),
    openedOn: date('opened_on', { mode: 'string' }).notNull(),
    openedBy: text('opened_by').notNull(),
    summary: text('summary').notNull(),
    noticeServedOn: date('notice_served_on', { mode: 'string' }),
    /** the day the family must have left by */
    vacateBy: date('vacate_by', { mode: 'string' }),
    appealLodgedOn: date('appeal_lodged_on', { mode: 'string' }),
    appealOutcome: text('appeal_outcome'),
    closedOn: date('closed_on', { mode: 'string' }),
    /** rent still owed when the case completed: it stays owed (KC-36) */
    arrearsAtExit: numeric('arrears_at_exit', { precision: 12, scale: 2, mode: 'number' }),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('exit_cases_household_idx').on(t.householdId), index('exit_cases_district_status_idx').on(t.districtId, t.status, t.id)],
);

/** The case's record: every step, by whom, when. */
export const exitCaseEvents = pgTable(
  'exit_case_events',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    caseId: integer('case_id')
      .notNull()
      .references(() => exitCases.id),
    action: text('action').notNull(),
    status: exitCaseStatus('status').notNull(),
    on: date('on', { mode: 'string' }).notNull(),
    note: text('note'),
    by: text('by').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('exit_case_events_case_idx').on(t.caseId)],
);

export const inspectionPurpose = pgEnum('inspection_purpose', ['ROUTINE', 'COMPLAINT', 'REVIEW', 'EXIT']);
export const inspectionOutcome = pgEnum('inspection_outcome', ['NO_ISSUES', 'ISSUES_FOUND']);

/** KC-35(2): at least 2 staff, an adult member of the household present; KC-20: the unit at exit. */
export const inspections = pgTable(
  'inspections',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    unitId: integer('unit_id')
      .notNull()
      .references(() => housingUnits.id),
    householdId: integer('household_id').references(() => households.id),
    districtId: text('district_id').notNull(),
    purpose: inspectionPurpose('purpose').notNull(),
    visitedOn: date('visited_on', { mode: 'string' }).notNull(),
    /** the staff who made the visit (2 or more) */
    staff: jsonb('staff').notNull(),
    /** the adult member present; null only at an exit inspection of an empty unit */
    memberPresentId: integer('member_present_id').references(() => persons.id),
    outcome: inspectionOutcome('outcome').notNull(),
    findings: text('findings').notNull(),
    /** photo and document references: [{ ref, description }] */
    documents: jsonb('documents').notNull(),
    exitCaseId: integer('exit_case_id').references(() => exitCases.id),
    reportId: integer('report_id'),
    recordedBy: text('recorded_by').notNull(),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('inspections_unit_idx').on(t.unitId), index('inspections_household_idx').on(t.householdId)],
);

export const reportChannel = pgEnum('public_report_channel', ['PHONE', 'LETTER', 'ONLINE', 'IN_PERSON']);
export const reportStatus = pgEnum('public_report_status', ['RECEIVED', 'INVESTIGATING', 'ANSWERED']);
export const reportFinding = pgEnum('public_report_finding', ['CONFIRMED', 'NOT_CONFIRMED']);

/** KC-37: a report or complaint from the public, investigated and answered within set periods. */
export const publicReports = pgTable(
  'public_reports',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    districtId: text('district_id').notNull(),
    householdId: integer('household_id').references(() => households.id),
    unitId: integer('unit_id').references(() => housingUnits.id),
    channel: reportChannel('channel').notNull(),
    receivedOn: date('received_on', { mode: 'string' }).notNull(),
    allegation: text('allegation').notNull(),
    /** how to answer the reporter; null for an anonymous report */
    reporterContact: text('reporter_contact'),
    status: reportStatus('status').notNull().default('RECEIVED'),
    /** deadlines in working days (REPORT.* policy parameters) */
    investigateBy: date('investigate_by', { mode: 'string' }).notNull(),
    answerBy: date('answer_by', { mode: 'string' }).notNull(),
    finding: reportFinding('finding'),
    answer: text('answer'),
    answeredOn: date('answered_on', { mode: 'string' }),
    exitCaseId: integer('exit_case_id').references(() => exitCases.id),
    recordedBy: text('recorded_by').notNull(),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('public_reports_district_status_idx').on(t.districtId, t.status, t.id)],
);

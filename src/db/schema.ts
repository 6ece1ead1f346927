// The bureau's own records. Agency data lives in connectors/<agency>/ tables (later issues).
import { sql } from 'drizzle-orm';
import { check, date, index, integer, jsonb, numeric, pgEnum, pgTable, text, timestamp, uniqueIndex, varchar } from 'drizzle-orm/pg-core';

export const householdCategory = pgEnum('household_category', ['LOCAL', 'MIGRANT', 'NEW_CITIZEN']);
export const householdStatus = pgEnum('household_status', ['APPLICANT', 'UNDER_REVIEW', 'WAITLISTED', 'HOUSED', 'SUBSIDISED', 'EXITED']);
export const sex = pgEnum('sex', ['MALE', 'FEMALE']);
/** Relation to the head, fine enough to count Guiyang's generations (see GENERATION_OF in policy/points.ts). */
export const relation = pgEnum('relation_to_head', [
  'HEAD',
  'SPOUSE',
  'CHILD',
  'PARENT',
  'SIBLING',
  'OTHER',
  'GRANDPARENT',
  'GRANDCHILD',
  'GREAT_GRANDCHILD',
  'PARENT_IN_LAW',
  'CHILD_IN_LAW',
  'SIBLING_IN_LAW',
  'UNCLE_OR_AUNT',
  'NEPHEW_OR_NIECE',
]);
/** why a person is no longer a member of the household (KC-14 reported changes) */
export const memberLeftReason = pgEnum('member_left_reason', ['MOVED_OUT', 'DIED', 'OTHER']);
export const unitKind = pgEnum('unit_kind', ['PUBLIC_RENTAL', 'LOW_RENT']);
export const unitStatus = pgEnum('unit_status', ['FREE', 'OFFERED', 'OCCUPIED', 'UNAVAILABLE']);
export const housingTenure = pgEnum('housing_tenure', ['OWNED', 'RENTED', 'NONE']);
export const rentStandard = pgEnum('rent_standard', ['MINIMUM_ALLOWANCE', 'STANDARD']);
export const applicationStage = pgEnum('application_stage', ['SUBMITTED', 'PRELIMINARY_REVIEW', 'PUBLIC_NOTICE', 'COUNTY_REVIEW', 'APPROVED', 'REJECTED']);

const money = (name: string) => numeric(name, { precision: 12, scale: 2, mode: 'number' });
const area = (name: string) => numeric(name, { precision: 8, scale: 2, mode: 'number' });

export const districts = pgTable('districts', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  jurisdiction: text('jurisdiction').notNull(),
  /** the policy that governs the district's households: KC or GY (policies.id) */
  policyId: text('policy_id').notNull().default('KC'),
  createdBy: text('created_by').notNull().default('system'),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export const households = pgTable(
  'households',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    districtId: text('district_id')
      .notNull()
      .references(() => districts.id),
    category: householdCategory('category').notNull(),
    status: householdStatus('status').notNull(),
    applicationDate: date('application_date', { mode: 'string' }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('households_district_status_idx').on(t.districtId, t.status, t.id)],
);

export const persons = pgTable(
  'persons',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    householdId: integer('household_id')
      .notNull()
      .references(() => households.id),
    residentId: varchar('resident_id', { length: 18 }).notNull(),
    name: text('name').notNull(),
    birthDate: date('birth_date', { mode: 'string' }).notNull(),
    sex: sex('sex').notNull(),
    relation: relation('relation').notNull(),
    /** the day the person stopped being a member (moved out, died); null while a member */
    leftOn: date('left_on', { mode: 'string' }),
    leftReason: memberLeftReason('left_reason'),
  },
  (t) => [
    // a person is a current member of one household at most; former memberships stay as history
    uniqueIndex('persons_resident_id_key')
      .on(t.residentId)
      .where(sql`${t.leftOn} is null`),
    index('persons_resident_id_idx').on(t.residentId),
    index('persons_household_idx').on(t.householdId),
  ],
);

/** Where the household lives now (before being housed by the bureau): the area criterion reads this. */
export const currentHousing = pgTable(
  'current_housing',
  {
    householdId: integer('household_id')
      .primaryKey()
      .references(() => households.id),
    floorArea: area('floor_area').notNull(),
    tenure: housingTenure('tenure').notNull(),
  },
  (t) => [check('current_housing_area_nonnegative', sql`${t.floorArea} >= 0`)],
);

export const housingUnits = pgTable(
  'housing_units',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    districtId: text('district_id')
      .notNull()
      .references(() => districts.id),
    address: text('address').notNull(),
    floorArea: area('floor_area').notNull(),
    rooms: integer('rooms').notNull().default(1),
    kind: unitKind('kind').notNull().default('PUBLIC_RENTAL'),
    /** FREE -> OFFERED -> OCCUPIED -> FREE; UNAVAILABLE (with a reason) while repaired or withdrawn */
    status: unitStatus('status').notNull().default('FREE'),
    statusReason: text('status_reason'),
    createdBy: text('created_by').notNull().default('system'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('housing_units_address_key').on(t.address),
    index('housing_units_district_idx').on(t.districtId, t.status),
    check('housing_units_area_positive', sql`${t.floorArea} > 0`),
    check('housing_units_rooms_positive', sql`${t.rooms} > 0`),
  ],
);

export const tenancies = pgTable(
  'tenancies',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    unitId: integer('unit_id')
      .notNull()
      .references(() => housingUnits.id),
    householdId: integer('household_id')
      .notNull()
      .references(() => households.id),
    startDate: date('start_date', { mode: 'string' }).notNull(),
    endDate: date('end_date', { mode: 'string' }),
    rentStandard: rentStandard('rent_standard').notNull(),
    monthlyRent: money('monthly_rent').notNull(),
    /** the offer whose acceptance signed this tenancy; null for tenancies from before the hub */
    offerId: integer('offer_id'),
    endReason: text('end_reason'),
    createdBy: text('created_by').notNull().default('system'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('tenancies_household_idx').on(t.householdId),
    // a household has at most one running tenancy
    uniqueIndex('tenancies_one_active_per_household')
      .on(t.householdId)
      .where(sql`${t.endDate} is null`),
    // a unit has at most one running tenancy
    uniqueIndex('tenancies_one_active_per_unit')
      .on(t.unitId)
      .where(sql`${t.endDate} is null`),
  ],
);

export const rentLedger = pgTable(
  'rent_ledger',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    tenancyId: integer('tenancy_id')
      .notNull()
      .references(() => tenancies.id),
    /** first day of the month the rent is for */
    month: date('month', { mode: 'string' }).notNull(),
    amountDue: money('amount_due').notNull(),
    amountPaid: money('amount_paid').notNull().default(0),
    paidOn: date('paid_on', { mode: 'string' }),
  },
  (t) => [
    uniqueIndex('rent_ledger_tenancy_month_key').on(t.tenancyId, t.month),
    check('rent_ledger_amounts_nonnegative', sql`${t.amountDue} >= 0 and ${t.amountPaid} >= 0`),
  ],
);

export const applications = pgTable(
  'applications',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    householdId: integer('household_id')
      .notNull()
      .references(() => households.id),
    stage: applicationStage('stage').notNull(),
    submittedOn: date('submitted_on', { mode: 'string' }).notNull(),
    stageEnteredOn: date('stage_entered_on', { mode: 'string' }).notNull(),
    stageDeadline: date('stage_deadline', { mode: 'string' }),
  },
  (t) => [index('applications_household_idx').on(t.householdId)],
);

export const applicationEvents = pgTable(
  'application_events',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    applicationId: integer('application_id')
      .notNull()
      .references(() => applications.id),
    stage: applicationStage('stage').notNull(),
    enteredOn: date('entered_on', { mode: 'string' }).notNull(),
    deadline: date('deadline', { mode: 'string' }),
    note: text('note'),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('application_events_application_idx').on(t.applicationId)],
);

export const waitlistEntries = pgTable(
  'waitlist_entries',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    householdId: integer('household_id')
      .notNull()
      .references(() => households.id),
    districtId: text('district_id')
      .notNull()
      .references(() => districts.id),
    enteredOn: date('entered_on', { mode: 'string' }).notNull(),
    /** KC-23: a household still qualified after a year of waiting is re-queued */
    requeuedOn: date('requeued_on', { mode: 'string' }),
    /** the day the household lost its place (too many offers refused), and why */
    removedOn: date('removed_on', { mode: 'string' }),
    removedReason: text('removed_reason'),
  },
  (t) => [uniqueIndex('waitlist_entries_household_key').on(t.householdId), index('waitlist_entries_district_idx').on(t.districtId, t.enteredOn)],
);

/** A file the bureau imported (units, rent payments): the batch key makes a re-sent file a replay. */
export const importBatches = pgTable(
  'import_batches',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    /** what was imported: UNITS, RENT_PAYMENTS */
    kind: text('kind').notNull(),
    batchKey: text('batch_key').notNull(),
    /** SHA-256 of the records, so a key sent again with other content is told apart from a replay */
    digest: text('digest').notNull(),
    importedBy: text('imported_by').notNull(),
    importedAt: timestamp('imported_at', { withTimezone: true }).notNull().defaultNow(),
    /** counts and rejected records, as answered */
    result: jsonb('result').notNull(),
  },
  (t) => [uniqueIndex('import_batches_kind_key').on(t.kind, t.batchKey)],
);

export type HouseholdRowCategory = (typeof householdCategory.enumValues)[number];
export type RelationToHead = (typeof relation.enumValues)[number];
export type HousingTenureValue = (typeof housingTenure.enumValues)[number];

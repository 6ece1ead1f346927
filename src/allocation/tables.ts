// KC-13(4): a unit is offered to a household (by a lottery draw or directly); accepting the offer
// signs the tenancy, declining it or letting it lapse frees the unit again.
import { sql } from 'drizzle-orm';
import { date, index, integer, pgEnum, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { households, housingUnits } from '../db/schema.js';
import { lotteryDraws } from '../policy/tables.js';

export const offerStatus = pgEnum('offer_status', ['OPEN', 'ACCEPTED', 'DECLINED', 'EXPIRED', 'WITHDRAWN']);

export const offers = pgTable(
  'offers',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    householdId: integer('household_id')
      .notNull()
      .references(() => households.id),
    unitId: integer('unit_id')
      .notNull()
      .references(() => housingUnits.id),
    districtId: text('district_id').notNull(),
    /** the draw that made the offer; null for a direct allocation */
    drawId: integer('draw_id').references(() => lotteryDraws.id),
    status: offerStatus('status').notNull().default('OPEN'),
    offeredOn: date('offered_on', { mode: 'string' }).notNull(),
    /** the last day to accept, in working days from the offer (ALLOCATION.ACCEPT_WORKING_DAYS) */
    acceptBy: date('accept_by', { mode: 'string' }).notNull(),
    decidedOn: date('decided_on', { mode: 'string' }),
    decidedBy: text('decided_by'),
    /** why declined or withdrawn */
    reason: text('reason'),
    createdBy: text('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // never offered twice: one open offer per unit, and one per household
    uniqueIndex('offers_one_open_per_unit')
      .on(t.unitId)
      .where(sql`${t.status} = 'OPEN'`),
    uniqueIndex('offers_one_open_per_household')
      .on(t.householdId)
      .where(sql`${t.status} = 'OPEN'`),
    index('offers_household_idx').on(t.householdId),
    index('offers_open_accept_by_idx')
      .on(t.acceptBy)
      .where(sql`${t.status} = 'OPEN'`),
  ],
);

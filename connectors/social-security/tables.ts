import { date, index, numeric, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { provenance } from '../../src/agency/tables.js';

/** urban employee pension insurance paid, by month */
export const ssPensionContributions = pgTable(
  'ss_pension_contributions',
  {
    ...provenance(),
    residentId: text('resident_id').notNull(),
    month: date('month', { mode: 'string' }).notNull(),
    employer: text('employer').notNull(),
    amount: numeric('amount', { precision: 12, scale: 2, mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ name: 'ss_pension_key', columns: [t.residentId, t.month] })],
);

export const ssLabourContracts = pgTable(
  'ss_labour_contracts',
  {
    ...provenance(),
    residentId: text('resident_id').notNull(),
    employer: text('employer').notNull(),
    startDate: date('start_date', { mode: 'string' }).notNull(),
    endDate: date('end_date', { mode: 'string' }),
  },
  (t) => [primaryKey({ name: 'ss_contracts_key', columns: [t.residentId, t.employer, t.startDate] }), index('ss_contracts_person_idx').on(t.residentId)],
);

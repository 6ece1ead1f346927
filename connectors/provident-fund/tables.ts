import { date, numeric, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { provenance } from '../../src/agency/tables.js';

export const pfDeposits = pgTable(
  'pf_deposits',
  {
    ...provenance(),
    residentId: text('resident_id').notNull(),
    month: date('month', { mode: 'string' }).notNull(),
    employer: text('employer').notNull(),
    /** the monthly salary the deposit is computed on */
    base: numeric('base', { precision: 12, scale: 2, mode: 'number' }).notNull(),
    amount: numeric('amount', { precision: 12, scale: 2, mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ name: 'pf_deposits_key', columns: [t.residentId, t.month] })],
);

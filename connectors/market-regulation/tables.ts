import { date, index, numeric, pgEnum, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { provenance } from '../../src/agency/tables.js';

export const businessStatus = pgEnum('business_status', ['ACTIVE', 'CLOSED']);

export const mrBusinesses = pgTable(
  'mr_businesses',
  {
    ...provenance(),
    registrationNo: text('registration_no').notNull(),
    ownerResidentId: text('owner_resident_id').notNull(),
    name: text('name').notNull(),
    registeredCapital: numeric('registered_capital', { precision: 16, scale: 2, mode: 'number' }).notNull(),
    status: businessStatus('status').notNull(),
    registeredOn: date('registered_on', { mode: 'string' }).notNull(),
  },
  (t) => [primaryKey({ name: 'mr_businesses_key', columns: [t.registrationNo, t.ownerResidentId] }), index('mr_businesses_owner_idx').on(t.ownerResidentId)],
);

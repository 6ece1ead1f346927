import { date, index, numeric, pgEnum, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { provenance } from '../../src/agency/tables.js';

export const hukouKind = pgEnum('hukou_kind', ['URBAN', 'AGRICULTURAL']);

export const psHukou = pgTable(
  'ps_hukou',
  {
    ...provenance(),
    residentId: text('resident_id').notNull(),
    /** 6-digit administrative area code of the registration */
    areaCode: text('area_code').notNull(),
    kind: hukouKind('kind').notNull(),
    since: date('since', { mode: 'string' }).notNull(),
  },
  (t) => [primaryKey({ name: 'ps_hukou_key', columns: [t.residentId] })],
);

export const psVehicles = pgTable(
  'ps_vehicles',
  {
    ...provenance(),
    plate: text('plate').notNull(),
    ownerResidentId: text('owner_resident_id').notNull(),
    purchasePrice: numeric('purchase_price', { precision: 14, scale: 2, mode: 'number' }).notNull(),
    registeredOn: date('registered_on', { mode: 'string' }).notNull(),
    deregisteredOn: date('deregistered_on', { mode: 'string' }),
  },
  (t) => [primaryKey({ name: 'ps_vehicles_key', columns: [t.plate] }), index('ps_vehicles_owner_idx').on(t.ownerResidentId)],
);

export const psDeaths = pgTable(
  'ps_deaths',
  {
    ...provenance(),
    residentId: text('resident_id').notNull(),
    diedOn: date('died_on', { mode: 'string' }).notNull(),
  },
  (t) => [primaryKey({ name: 'ps_deaths_key', columns: [t.residentId] })],
);

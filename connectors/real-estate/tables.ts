import { date, index, numeric, pgEnum, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { provenance } from '../../src/agency/tables.js';

export const propertyKind = pgEnum('property_kind', ['HOME', 'RESIDENTIAL_LAND']);
export const disposalKind = pgEnum('disposal_kind', ['SOLD', 'GIFTED', 'EXPROPRIATED', 'DIVORCE_SPLIT', 'ENTRUSTED_SALE']);

/** homes and residential land held, with acquisition and disposal (KC-12 counts 3 years back) */
export const reProperties = pgTable(
  're_properties',
  {
    ...provenance(),
    certificateNo: text('certificate_no').notNull(),
    ownerResidentId: text('owner_resident_id').notNull(),
    kind: propertyKind('kind').notNull(),
    location: text('location').notNull(),
    floorArea: numeric('floor_area', { precision: 10, scale: 2, mode: 'number' }).notNull(),
    acquiredOn: date('acquired_on', { mode: 'string' }).notNull(),
    disposedOn: date('disposed_on', { mode: 'string' }),
    disposal: disposalKind('disposal'),
  },
  (t) => [primaryKey({ name: 're_properties_key', columns: [t.certificateNo, t.ownerResidentId] }), index('re_properties_owner_idx').on(t.ownerResidentId)],
);

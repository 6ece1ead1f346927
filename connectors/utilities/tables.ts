import { date, integer, numeric, pgEnum, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { provenance } from '../../src/agency/tables.js';

export const utilityKind = pgEnum('utility_kind', ['WATER', 'ELECTRICITY', 'GAS']);

/** monthly consumption per housing unit: water m³, electricity kWh, gas m³ */
export const utReadings = pgTable(
  'ut_readings',
  {
    ...provenance(),
    unitId: integer('unit_id').notNull(),
    month: date('month', { mode: 'string' }).notNull(),
    kind: utilityKind('kind').notNull(),
    quantity: numeric('quantity', { precision: 12, scale: 3, mode: 'number' }).notNull(),
    unit: text('unit').notNull(),
  },
  (t) => [primaryKey({ name: 'ut_readings_key', columns: [t.unitId, t.kind, t.month] })],
);

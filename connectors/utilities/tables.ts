import { date, integer, numeric, pgEnum, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
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
  (t) => [uniqueIndex('ut_readings_key').on(t.unitId, t.kind, t.month)],
);

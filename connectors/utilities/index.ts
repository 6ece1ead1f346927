// Water, power and gas suppliers: monthly consumption per housing unit.
import { z } from 'zod';
import { defineKind, type Connector } from '../../src/agency/connector.js';
import { month, oneOf, quantity } from '../../src/agency/fields.js';
import { utilityKind, utReadings } from './tables.js';

export const UNIT_OF = { WATER: 'm3', ELECTRICITY: 'kWh', GAS: 'm3' } as const;

export const reading = defineKind({
  kind: 'reading',
  table: utReadings,
  schema: z
    .strictObject({
      unitId: z.number().int().positive('must be a housing unit id'),
      month,
      kind: oneOf(utilityKind),
      quantity,
      unit: z.enum(['m3', 'kWh']),
    })
    .refine((r) => UNIT_OF[r.kind] === r.unit, {
      path: ['unit'],
      message: 'wrong unit for the kind: WATER and GAS are in m3, ELECTRICITY in kWh',
    }),
  key: ['unitId', 'kind', 'month'],
  // ut_readings is partitioned by month (drizzle/0013_partitioned_readings.sql)
  partitionedBy: 'month',
  subject: { type: 'unit', field: 'unitId' },
  asOf: (r) => r.month,
  example: { unitId: 1, month: '2026-10', kind: 'ELECTRICITY', quantity: 84.5, unit: 'kWh' },
  graphql: {
    type: 'UtilityReading',
    field: 'utilityUse',
    cardinality: 'monthly',
    orderBy: 'month',
    fieldDescription: 'monthly water, power and gas use, oldest first',
    descriptions: { unitId: "the bureau's housing unit id", unit: 'm3 for WATER and GAS, kWh for ELECTRICITY' },
  },
});

export const utilities = {
  agency: 'utilities',
  name: 'Water, power and gas suppliers',
  kinds: { reading },
} satisfies Connector;

// Public security (公安): hukou registration, motor vehicles, deaths.
import { z } from 'zod';
import { asOfBatch, defineKind, type Connector } from '../../src/agency/connector.js';
import { deathKind, isoDate, money, oneOf, residentId } from '../../src/agency/fields.js';
import { hukouKind, psDeaths, psHukou, psVehicles } from './tables.js';

export const hukou = defineKind({
  kind: 'hukou',
  table: psHukou,
  schema: z.strictObject({
    residentId,
    areaCode: z.string().regex(/^\d{6}$/, 'must be a 6-digit area code'),
    kind: oneOf(hukouKind),
    since: isoDate,
  }),
  key: ['residentId'],
  subject: { type: 'person', field: 'residentId' },
  asOf: asOfBatch,
  example: { residentId: '130827197504030356', areaCode: '130827', kind: 'URBAN', since: '1975-04-03' },
  graphql: {
    type: 'Hukou',
    description: 'Public security: hukou registration.',
    field: 'hukou',
    cardinality: 'one',
    descriptions: { areaCode: '6-digit area code' },
  },
});

export const vehicle = defineKind({
  kind: 'vehicle',
  table: psVehicles,
  schema: z.strictObject({
    plate: z.string().regex(/^[\u4e00-\u9fa5][A-Z][A-Z0-9]{5,6}$/, 'must be a plate such as 冀H12345'),
    ownerResidentId: residentId,
    purchasePrice: money,
    registeredOn: isoDate,
    deregisteredOn: isoDate.nullish().transform((v) => v ?? null),
  }),
  key: ['plate'],
  subject: { type: 'person', field: 'ownerResidentId' },
  asOf: asOfBatch,
  example: { plate: '冀H12345', ownerResidentId: '130827197504030356', purchasePrice: 98000, registeredOn: '2024-05-01', deregisteredOn: null },
  graphql: {
    type: 'Vehicle',
    description: 'Public security: a motor vehicle registered to the person.',
    field: 'vehicles',
    cardinality: 'many',
    descriptions: { plate: 'e.g. 冀H12345' },
  },
});

export const publicSecurity = {
  agency: 'public-security',
  name: 'Public security (公安)',
  kinds: { hukou, vehicle, death: deathKind(psDeaths) },
} satisfies Connector;

// Real-estate registry (不动产登记): homes and residential land owned, acquired and disposed of.
import { z } from 'zod';
import { asOfBatch, defineKind, type Connector } from '../../src/agency/connector.js';
import { isoDate, oneOf, quantity, residentId, text } from '../../src/agency/fields.js';
import { disposalKind, propertyKind, reProperties } from './tables.js';

export const property = defineKind({
  kind: 'property',
  table: reProperties,
  schema: z
    .strictObject({
      certificateNo: text(60),
      ownerResidentId: residentId,
      kind: oneOf(propertyKind),
      location: text(),
      floorArea: quantity,
      acquiredOn: isoDate,
      disposedOn: isoDate.nullish().transform((v) => v ?? null),
      disposal: oneOf(disposalKind)
        .nullish()
        .transform((v) => v ?? null),
    })
    .refine((p) => (p.disposedOn === null) === (p.disposal === null), {
      path: ['disposal'],
      message: 'disposedOn and disposal go together',
    })
    .refine((p) => p.disposedOn === null || p.disposedOn >= p.acquiredOn, { path: ['disposedOn'], message: 'must not be before acquiredOn' }),
  key: ['certificateNo', 'ownerResidentId'],
  subject: { type: 'person', field: 'ownerResidentId' },
  asOf: asOfBatch,
  example: {
    certificateNo: '冀(2021)宽城县不动产权第0001234号',
    ownerResidentId: '130827197504030356',
    kind: 'HOME',
    location: '宽城镇北园小区3-2-501',
    floorArea: 62.5,
    acquiredOn: '2021-05-20',
    disposedOn: '2025-08-01',
    disposal: 'SOLD',
  },
  graphql: { type: 'Property', field: 'properties', cardinality: 'many', descriptions: { disposal: 'with disposedOn' } },
});

export const realEstate = {
  agency: 'real-estate',
  name: 'Real-estate registry (不动产登记)',
  kinds: { property },
} satisfies Connector;

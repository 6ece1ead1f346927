// Market regulation (市场监管): business registrations and registered capital.
import { z } from 'zod';
import { asOfBatch, defineKind, type Connector } from '../../src/agency/connector.js';
import { isoDate, money, oneOf, residentId, text } from '../../src/agency/fields.js';
import { businessStatus, mrBusinesses } from './tables.js';

export const business = defineKind({
  kind: 'business',
  table: mrBusinesses,
  schema: z.strictObject({
    registrationNo: z.string().regex(/^[0-9A-Z]{18}$/, 'must be an 18-character unified social credit code'),
    ownerResidentId: residentId,
    name: text(),
    registeredCapital: money,
    status: oneOf(businessStatus),
    registeredOn: isoDate,
  }),
  key: ['registrationNo', 'ownerResidentId'],
  subject: { type: 'person', field: 'ownerResidentId' },
  asOf: asOfBatch,
  example: {
    registrationNo: '91130827MA0XXXXX1K',
    ownerResidentId: '130827197504030356',
    name: '宽城县小李超市',
    registeredCapital: 50000,
    status: 'ACTIVE',
    registeredOn: '2021-04-08',
  },
  graphql: { type: 'Business', field: 'businesses', cardinality: 'many', descriptions: { registrationNo: '18-character unified social credit code' } },
});

export const marketRegulation = {
  agency: 'market-regulation',
  name: 'Market regulation (市场监管)',
  kinds: { business },
} satisfies Connector;

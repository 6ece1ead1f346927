// Civil affairs (民政): allowance status, income assessments, marriage and divorce, deaths, disability certificates.
import { z } from 'zod';
import { asOfBatch, defineKind, type Connector } from '../../src/agency/connector.js';
import { deathKind, isoDate, money, oneOf, residentId, text } from '../../src/agency/fields.js';
import { allowanceStatus, caAllowances, caDeaths, caDisabilityCertificates, caIncomes, caMarital, disabilityCategory, maritalStatus } from './tables.js';

export const allowance = defineKind({
  kind: 'allowance',
  table: caAllowances,
  schema: z.strictObject({
    residentId,
    status: oneOf(allowanceStatus),
    since: isoDate,
    until: isoDate.nullish().transform((v) => v ?? null),
  }),
  key: ['residentId'],
  subject: { type: 'person', field: 'residentId' },
  asOf: asOfBatch,
  scheduledDates: ['until'],
  example: { residentId: '130827197504030356', status: 'MINIMUM_ALLOWANCE', since: '2025-03-01', until: '2027-02-28' },
  graphql: { type: 'Allowance', description: 'Civil affairs: minimum living allowance (低保) or low-income status.', field: 'allowance', cardinality: 'one' },
});

export const income = defineKind({
  kind: 'income',
  table: caIncomes,
  schema: z.strictObject({
    residentId,
    year: z.number().int().min(2000, 'must be 2000 or later').max(2100),
    annualIncome: money,
  }),
  key: ['residentId', 'year'],
  subject: { type: 'person', field: 'residentId' },
  asOf: asOfBatch,
  example: { residentId: '130827197504030356', year: 2025, annualIncome: 21600 },
  graphql: {
    type: 'Income',
    description: "Civil affairs: a person's assessed annual disposable income.",
    field: 'incomes',
    cardinality: 'many',
    orderBy: 'year',
  },
});

export const marital = defineKind({
  kind: 'marital',
  table: caMarital,
  schema: z.strictObject({ residentId, status: oneOf(maritalStatus), since: isoDate }),
  key: ['residentId'],
  subject: { type: 'person', field: 'residentId' },
  asOf: asOfBatch,
  example: { residentId: '130827197504030356', status: 'DIVORCED', since: '2019-06-12' },
  graphql: { type: 'MaritalRecord', field: 'maritalStatus', cardinality: 'one' },
});

export const disability = defineKind({
  kind: 'disability',
  table: caDisabilityCertificates,
  schema: z
    .strictObject({
      certificateNo: text(40),
      residentId,
      grade: z.number({ message: 'must be a number' }).int('must be a whole number').min(1, 'must be 1 to 4').max(4, 'must be 1 to 4'),
      category: oneOf(disabilityCategory),
      issuedOn: isoDate,
      validUntil: isoDate.nullish().transform((v) => v ?? null),
    })
    .refine((c) => c.validUntil === null || c.validUntil >= c.issuedOn, { path: ['validUntil'], message: 'must not be before issuedOn' }),
  key: ['certificateNo'],
  subject: { type: 'person', field: 'residentId' },
  asOf: asOfBatch,
  scheduledDates: ['validUntil'],
  example: {
    certificateNo: '13082719750403035642',
    residentId: '130827197504030356',
    grade: 2,
    category: 'PHYSICAL',
    issuedOn: '2023-03-15',
    validUntil: '2033-03-14',
  },
  graphql: {
    type: 'DisabilityCertificate',
    description:
      "Civil affairs (disabled persons' federation): a disability certificate (残疾人证). Grades 1-2 are severe (KC-16/17: floor change, rent reduction); grades 1-3 score Guiyang's special-difficulty points.",
    field: 'disabilityCertificates',
    cardinality: 'many',
    descriptions: { grade: '1 (most severe) to 4', validUntil: 'null: no end date' },
  },
});

export const civilAffairs = {
  agency: 'civil-affairs',
  name: 'Civil affairs (民政)',
  kinds: { allowance, income, marital, death: deathKind(caDeaths), disability },
} satisfies Connector;

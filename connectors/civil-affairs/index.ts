// Civil affairs (民政): allowance status, income assessments, marriage and divorce, deaths.
import { z } from 'zod';
import { asOfBatch, defineKind, type Connector } from '../../src/agency/connector.js';
import { deathKind, isoDate, money, oneOf, residentId } from '../../src/agency/fields.js';
import { allowanceStatus, caAllowances, caDeaths, caIncomes, caMarital, maritalStatus } from './tables.js';

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
  graphql: { type: 'Income', description: "Civil affairs: a person's assessed annual disposable income.", field: 'incomes', cardinality: 'many', orderBy: 'year' },
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

export const civilAffairs = {
  agency: 'civil-affairs',
  name: 'Civil affairs (民政)',
  kinds: { allowance, income, marital, death: deathKind(caDeaths) },
} satisfies Connector;

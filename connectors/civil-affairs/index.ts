// Civil affairs (民政): allowance status, income assessments, marriage and divorce, deaths.
import { z } from 'zod';
import { asOfBatch, defineKind, type Connector } from '../../src/agency/connector.js';
import { deathKind, isoDate, money, residentId } from '../../src/agency/fields.js';
import { caAllowances, caDeaths, caIncomes, caMarital } from './tables.js';

export const allowance = defineKind({
  kind: 'allowance',
  table: caAllowances,
  schema: z.strictObject({
    residentId,
    status: z.enum(['MINIMUM_ALLOWANCE', 'LOW_INCOME', 'NONE']),
    since: isoDate,
    until: isoDate.nullish().transform((v) => v ?? null),
  }),
  key: ['residentId'],
  subject: { type: 'person', field: 'residentId' },
  asOf: asOfBatch,
  scheduledDates: ['until'],
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
});

export const marital = defineKind({
  kind: 'marital',
  table: caMarital,
  schema: z.strictObject({ residentId, status: z.enum(['SINGLE', 'MARRIED', 'DIVORCED', 'WIDOWED']), since: isoDate }),
  key: ['residentId'],
  subject: { type: 'person', field: 'residentId' },
  asOf: asOfBatch,
});


export const civilAffairs: Connector = {
  agency: 'civil-affairs',
  name: 'Civil affairs (民政)',
  kinds: { allowance, income, marital, death: deathKind(caDeaths) },
};

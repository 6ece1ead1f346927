// Human resources and social security (人社): pension contributions by month, labour contracts.
import { z } from 'zod';
import { asOfBatch, defineKind, type Connector } from '../../src/agency/connector.js';
import { isoDate, money, month, residentId, text } from '../../src/agency/fields.js';
import { ssLabourContracts, ssPensionContributions } from './tables.js';

export const pension = defineKind({
  kind: 'pension',
  table: ssPensionContributions,
  schema: z.strictObject({ residentId, month, employer: text(), amount: money }),
  key: ['residentId', 'month'],
  subject: { type: 'person', field: 'residentId' },
  asOf: (r) => r.month,
  example: { residentId: '130827197504030356', month: '2026-10', employer: '宽城满族自治县建筑公司', amount: 672 },
  graphql: {
    type: 'PensionContribution',
    field: 'pensionContributions',
    cardinality: 'monthly',
    orderBy: 'month',
    fieldDescription: 'months in [from, to], oldest first',
  },
});

export const contract = defineKind({
  kind: 'contract',
  table: ssLabourContracts,
  schema: z
    .strictObject({ residentId, employer: text(), startDate: isoDate, endDate: isoDate.nullish().transform((v) => v ?? null) })
    .refine((c) => c.endDate === null || c.endDate >= c.startDate, { path: ['endDate'], message: 'must not be before startDate' }),
  key: ['residentId', 'employer', 'startDate'],
  subject: { type: 'person', field: 'residentId' },
  asOf: asOfBatch,
  scheduledDates: ['endDate'],
  example: { residentId: '130827197504030356', employer: '宽城满族自治县建筑公司', startDate: '2024-01-01', endDate: '2026-12-31' },
  graphql: { type: 'LabourContract', field: 'labourContracts', cardinality: 'many', descriptions: { endDate: 'not before startDate' } },
});

export const socialSecurity = {
  agency: 'social-security',
  name: 'Human resources and social security (人社)',
  kinds: { pension, contract },
} satisfies Connector;

// Housing provident fund centre (公积金): monthly deposits with employer and salary base.
import { z } from 'zod';
import { defineKind, type Connector } from '../../src/agency/connector.js';
import { money, month, residentId, text } from '../../src/agency/fields.js';
import { pfDeposits } from './tables.js';

export const deposit = defineKind({
  kind: 'deposit',
  table: pfDeposits,
  schema: z.strictObject({ residentId, month, employer: text(), base: money, amount: money }),
  key: ['residentId', 'month'],
  subject: { type: 'person', field: 'residentId' },
  asOf: (r) => r.month,
  example: { residentId: '130827197504030356', month: '2026-10', employer: '宽城满族自治县建筑公司', base: 4200, amount: 504 },
  graphql: { type: 'ProvidentFundDeposit', field: 'providentFundDeposits', cardinality: 'monthly', orderBy: 'month' },
});

export const providentFund = {
  agency: 'provident-fund',
  name: 'Housing provident fund centre (公积金)',
  kinds: { deposit },
} satisfies Connector;

import { date, index, integer, pgEnum, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { numeric } from 'drizzle-orm/pg-core';
import { provenance } from '../../src/agency/tables.js';

export const allowanceStatus = pgEnum('allowance_status', ['MINIMUM_ALLOWANCE', 'LOW_INCOME', 'NONE']);
export const maritalStatus = pgEnum('marital_status', ['SINGLE', 'MARRIED', 'DIVORCED', 'WIDOWED']);
export const disabilityCategory = pgEnum('disability_category', ['VISUAL', 'HEARING', 'SPEECH', 'PHYSICAL', 'INTELLECTUAL', 'MENTAL', 'MULTIPLE']);

/** 低保 / low-income status: decides the rent standard (KC-15) */
export const caAllowances = pgTable(
  'ca_allowances',
  {
    ...provenance(),
    residentId: text('resident_id').notNull(),
    status: allowanceStatus('status').notNull(),
    since: date('since', { mode: 'string' }).notNull(),
    until: date('until', { mode: 'string' }),
  },
  (t) => [primaryKey({ name: 'ca_allowances_key', columns: [t.residentId] })],
);

/** household income assessment: a person's annual disposable income for a year */
export const caIncomes = pgTable(
  'ca_incomes',
  {
    ...provenance(),
    residentId: text('resident_id').notNull(),
    year: integer('year').notNull(),
    annualIncome: numeric('annual_income', { precision: 14, scale: 2, mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ name: 'ca_incomes_key', columns: [t.residentId, t.year] })],
);

export const caMarital = pgTable(
  'ca_marital',
  {
    ...provenance(),
    residentId: text('resident_id').notNull(),
    status: maritalStatus('status').notNull(),
    since: date('since', { mode: 'string' }).notNull(),
  },
  (t) => [primaryKey({ name: 'ca_marital_key', columns: [t.residentId] })],
);

export const caDeaths = pgTable(
  'ca_deaths',
  {
    ...provenance(),
    residentId: text('resident_id').notNull(),
    diedOn: date('died_on', { mode: 'string' }).notNull(),
  },
  (t) => [primaryKey({ name: 'ca_deaths_key', columns: [t.residentId] })],
);

/** 残疾人证: severe disability (grades 1-2) opens KC-16/17's floor change and rent reduction; grades 1-3 score Guiyang's points */
export const caDisabilityCertificates = pgTable(
  'ca_disability_certificates',
  {
    ...provenance(),
    certificateNo: text('certificate_no').notNull(),
    residentId: text('resident_id').notNull(),
    grade: integer('grade').notNull(),
    category: disabilityCategory('category').notNull(),
    issuedOn: date('issued_on', { mode: 'string' }).notNull(),
    validUntil: date('valid_until', { mode: 'string' }),
  },
  (t) => [primaryKey({ name: 'ca_disability_certificates_key', columns: [t.certificateNo] }), index('ca_disability_person_idx').on(t.residentId)],
);

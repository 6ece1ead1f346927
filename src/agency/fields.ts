// Field types shared by every agency's record schemas: the edge where feeds are validated.
import { z } from 'zod';
import { asOfBatch, defineKind, type AgencyTable } from './connector.js';
import { parseResidentId } from '../domain/resident-id.js';

export const residentId = z
  .string({ message: 'must be a resident ID string' })
  .overwrite((v) => v.toUpperCase())
  .superRefine((value, ctx) => {
    const check = parseResidentId(value);
    if (!check.ok) ctx.addIssue({ code: 'custom', message: `invalid resident ID: ${check.reason}` });
  });

export const isoDate = z.iso.date({ message: 'must be a date YYYY-MM-DD' });

/** `YYYY-MM`, stored as the first day of the month */
export const month = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be a month YYYY-MM')
  .overwrite((m) => `${m}-01`);

// how large a number may be is the column's to say (column-limits.ts), for every field alike
export const money = z.number({ message: 'must be a number (yuan)' }).finite().min(0, 'must not be negative');

export const quantity = z.number({ message: 'must be a number' }).finite().min(0, 'must not be negative');

export const text = (max = 200) => z.string().trim().min(1, 'must not be empty').max(max, `at most ${max} characters`);

/** Deaths, as both civil affairs and public security report them. */
export function deathKind<T extends AgencyTable>(table: T) {
  return defineKind({
    kind: 'death',
    table,
    schema: z.strictObject({ residentId, diedOn: isoDate }),
    key: ['residentId'],
    subject: { type: 'person', field: 'residentId' },
    asOf: asOfBatch,
  });
}

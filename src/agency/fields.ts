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

/**
 * How a field is sent when that differs from how it is stored and shown: a month is fed as
 * "YYYY-MM" (a String) but kept and shown as its first day (a Date). src/agency/sdl.ts reads it.
 */
export const feedAs = z.registry<{ graphql: string; description: string }>();

/** `YYYY-MM`, stored as the first day of the month */
export const month = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be a month YYYY-MM')
  .overwrite((m) => `${m}-01`)
  .register(feedAs, { graphql: 'String', description: 'YYYY-MM' });

/** A zod enum of a pgEnum's values: the database's list is the only one. */
export const oneOf = <const V extends [string, ...string[]]>(pgEnum: { enumValues: V }) => z.enum(pgEnum.enumValues);

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
    example: { residentId: '130827197504030356', diedOn: '2026-10-30' },
  });
}

// What the exit, inspection and report services share: input shapes and the district's policy numbers.
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../db/client.js';
import { districts } from '../db/schema.js';
import { parametersAsOf } from '../policy/service.js';

export const id = (what: string) =>
  z.coerce
    .number({ message: `must be ${what} id` })
    .int(`must be ${what} id`)
    .positive(`must be ${what} id`);

export const isoDate = z.iso.date({ message: 'must be a date YYYY-MM-DD' });

/** a day something happened: not after the bureau's today */
export const pastDate = (today: string) => isoDate.refine((d) => d <= today, 'must not be in the future');

export const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max, `at most ${max} characters`);

export const note = z.string().trim().max(2000, 'at most 2000 characters').nullish();

/** A policy number of the district's policy (districts.policy_id) in force on a day. */
export async function districtParameter(db: Db, districtId: string, code: string, asOf: string): Promise<number> {
  const [district] = await db.select({ policyId: districts.policyId }).from(districts).where(eq(districts.id, districtId));
  if (!district) throw new Error(`district ${districtId} not found`);
  const value = (await parametersAsOf(db, district.policyId, asOf)).get(code)?.value;
  // the seed writes every parameter for every policy: a missing one is a broken installation, not bad input
  if (value === undefined) throw new Error(`policy ${district.policyId} has no parameter ${code} in force on ${asOf}`);
  return value;
}

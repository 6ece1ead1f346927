// Districts the bureau works in, each governed by one policy (KC or GY): created and renamed by an ADMIN.
import { asc, eq } from 'drizzle-orm';
import { z } from 'zod';
import { isUniqueViolation, type Db } from '../db/client.js';
import { districts } from '../db/schema.js';
import { badUserInput, conflict, parseInput } from '../errors.js';
import { policies } from '../policy/tables.js';
import { withoutNulls } from './input.js';

export type DistrictRow = typeof districts.$inferSelect;
/** the policy a district is governed by */
export type PolicyRow = typeof policies.$inferSelect;

/** KC-KCZ: letters, digits and inner dashes, kept upper case so one district has one spelling */
export const districtIdSchema = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z0-9](?:[A-Z0-9-]*[A-Z0-9])?$/, 'must be letters, digits and dashes (e.g. KC-KCZ), not starting or ending with a dash')
  .max(20, 'at most 20 characters');

const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max, `at most ${max} characters`);
const policyId = z.string().trim().min(1, 'must not be empty');

const createSchema = z.object({
  id: districtIdSchema,
  name: text(100),
  jurisdiction: text(100),
  policyId,
});

const updateSchema = z.object({
  id: z.string().trim().min(1, 'must not be empty'),
  name: text(100).optional(),
  jurisdiction: text(100).optional(),
  policyId: policyId.optional(),
});

export type CreateDistrictInput = z.input<typeof createSchema>;
export type UpdateDistrictInput = z.input<typeof updateSchema>;

async function assertPolicy(db: Db, id: string): Promise<void> {
  const known = await db.select({ id: policies.id }).from(policies).orderBy(asc(policies.id));
  if (!known.some((p) => p.id === id)) {
    throw badUserInput('input.policyId', `unknown policy ${id}; one of ${known.map((p) => p.id).join(', ')}`);
  }
}

export async function listDistricts(db: Db): Promise<DistrictRow[]> {
  return db.select().from(districts).orderBy(asc(districts.id));
}

export async function createDistrict(db: Db, raw: unknown, by: string): Promise<DistrictRow> {
  const input = parseInput(createSchema, raw);
  await assertPolicy(db, input.policyId);
  try {
    const [row] = await db
      .insert(districts)
      .values({ ...input, createdBy: by })
      .onConflictDoNothing()
      .returning();
    if (!row) throw conflict('input.id', `district ${input.id} exists already`);
    return row;
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict('input.id', `district ${input.id} exists already`);
    throw error;
  }
}

export async function updateDistrict(db: Db, raw: unknown, _by: string): Promise<DistrictRow> {
  const { id, ...changes } = parseInput(updateSchema, withoutNulls(raw));
  if (changes.policyId !== undefined) await assertPolicy(db, changes.policyId);
  const [row] = await db
    .update(districts)
    .set({ ...changes, updatedAt: new Date() })
    .where(eq(districts.id, id.toUpperCase()))
    .returning();
  if (!row) throw badUserInput('input.id', `no district ${id}`);
  return row;
}

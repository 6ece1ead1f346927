// The bureau's housing stock: units with their district, size and kind, and whether they can be let.
// Status moves FREE -> OFFERED -> OCCUPIED -> FREE through allocation and exit; here only a FREE unit
// is withdrawn (UNAVAILABLE, with a reason: repairs, demolition) and an UNAVAILABLE one returned.
import { and, eq, ilike, inArray, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { withinScope, type DistrictScope } from '../auth/scope.js';
import type { Connection } from '../db/batch.js';
import { keysetPage } from '../db/pages.js';
import { isUniqueViolation, type Db } from '../db/client.js';
import { districts, housingUnits, unitKind, unitStatus } from '../db/schema.js';
import { badUserInput, conflict, parseInput } from '../errors.js';
import { withoutNulls } from './input.js';

export type UnitRow = typeof housingUnits.$inferSelect;
export type UnitKind = (typeof unitKind.enumValues)[number];
export type UnitStatus = (typeof unitStatus.enumValues)[number];

/** one spelling per address: outer spaces dropped, inner runs of white space made one space */
export const addressSchema = z
  .string()
  .transform((s) => s.trim().replace(/\s+/g, ' '))
  .pipe(z.string().min(1, 'must not be empty').max(200, 'at most 200 characters'));

export const floorAreaSchema = z
  .number({ message: 'must be a number of m²' })
  .finite()
  .gt(0, 'must be more than 0 m²')
  .max(1000, 'at most 1000 m²')
  // the column keeps cents of a m²
  .transform((n) => Math.round(n * 100) / 100);

export const roomsSchema = z.number({ message: 'must be a whole number' }).int('must be a whole number').min(1, 'at least 1').max(20, 'at most 20');
export const kindSchema = z.enum(unitKind.enumValues, { message: `must be one of ${unitKind.enumValues.join(', ')}` });

const unitIdSchema = z.union([z.string(), z.number()]).transform((v, ctx) => {
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < 1) {
    ctx.addIssue({ code: 'custom', message: 'not a housing unit id' });
    return z.NEVER;
  }
  return n;
});

const createSchema = z.object({
  districtId: z.string().trim().min(1, 'must not be empty'),
  address: addressSchema,
  floorArea: floorAreaSchema,
  rooms: roomsSchema,
  kind: kindSchema,
});

const updateSchema = z.object({
  unitId: unitIdSchema,
  address: addressSchema.optional(),
  floorArea: floorAreaSchema.optional(),
  rooms: roomsSchema.optional(),
  kind: kindSchema.optional(),
});

const availabilitySchema = z
  .object({
    unitId: unitIdSchema,
    available: z.boolean(),
    reason: z.string().trim().max(500, 'at most 500 characters').nullish(),
  })
  .refine((i) => i.available || !!i.reason, { path: ['reason'], message: 'say why the unit is withdrawn (repairs, demolition, …)' });

export type CreateHousingUnitInput = z.input<typeof createSchema>;

export interface HousingUnitFilter {
  districtId?: string | null;
  status?: UnitStatus | null;
  kind?: UnitKind | null;
  addressContains?: string | null;
}

function filterConditions(filter: HousingUnitFilter | null | undefined, scope: DistrictScope): (SQL | undefined)[] {
  const conditions: (SQL | undefined)[] = [withinScope(housingUnits.districtId, scope)];
  if (filter?.districtId) conditions.push(eq(housingUnits.districtId, filter.districtId));
  if (filter?.status) conditions.push(eq(housingUnits.status, filter.status));
  if (filter?.kind) conditions.push(eq(housingUnits.kind, filter.kind));
  if (filter?.addressContains?.trim()) {
    const escaped = filter.addressContains.trim().replace(/[\\%_]/g, (c) => `\\${c}`);
    conditions.push(ilike(housingUnits.address, `%${escaped}%`));
  }
  return conditions;
}

export type HousingUnitConnectionView = Connection<UnitRow>;

/** oldest first, within the scope's districts */
export async function listHousingUnits(
  db: Db,
  args: { filter?: HousingUnitFilter | null; first?: number | null; after?: string | null },
  scope: DistrictScope,
  maxPageSize: number,
): Promise<HousingUnitConnectionView> {
  return keysetPage(
    db,
    { table: housingUnits, id: housingUnits.id, cursor: 'unit', order: 'oldest first' },
    () => filterConditions(args.filter, scope),
    args,
    maxPageSize,
  );
}

export async function findHousingUnit(db: Db, id: string | number): Promise<UnitRow | null> {
  const n = Number(id);
  if (!Number.isSafeInteger(n) || n < 1) return null;
  const [row] = await db.select().from(housingUnits).where(eq(housingUnits.id, n));
  return row ?? null;
}

const addressTaken = (address: string) => conflict('input.address', `a unit at ${address} is registered already`);

export async function createHousingUnit(db: Db, raw: unknown, by: string): Promise<UnitRow> {
  const input = parseInput(createSchema, raw);
  const [district] = await db.select({ id: districts.id }).from(districts).where(eq(districts.id, input.districtId));
  if (!district) throw badUserInput('input.districtId', `unknown district ${input.districtId}`);
  try {
    const [row] = await db
      .insert(housingUnits)
      .values({ ...input, status: 'FREE', createdBy: by })
      .onConflictDoNothing({ target: housingUnits.address })
      .returning();
    if (!row) throw addressTaken(input.address);
    return row;
  } catch (error) {
    if (isUniqueViolation(error)) throw addressTaken(input.address);
    throw error;
  }
}

/** Address, size, rooms and kind; the status belongs to allocation, exit and setUnitAvailability. */
export async function updateHousingUnit(db: Db, raw: unknown, _by: string): Promise<UnitRow> {
  const { unitId, ...changes } = parseInput(updateSchema, withoutNulls(raw));
  try {
    const [row] = await db
      .update(housingUnits)
      .set({ ...changes, updatedAt: new Date() })
      .where(eq(housingUnits.id, unitId))
      .returning();
    if (!row) throw badUserInput('input.unitId', 'no housing unit with this id');
    return row;
  } catch (error) {
    if (isUniqueViolation(error)) throw addressTaken(changes.address ?? '');
    throw error;
  }
}

const WHY_NOT: Record<UnitStatus, string> = {
  FREE: '',
  UNAVAILABLE: '',
  OFFERED: 'is OFFERED to a household: the offer must be accepted, declined or lapse first',
  OCCUPIED: 'is OCCUPIED: a let unit is withdrawn only after its tenancy ends',
};

/**
 * FREE <-> UNAVAILABLE. Withdrawing needs a reason (a withdrawn unit may be withdrawn again to correct
 * it); an OFFERED or OCCUPIED unit is refused. One conditional UPDATE, so an offer made at the same
 * moment (which needs the unit FREE) and a withdrawal never both succeed.
 */
export async function setUnitAvailability(db: Db, raw: unknown, _by: string): Promise<UnitRow> {
  const input = parseInput(availabilitySchema, raw);
  const [row] = await db
    .update(housingUnits)
    .set(
      input.available
        ? { status: 'FREE', statusReason: null, updatedAt: new Date() }
        : { status: 'UNAVAILABLE', statusReason: input.reason!, updatedAt: new Date() },
    )
    .where(and(eq(housingUnits.id, input.unitId), inArray(housingUnits.status, ['FREE', 'UNAVAILABLE'])))
    .returning();
  if (row) return row;
  const current = await findHousingUnit(db, input.unitId);
  if (!current) throw badUserInput('input.unitId', 'no housing unit with this id');
  throw conflict('input.unitId', `unit ${current.id} ${WHY_NOT[current.status]}`);
}

// Reading and registering households: the service layer the resolvers call.
import { and, eq, exists, ilike, inArray, isNull, or, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { Connection } from '../db/batch.js';
import { keysetPage, type ReadAlong } from '../db/pages.js';
import { isUniqueViolation, type Db } from '../db/client.js';
import {
  applicationEvents,
  applications,
  currentHousing,
  districts,
  householdCategory,
  householdStatus,
  households,
  housingTenure,
  housingUnits,
  persons,
  relation,
  tenancies,
} from '../db/schema.js';
import { alerts } from '../detection/tables.js';
import { withinScope, type DistrictScope } from '../auth/scope.js';
import { parseResidentId } from '../domain/resident-id.js';
import { badUserInput, parseInput } from '../errors.js';
import type { HouseholdRow } from './loaders.js';

export interface HouseholdFilter {
  districtId?: string | null;
  status?: HouseholdRow['status'] | null;
  category?: HouseholdRow['category'] | null;
  search?: string | null;
  hasOpenAlerts?: boolean | null;
}

/** 18 characters shaped like a resident ID: searched whole, never by part (a part would let a caller probe masked digits) */
const RESIDENT_ID_SHAPED = /^\d{17}[\dX]$/;

const SEARCH_MAX = 100;

/** `%`, `_` and `\` typed by a person are matched as themselves */
const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * One search box: a whole resident ID finds the household a current member belongs to; anything else
 * finds current members' names and the running tenancy's unit address containing it.
 */
function searchCondition(raw: string): SQL | undefined {
  const text = raw.trim();
  if (!text) return undefined;
  if (text.length > SEARCH_MAX) throw badUserInput('filter.search', `at most ${SEARCH_MAX} characters`);
  const id = text.toUpperCase();
  if (RESIDENT_ID_SHAPED.test(id))
    return exists(
      sql`(select 1 from ${persons} where ${persons.householdId} = ${households.id} and ${persons.leftOn} is null and ${persons.residentId} = ${id})`,
    );
  const pattern = likePattern(text);
  return or(
    exists(sql`(select 1 from ${persons} where ${persons.householdId} = ${households.id} and ${persons.leftOn} is null and ${ilike(persons.name, pattern)})`),
    exists(
      sql`(select 1 from ${tenancies} join ${housingUnits} on ${housingUnits.id} = ${tenancies.unitId} where ${tenancies.householdId} = ${households.id} and ${tenancies.endDate} is null and ${ilike(housingUnits.address, pattern)})`,
    ),
  );
}

function filterConditions(filter: HouseholdFilter | null | undefined, scope: DistrictScope): (SQL | undefined)[] {
  const conditions: (SQL | undefined)[] = [withinScope(households.districtId, scope)];
  if (filter?.districtId) conditions.push(eq(households.districtId, filter.districtId));
  if (filter?.status) conditions.push(eq(households.status, filter.status));
  if (filter?.category) conditions.push(eq(households.category, filter.category));
  if (filter?.search) conditions.push(searchCondition(filter.search));
  if (typeof filter?.hasOpenAlerts === 'boolean') {
    const open = exists(sql`(select 1 from ${alerts} where ${alerts.householdId} = ${households.id} and ${alerts.status} = 'OPEN')`);
    conditions.push(filter.hasOpenAlerts ? open : sql`not ${open}`);
  }
  return conditions;
}

export type HouseholdConnectionView = Connection<HouseholdRow>;

/** oldest first, within the scope's districts; `along`: what the page's fields will read, read in the same statement */
export async function listHouseholds(
  db: Db,
  args: { filter?: HouseholdFilter | null; first?: number | null; after?: string | null },
  scope: DistrictScope,
  maxPageSize: number,
  along?: ReadAlong,
  prepared?: boolean,
): Promise<HouseholdConnectionView & { along?: unknown }> {
  return keysetPage(
    db,
    { table: households, id: households.id, cursor: 'household', order: 'oldest first' },
    () => filterConditions(args.filter, scope),
    args,
    maxPageSize,
    along,
    prepared,
  );
}

export const isoDate = z.iso.date({ message: 'must be a date YYYY-MM-DD' });

export const memberSchema = z
  .object({
    residentId: z.string().superRefine((value, ctx) => {
      const check = parseResidentId(value);
      if (!check.ok) ctx.addIssue({ code: 'custom', message: `invalid resident ID: ${check.reason}` });
    }),
    name: z.string().trim().min(1, 'must not be empty').max(50, 'at most 50 characters'),
    birthDate: isoDate,
    relation: z.enum(relation.enumValues),
  })
  .superRefine((m, ctx) => {
    const check = parseResidentId(m.residentId);
    if (check.ok && check.parts.birthDate !== m.birthDate) {
      ctx.addIssue({
        code: 'custom',
        path: ['birthDate'],
        message: 'does not match the birth date in the resident ID',
      });
    }
  })
  .transform((m) => {
    const residentId = m.residentId.toUpperCase();
    const check = parseResidentId(residentId);
    return { ...m, residentId, sex: check.ok ? check.parts.sex : ('MALE' as const) };
  });

export function registerHouseholdSchema(today: string) {
  return z
    .object({
      districtId: z.string().min(1, 'must not be empty'),
      category: z.enum(householdCategory.enumValues),
      applicationDate: isoDate.refine((d) => d <= today, 'must not be in the future').nullish(),
      members: z.array(memberSchema).min(1, 'at least one member').max(20, 'at most 20 members'),
      currentHousing: z
        .object({
          floorArea: z.number().finite().min(0, 'must not be negative').max(10_000, 'at most 10,000 m²'),
          tenure: z.enum(housingTenure.enumValues),
        })
        .refine((h) => h.tenure !== 'NONE' || h.floorArea === 0, {
          path: ['floorArea'],
          message: 'must be 0 when the household has no housing (tenure NONE)',
        }),
    })
    .superRefine((input, ctx) => {
      const heads = input.members.filter((m) => m.relation === 'HEAD').length;
      if (heads !== 1) {
        ctx.addIssue({ code: 'custom', path: ['members'], message: `must have exactly one HEAD, found ${heads}` });
      }
      const seen = new Set<string>();
      input.members.forEach((m, i) => {
        if (seen.has(m.residentId)) {
          ctx.addIssue({ code: 'custom', path: ['members', i, 'residentId'], message: 'listed twice' });
        }
        seen.add(m.residentId);
      });
    });
}

export type RegisterHouseholdInput = z.input<ReturnType<typeof registerHouseholdSchema>>;

/** Validates everything before writing anything; the whole household is written in one transaction. */
export async function registerHousehold(db: Db, raw: unknown, today: string): Promise<HouseholdRow> {
  const input = parseInput(registerHouseholdSchema(today), raw);
  const applicationDate = input.applicationDate ?? today;

  const [district] = await db.select({ id: districts.id }).from(districts).where(eq(districts.id, input.districtId));
  if (!district) throw badUserInput('input.districtId', `unknown district ${input.districtId}`);

  const residentIds = input.members.map((m) => m.residentId);
  const taken = await db
    .select({ residentId: persons.residentId })
    .from(persons)
    .where(and(inArray(persons.residentId, residentIds), isNull(persons.leftOn)));
  if (taken.length) {
    const index = residentIds.indexOf(taken[0]!.residentId);
    throw badUserInput(`input.members[${index}].residentId`, 'already registered in another household');
  }

  try {
    return await db.transaction(async (tx) => {
      const [household] = await tx
        .insert(households)
        .values({
          districtId: input.districtId,
          category: input.category,
          status: 'APPLICANT' satisfies (typeof householdStatus.enumValues)[number],
          applicationDate,
        })
        .returning();
      const householdId = household!.id;
      await tx.insert(persons).values(
        input.members.map((m) => ({
          householdId,
          residentId: m.residentId,
          name: m.name,
          birthDate: m.birthDate,
          sex: m.sex,
          relation: m.relation,
        })),
      );
      await tx.insert(currentHousing).values({ householdId, ...input.currentHousing });
      const [application] = await tx
        .insert(applications)
        .values({ householdId, stage: 'SUBMITTED', submittedOn: applicationDate, stageEnteredOn: applicationDate })
        .returning({ id: applications.id });
      await tx.insert(applicationEvents).values({ applicationId: application!.id, stage: 'SUBMITTED', enteredOn: applicationDate });
      return household!;
    });
  } catch (error) {
    // two registrations of the same person racing each other
    if (isUniqueViolation(error)) throw badUserInput('input.members', 'a member was registered meanwhile');
    throw error;
  }
}

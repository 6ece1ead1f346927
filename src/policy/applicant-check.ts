// A check before registration: resident IDs and what the family declares, evaluated on what the
// agencies know, with every point where the declaration and the agencies disagree.
import { and, eq, inArray, isNull, notInArray } from 'drizzle-orm';
import { z } from 'zod';
import { residentId } from '../agency/fields.js';
import type { AgencyLoaders } from '../agency/loaders.js';
import { forbidden } from '../auth/caller.js';
import type { Db } from '../db/client.js';
import { households, persons } from '../db/schema.js';
import { parseResidentId } from '../domain/resident-id.js';
import { parseInput } from '../errors.js';
import { homesHeldWithin, incomeYear, MEASURES, vehiclesHeld, type HouseholdFacts } from './engine.js';
import { factsOf } from './facts.js';

const schema = z.object({
  category: z.enum(['LOCAL', 'MIGRANT', 'NEW_CITIZEN']),
  members: z
    .array(
      z.object({
        residentId,
        relation: z.enum(['HEAD', 'SPOUSE', 'CHILD', 'PARENT', 'SIBLING', 'OTHER']),
        declaredAnnualIncome: z.number().finite().min(0, 'must not be negative').nullish(),
      }),
    )
    .min(1, 'at least one member')
    .max(20)
    .refine((m) => m.filter((x) => x.relation === 'HEAD').length === 1, 'must have exactly one HEAD'),
  currentHousing: z.object({ floorArea: z.number().finite().min(0, 'must not be negative'), tenure: z.enum(['OWNED', 'RENTED', 'NONE']) }),
  declared: z
    .object({
      vehicleCount: z.number().int().min(0).nullish(),
      homesOwned: z.number().int().min(0).nullish(),
      registeredCapital: z.number().finite().min(0).nullish(),
    })
    .nullish(),
});

export interface Discrepancy {
  fact: string;
  residentId: string | null;
  declared: string;
  agencies: string;
  agency: string;
}

/**
 * A district-bound caller may check people not registered anywhere (that is what the check is for),
 * former members, and members of its own districts' households; a current member of another
 * district's household is that district's to check, and is refused like `person(residentId)` is.
 */
async function assertMayCheck(db: Db, ids: string[], districts: readonly string[] | null): Promise<void> {
  if (!districts) return;
  const elsewhere = await db
    .select({ id: persons.id })
    .from(persons)
    .innerJoin(households, eq(households.id, persons.householdId))
    .where(and(inArray(persons.residentId, ids), isNull(persons.leftOn), notInArray(households.districtId, [...districts])))
    .limit(1);
  if (elsewhere.length) throw forbidden();
}

export interface CheckScope {
  db: Db;
  /** the caller's districts when it is bound to some, else null */
  districts: readonly string[] | null;
}

export async function checkApplicant(raw: unknown, agency: AgencyLoaders, asOf: string, today: string, scope: CheckScope) {
  const input = parseInput(schema, raw);
  // before any agency record is read
  await assertMayCheck(scope.db, [...new Set(input.members.map((m) => m.residentId))], scope.districts);
  const members = input.members.map((m) => {
    const parts = parseResidentId(m.residentId);
    return { residentId: m.residentId, relation: m.relation, birthDate: parts.ok ? parts.parts.birthDate : '1900-01-01' };
  });
  const facts: HouseholdFacts = await factsOf({ category: input.category, members, housing: input.currentHousing }, agency, asOf, today);
  const discrepancies: Discrepancy[] = [];
  const year = incomeYear(facts);
  input.members.forEach((m, i) => {
    const known = facts.members[i]!.incomes.find((r) => r.year === year);
    if (m.declaredAnnualIncome != null && known && Number(known.annualIncome) !== m.declaredAnnualIncome) {
      discrepancies.push({
        fact: `income ${year}`,
        residentId: m.residentId,
        declared: String(m.declaredAnnualIncome),
        agencies: String(known.annualIncome),
        agency: 'civil-affairs',
      });
    }
  });
  // what the declaration is compared with is what the criteria count
  const vehicles = vehiclesHeld(facts);
  const homes = homesHeldWithin(facts, 0);
  const capital = MEASURES.registeredCapital(facts, new Map()).value ?? 0;
  const declared = input.declared ?? {};
  const compare = (fact: string, d: number | null | undefined, known: number, agencyId: string) => {
    if (d != null && d !== known) discrepancies.push({ fact, residentId: null, declared: String(d), agencies: String(known), agency: agencyId });
  };
  compare('vehicles', declared.vehicleCount, vehicles.length, 'public-security');
  compare('homes owned', declared.homesOwned, homes.length, 'real-estate');
  compare('registered capital', declared.registeredCapital, capital, 'market-regulation');
  return { facts, discrepancies };
}

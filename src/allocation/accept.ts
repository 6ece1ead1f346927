// Accepting an offer signs the lease (KC-13(4)) at the rent of KC-15..17: the allowance rate per m²
// when the household holds a minimum-living allowance (低保) on the start date, the standard rate otherwise.
import { and, eq, inArray, isNull } from 'drizzle-orm';
import { z } from 'zod';
import type { AgencyLoaders } from '../agency/loaders.js';
import { households, housingUnits, tenancies } from '../db/schema.js';
import { conflict, parseInput } from '../errors.js';
import type { PersonRow, RecordLoaders } from '../households/loaders.js';
import type { PolicyCache } from '../policy/service.js';
import { subsidies } from '../rent/tables.js';
import { checkDecisionDay, districtPolicy, id, lockHousehold, openOffer, orConflict, pastDate, WAITING, type Actor, type OfferRow } from './service.js';
import { offers } from './tables.js';

export interface AcceptActor extends Actor {
  agency: AgencyLoaders;
  loaders: RecordLoaders;
  policies: PolicyCache;
}

export interface Rent {
  rentStandard: 'MINIMUM_ALLOWANCE' | 'STANDARD';
  monthlyRent: number;
}

/** a member on `date`: joined (every member row is) and not yet left */
function memberOn(p: PersonRow, date: string): boolean {
  return p.leftOn === null || p.leftOn > date;
}

/** whether any member holds a minimum-living allowance on `date`, per civil affairs */
export async function holdsAllowance(agency: AgencyLoaders, members: readonly PersonRow[], date: string): Promise<boolean> {
  const records = await Promise.all(members.filter((m) => memberOn(m, date)).map((m) => agency.load('civil-affairs', 'allowance', m.residentId)));
  return records.flat().some((a) => a['status'] === 'MINIMUM_ALLOWANCE' && String(a['since']) <= date && (!a['until'] || String(a['until']) >= date));
}

/** floor area × the rate per m² in force on the start date, in cents (computed in whole cents, not floats) */
export function monthlyRent(floorArea: number, perM2: number): number {
  return Math.round(Math.round(floorArea * 100) * perM2) / 100;
}

function acceptSchema(today: string) {
  return z
    .object({ offerId: id('an offer'), on: pastDate(today).nullish(), startDate: z.iso.date({ message: 'must be a date YYYY-MM-DD' }) })
    .refine((i) => i.startDate >= (i.on ?? today), { path: ['startDate'], message: 'must not be before the day the offer is accepted' });
}

export async function rentFor(actor: AcceptActor, offer: OfferRow, startDate: string): Promise<Rent> {
  const [unit, members, policyId] = await Promise.all([
    actor.loaders.unit.load(offer.unitId),
    actor.loaders.membersByHousehold.load(offer.householdId),
    districtPolicy(actor.db, offer.districtId),
  ]);
  const params = await actor.policies.parameters(policyId, startDate);
  const allowance = await holdsAllowance(actor.agency, members, startDate);
  const code = allowance ? 'RENT.ALLOWANCE_PER_M2' : 'RENT.STANDARD_PER_M2';
  const perM2 = params.get(code)?.value;
  if (perM2 === undefined) throw new Error(`policy ${policyId} has no ${code} on ${startDate}`);
  return { rentStandard: allowance ? 'MINIMUM_ALLOWANCE' : 'STANDARD', monthlyRent: monthlyRent(unit!.floorArea, perM2) };
}

/**
 * The household accepts: the tenancy is signed from `startDate`, the household is HOUSED, the unit
 * OCCUPIED, a running rent subsidy ends on the start date (KC-26). The waitlist entry stays as history.
 */
export async function acceptOffer(actor: AcceptActor, raw: unknown): Promise<OfferRow> {
  const input = parseInput(acceptSchema(actor.today), raw);
  const on = input.on ?? actor.today;
  const offer = await openOffer(actor.db, input.offerId);
  checkDecisionDay(offer, on);
  // read before the transaction: an agency answering live must not hold locks open
  const rent = await rentFor(actor, offer, input.startDate);
  return orConflict('input.offerId', 'the unit or the household was let meanwhile', () =>
    actor.db.transaction(async (tx) => {
      await lockHousehold(tx, offer.householdId);
      const [accepted] = await tx
        .update(offers)
        .set({ status: 'ACCEPTED', decidedOn: on, decidedBy: actor.who })
        .where(and(eq(offers.id, offer.id), eq(offers.status, 'OPEN')))
        .returning();
      if (!accepted) throw conflict('input.offerId', 'the offer was decided meanwhile; reload it');
      const [unit] = await tx
        .update(housingUnits)
        .set({ status: 'OCCUPIED', updatedAt: new Date() })
        .where(and(eq(housingUnits.id, offer.unitId), eq(housingUnits.status, 'OFFERED')))
        .returning({ id: housingUnits.id });
      if (!unit) throw conflict('input.offerId', 'the unit is no longer held for this offer');
      const [housed] = await tx
        .update(households)
        .set({ status: 'HOUSED' })
        .where(and(eq(households.id, offer.householdId), inArray(households.status, [...WAITING])))
        .returning({ id: households.id });
      if (!housed) throw conflict('input.offerId', 'the household is no longer waiting for a unit');
      await tx.insert(tenancies).values({
        unitId: offer.unitId,
        householdId: offer.householdId,
        startDate: input.startDate,
        rentStandard: rent.rentStandard,
        monthlyRent: rent.monthlyRent,
        offerId: offer.id,
        createdBy: actor.who,
      });
      await tx
        .update(subsidies)
        .set({ endDate: input.startDate, endReason: 'housed', endedBy: actor.who })
        .where(and(eq(subsidies.householdId, offer.householdId), isNull(subsidies.endDate)));
      return accepted;
    }),
  );
}

// KC-13(4): offering units, and what the household does with an offer. Every change of an offer
// moves its unit too (FREE -> OFFERED -> OCCUPIED, or back to FREE), in one transaction, with
// conditional updates so that two requests racing for one unit, household or offer leave exactly
// one winner (the other answers CONFLICT). Locks are taken in one order everywhere: household,
// then offer, then unit.
import { and, eq, inArray, isNull, lt, notExists, sql } from 'drizzle-orm';
import { z } from 'zod';
import { isUniqueViolation, type Db } from '../db/client.js';
import { districts, households, housingUnits, tenancies, waitlistEntries } from '../db/schema.js';
import { addWorkingDays } from '../domain/working-days.js';
import { badUserInput, conflict, parseInput } from '../errors.js';
import { parametersAsOf } from '../policy/service.js';
import { subsidies } from '../rent/tables.js';
import { offers } from './tables.js';

export type OfferRow = typeof offers.$inferSelect;
type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/** household statuses that may be offered a unit */
export const WAITING = ['WAITLISTED', 'SUBSIDISED'] as const;
/** offer outcomes that count against the household (ALLOCATION.DECLINES_MAX); a withdrawal is the bureau's doing */
export const REFUSED = ['DECLINED', 'EXPIRED'] as const;

export interface Actor {
  db: Db;
  /** recorded as who decided */
  who: string;
  /** the bureau's date: decisions may not be dated after it */
  today: string;
}

export const id = (what: string) =>
  z.coerce
    .number({ message: `must be ${what} id` })
    .int(`must be ${what} id`)
    .positive(`must be ${what} id`);
export const pastDate = (today: string) => z.iso.date({ message: 'must be a date YYYY-MM-DD' }).refine((d) => d <= today, 'must not be in the future');
const reason = z.string().trim().min(1, 'must not be empty').max(2000, 'at most 2000 characters');

/** A unique index refused a second open offer or running tenancy: the other request won. */
export async function orConflict<T>(field: string, message: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict(field, message);
    throw error;
  }
}

export async function districtPolicy(db: Db | Tx, districtId: string): Promise<string> {
  const [row] = await db.select({ policyId: districts.policyId }).from(districts).where(eq(districts.id, districtId));
  return row?.policyId ?? 'KC';
}

async function parameter(db: Db | Tx, policyId: string, code: string, asOf: string): Promise<number> {
  const value = (await parametersAsOf(db as Db, policyId, asOf)).get(code)?.value;
  if (value === undefined) throw new Error(`policy ${policyId} has no parameter ${code} on ${asOf}`);
  return value;
}

/** the last day to accept an offer made on `offeredOn` (ALLOCATION.ACCEPT_WORKING_DAYS of the district's policy) */
export async function acceptByFor(db: Db | Tx, policyId: string, offeredOn: string): Promise<string> {
  return addWorkingDays(offeredOn, await parameter(db, policyId, 'ALLOCATION.ACCEPT_WORKING_DAYS', offeredOn));
}

function nextDay(iso: string): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

async function lockHousehold(tx: Tx, householdId: number) {
  const [row] = await tx.select().from(households).where(eq(households.id, householdId)).for('update');
  return row;
}

/** A unit nobody rents: FREE, and no running tenancy (rows written before unit statuses existed may say FREE). */
export function unitIsFree() {
  return and(
    eq(housingUnits.status, 'FREE'),
    notExists(sql`(select 1 from ${tenancies} where ${tenancies.unitId} = ${housingUnits.id} and ${tenancies.endDate} is null)`),
  );
}

/** Claims FREE units for offers; answers the ids it claimed (fewer than asked when another request took some). */
export async function claimUnits(tx: Tx, unitIds: number[]): Promise<number[]> {
  if (unitIds.length === 0) return [];
  const rows = await tx
    .update(housingUnits)
    .set({ status: 'OFFERED', updatedAt: new Date() })
    .where(and(inArray(housingUnits.id, unitIds), unitIsFree()))
    .returning({ id: housingUnits.id });
  return rows.map((r) => r.id);
}

async function releaseUnit(tx: Tx, unitId: number): Promise<void> {
  await tx
    .update(housingUnits)
    .set({ status: 'FREE', updatedAt: new Date() })
    .where(and(eq(housingUnits.id, unitId), eq(housingUnits.status, 'OFFERED')));
}

/**
 * After a decline or a lapse: more refusals than ALLOCATION.DECLINES_MAX take the household off
 * the waitlist (status EXITED, its running subsidy ended). Answers the removal note, or null.
 */
async function afterRefusal(tx: Tx, household: { id: number; districtId: string }, on: string, by: string): Promise<string | null> {
  const [{ n } = { n: 0 }] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(offers)
    .where(and(eq(offers.householdId, household.id), inArray(offers.status, [...REFUSED])));
  const max = await parameter(tx, await districtPolicy(tx, household.districtId), 'ALLOCATION.DECLINES_MAX', on);
  if (n <= max) return null;
  const note = `removed from the waitlist: ${n} offers declined or let lapse, more than ALLOCATION.DECLINES_MAX (${max})`;
  const removed = await tx
    .update(households)
    .set({ status: 'EXITED' })
    .where(and(eq(households.id, household.id), inArray(households.status, [...WAITING])))
    .returning({ id: households.id });
  if (removed.length === 0) return null;
  await tx.update(waitlistEntries).set({ removedOn: on, removedReason: note }).where(eq(waitlistEntries.householdId, household.id));
  await tx
    .update(subsidies)
    .set({ endDate: on, endReason: note, endedBy: by })
    .where(and(eq(subsidies.householdId, household.id), isNull(subsidies.endDate)));
  return note;
}

/** Closes an open offer as DECLINED, EXPIRED or WITHDRAWN and frees its unit; null when it was no longer open. */
async function closeOffer(
  tx: Tx,
  offer: OfferRow,
  status: 'DECLINED' | 'EXPIRED' | 'WITHDRAWN',
  on: string,
  by: string,
  why: string,
): Promise<OfferRow | null> {
  const household = (await lockHousehold(tx, offer.householdId))!;
  const [closed] = await tx
    .update(offers)
    .set({ status, decidedOn: on, decidedBy: by, reason: why })
    .where(and(eq(offers.id, offer.id), eq(offers.status, 'OPEN')))
    .returning();
  if (!closed) return null;
  await releaseUnit(tx, offer.unitId);
  if (status === 'WITHDRAWN') return closed;
  const removal = await afterRefusal(tx, household, on, by);
  if (!removal) return closed;
  const [noted] = await tx
    .update(offers)
    .set({ reason: `${why} (${removal})` })
    .where(eq(offers.id, offer.id))
    .returning();
  return noted!;
}

/**
 * Lapses every open offer whose last day to accept is before `today`: the unit is free again and the
 * household keeps its waitlist entry (and its entry date) unless it has now refused too many.
 * Run by the daily `offers-expire` job and before every draw or offer, so a lapsed offer never blocks.
 */
export async function expireOffers(db: Db, today: string, by = 'system:offers-expire'): Promise<number> {
  const due = await db
    .select()
    .from(offers)
    .where(and(eq(offers.status, 'OPEN'), lt(offers.acceptBy, today)));
  let expired = 0;
  for (const offer of due) {
    // one transaction per offer: an acceptance recorded meanwhile wins, and is left alone
    const closed = await db.transaction((tx) => closeOffer(tx, offer, 'EXPIRED', nextDay(offer.acceptBy), by, `not accepted by ${offer.acceptBy}`));
    if (closed) expired += 1;
  }
  return expired;
}

async function openOffer(db: Db, offerId: number): Promise<OfferRow> {
  const [offer] = await db.select().from(offers).where(eq(offers.id, offerId));
  if (!offer) throw badUserInput('input.offerId', 'no offer with this id');
  if (offer.status !== 'OPEN') throw conflict('input.offerId', `the offer is ${offer.status}, no longer open`);
  return offer;
}

function checkDecisionDay(offer: OfferRow, on: string): void {
  if (on < offer.offeredOn) throw badUserInput('input.on', `must not be before the offer was made (${offer.offeredOn})`);
  if (on > offer.acceptBy) throw badUserInput('input.on', `the offer lapsed: the last day to accept was ${offer.acceptBy}`);
}

function offerUnitSchema(today: string) {
  return z.object({ householdId: id('a household'), unitId: id('a unit'), on: pastDate(today).nullish() });
}

/** Direct allocation: one free unit of the household's district offered to one waiting household. */
export async function offerUnit(actor: Actor, raw: unknown): Promise<OfferRow> {
  const input = parseInput(offerUnitSchema(actor.today), raw);
  const on = input.on ?? actor.today;
  await expireOffers(actor.db, actor.today);
  return orConflict('input.unitId', 'the unit or the household was offered meanwhile', () =>
    actor.db.transaction(async (tx) => {
      const household = await lockHousehold(tx, input.householdId);
      if (!household) throw badUserInput('input.householdId', 'no household with this id');
      if (!(WAITING as readonly string[]).includes(household.status)) {
        throw badUserInput('input.householdId', `the household is ${household.status}: only waitlisted or subsidised households are offered units`);
      }
      const [unit] = await tx.select().from(housingUnits).where(eq(housingUnits.id, input.unitId));
      if (!unit) throw badUserInput('input.unitId', 'no unit with this id');
      if (unit.districtId !== household.districtId)
        throw badUserInput('input.unitId', `the unit is in ${unit.districtId}, the household in ${household.districtId}`);
      const [open] = await tx
        .select({ id: offers.id })
        .from(offers)
        .where(and(eq(offers.householdId, household.id), eq(offers.status, 'OPEN')));
      if (open) throw conflict('input.householdId', `the household already holds open offer ${open.id}`);
      if ((await claimUnits(tx, [unit.id])).length === 0)
        throw conflict('input.unitId', `the unit is not free (${unit.status === 'FREE' ? 'let' : unit.status})`);
      const [offer] = await tx
        .insert(offers)
        .values({
          householdId: household.id,
          unitId: unit.id,
          districtId: household.districtId,
          offeredOn: on,
          acceptBy: await acceptByFor(tx, await districtPolicy(tx, household.districtId), on),
          createdBy: actor.who,
        })
        .returning();
      return offer!;
    }),
  );
}

function declineSchema(today: string) {
  return z.object({ offerId: id('an offer'), on: pastDate(today).nullish(), reason });
}

/** The household says no: the unit is free again; the household keeps its place unless it refused too often. */
export async function declineOffer(actor: Actor, raw: unknown): Promise<OfferRow> {
  const input = parseInput(declineSchema(actor.today), raw);
  const on = input.on ?? actor.today;
  const offer = await openOffer(actor.db, input.offerId);
  checkDecisionDay(offer, on);
  const closed = await actor.db.transaction((tx) => closeOffer(tx, offer, 'DECLINED', on, actor.who, input.reason));
  if (!closed) throw conflict('input.offerId', 'the offer was decided meanwhile; reload it');
  return closed;
}

/** The bureau takes an offer back (the unit must be repaired, the offer was a mistake): not counted against the household. */
export async function withdrawOffer(actor: Actor, raw: unknown): Promise<OfferRow> {
  const input = parseInput(declineSchema(actor.today), raw);
  const on = input.on ?? actor.today;
  const offer = await openOffer(actor.db, input.offerId);
  if (on < offer.offeredOn) throw badUserInput('input.on', `must not be before the offer was made (${offer.offeredOn})`);
  const closed = await actor.db.transaction((tx) => closeOffer(tx, offer, 'WITHDRAWN', on, actor.who, input.reason));
  if (!closed) throw conflict('input.offerId', 'the offer was decided meanwhile; reload it');
  return closed;
}

export { lockHousehold, openOffer, checkDecisionDay };

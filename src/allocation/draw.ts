// KC-13(4): the lottery as the bureau runs it. Draws among the district's waiting households that
// hold no open offer, over its free units, stores the draw with its inputs (so `verified` can run it
// again), and offers each household that drew a unit that unit, all in one transaction.
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import { districts, households, housingUnits, waitlistEntries } from '../db/schema.js';
import type { Db } from '../db/client.js';
import { badUserInput, conflict, parseInput } from '../errors.js';
import { allocate } from '../policy/lottery.js';
import { lotteryDraws } from '../policy/tables.js';
import { acceptByFor, claimUnits, expireOffers, orConflict, pastDate, unitIsFree, WAITING, type Actor } from './service.js';
import { offers } from './tables.js';

export type DrawRow = typeof lotteryDraws.$inferSelect;

/** A stored draw, or null for an id that names none. */
export async function drawById(db: Db, id: string): Promise<DrawRow | null> {
  const n = Number(id);
  if (!Number.isSafeInteger(n) || n <= 0) return null;
  return (await db.select().from(lotteryDraws).where(eq(lotteryDraws.id, n)))[0] ?? null;
}

function drawSchema(today: string) {
  return z.object({
    districtId: z.string().min(1, 'must not be empty'),
    seed: z.string().min(8, 'at least 8 characters, published before the draw').max(200),
    drawnOn: pastDate(today),
  });
}

export async function drawLottery(actor: Actor, raw: unknown): Promise<DrawRow> {
  const input = parseInput(drawSchema(actor.today), raw);
  await expireOffers(actor.db, actor.today);
  return orConflict('input.districtId', 'a unit or household was offered meanwhile', () =>
    actor.db.transaction(async (tx) => {
      // one draw of a district at a time: a second waits, then finds the first one's offers
      const [district] = await tx.select().from(districts).where(eq(districts.id, input.districtId)).for('update');
      if (!district) throw badUserInput('input.districtId', 'no such district');
      // households before units, the order every allocation takes (service.ts): a direct offer holding one of
      // them finishes first and the draw then sees its offer, instead of the two waiting on each other
      await tx
        .select({ id: households.id })
        .from(households)
        .where(and(eq(households.districtId, input.districtId), inArray(households.status, [...WAITING])))
        .orderBy(asc(households.id))
        .for('update');
      const waiting = await tx
        .select({
          id: households.id,
          open: sql<boolean>`exists (select 1 from ${offers} where ${offers.householdId} = ${households.id} and ${offers.status} = 'OPEN')`,
        })
        .from(waitlistEntries)
        .innerJoin(households, eq(households.id, waitlistEntries.householdId))
        .where(and(eq(households.districtId, input.districtId), inArray(households.status, [...WAITING])))
        .orderBy(asc(households.id));
      if (waiting.length === 0) throw badUserInput('input.districtId', 'no waitlisted households in this district');
      const householdIds = waiting.filter((w) => !w.open).map((w) => w.id);
      if (householdIds.length === 0) throw conflict('input.districtId', 'every waitlisted household of the district already holds an open offer');
      const free = await tx
        .select({ id: housingUnits.id })
        .from(housingUnits)
        .where(and(eq(housingUnits.districtId, input.districtId), unitIsFree()))
        .orderBy(asc(housingUnits.id));
      if (free.length === 0) throw conflict('input.districtId', 'no free units in this district: every unit is let or on offer');
      const unitIds = free.map((u) => u.id);
      const allocation = allocate(input.seed, householdIds, unitIds);
      const [draw] = await tx
        .insert(lotteryDraws)
        .values({ ...input, households: householdIds, units: unitIds, allocation })
        .returning();
      const drawn = allocation.filter((a): a is { householdId: number; unitId: number } => a.unitId !== null);
      const claimed = await claimUnits(
        tx,
        drawn.map((a) => a.unitId),
      );
      if (claimed.length < drawn.length) throw conflict('input.districtId', 'a unit was offered meanwhile; draw again');
      const acceptBy = await acceptByFor(tx, district.policyId, input.drawnOn);
      await tx.insert(offers).values(
        drawn.map((a) => ({
          householdId: a.householdId,
          unitId: a.unitId,
          districtId: input.districtId,
          drawId: draw!.id,
          offeredOn: input.drawnOn,
          acceptBy,
          createdBy: actor.who,
        })),
      );
      return draw!;
    }),
  );
}

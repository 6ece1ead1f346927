// KC-13(4): units are allocated by lottery. The draw is a seeded Fisher-Yates shuffle (pure-rand's
// xoroshiro128+, seeded from SHA-256 of the published seed), so anyone holding the seed and the
// inputs can run it again and get the same order.
import { createHash } from 'node:crypto';
import { and, asc, eq, isNull, notInArray } from 'drizzle-orm';
import prand from 'pure-rand';
import { z } from 'zod';
import type { Db } from '../db/client.js';
import { households, housingUnits, tenancies, waitlistEntries } from '../db/schema.js';
import { badUserInput, parseInput } from '../errors.js';
import { lotteryDraws } from './tables.js';

export interface Allocation {
  householdId: number;
  unitId: number | null;
}

/** The draw itself: pure, and all anyone needs to check a published result. */
export function drawOrder(seed: string, householdIds: readonly number[]): number[] {
  const digest = createHash('sha256').update(seed).digest();
  let rng = prand.xoroshiro128plus(digest.readInt32BE(0) ^ digest.readInt32BE(4));
  const order = [...householdIds];
  for (let i = order.length - 1; i > 0; i--) {
    const [j, next] = prand.uniformIntDistribution(0, i, rng);
    rng = next;
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}

export function allocate(seed: string, householdIds: readonly number[], unitIds: readonly number[]): Allocation[] {
  return drawOrder(seed, householdIds).map((householdId, i) => ({ householdId, unitId: unitIds[i] ?? null }));
}

const drawSchema = z.object({
  districtId: z.string().min(1),
  seed: z.string().min(8, 'at least 8 characters, published before the draw').max(200),
  drawnOn: z.iso.date({ message: 'must be a date YYYY-MM-DD' }),
});

/** Draws among the district's waitlisted households for its free units, and stores the draw with its inputs. */
export async function drawLottery(db: Db, raw: unknown) {
  const input = parseInput(drawSchema, raw);
  const waiting = await db
    .select({ id: households.id })
    .from(waitlistEntries)
    .innerJoin(households, eq(households.id, waitlistEntries.householdId))
    .where(and(eq(waitlistEntries.districtId, input.districtId), eq(households.status, 'WAITLISTED')))
    .orderBy(asc(households.id));
  if (waiting.length === 0) throw badUserInput('input.districtId', 'no waitlisted households in this district');
  const occupied = db.select({ unitId: tenancies.unitId }).from(tenancies).where(isNull(tenancies.endDate));
  const free = await db
    .select({ id: housingUnits.id })
    .from(housingUnits)
    .where(and(eq(housingUnits.districtId, input.districtId), notInArray(housingUnits.id, occupied)))
    .orderBy(asc(housingUnits.id));
  const householdIds = waiting.map((w) => w.id);
  const unitIds = free.map((u) => u.id);
  const [draw] = await db
    .insert(lotteryDraws)
    .values({ ...input, households: householdIds, units: unitIds, allocation: allocate(input.seed, householdIds, unitIds) })
    .returning();
  return draw!;
}

// A district's waitlist ranked by Guiyang's points (002): highest score first, ties by earlier
// application; KC-23's re-check due after a year of waiting.
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { households, waitlistEntries } from '../db/schema.js';
import { daysBetween, wholeYears } from '../domain/working-days.js';
import type { HouseholdRow, RecordLoaders } from '../households/loaders.js';
import { scoreFacts } from './facts.js';
import { guiyangScore, type WaitlistScore } from './points.js';
import type { PolicyCache } from './service.js';

/** the policy whose points rank every waitlist */
const POINTS_POLICY = 'GY';

/** which rule puts a household below the one just above it */
export type WaitlistOrder = 'FIRST' | 'FEWER_POINTS' | 'LATER_APPLICATION' | 'LATER_REGISTRATION';

export interface WaitlistPosition {
  rank: number;
  orderedBy: WaitlistOrder;
  household: HouseholdRow;
  score: WaitlistScore;
  enteredOn: string;
  daysWaiting: number;
  recheckDue: boolean;
}

export async function rankedWaitlist(db: Db, loaders: RecordLoaders, policies: PolicyCache, districtId: string, asOf: string): Promise<WaitlistPosition[]> {
  const rows = await db
    .select({ household: households, entry: waitlistEntries })
    .from(waitlistEntries)
    .innerJoin(households, eq(households.id, waitlistEntries.householdId))
    .where(and(eq(waitlistEntries.districtId, districtId), inArray(households.status, ['WAITLISTED', 'SUBSIDISED'])))
    .orderBy(asc(households.applicationDate), asc(households.id));
  const params = await policies.parameters(POINTS_POLICY, asOf);
  const scored = await Promise.all(
    rows.map(async (r) => {
      loaders.household.prime(r.household.id, r.household);
      return { ...r, score: guiyangScore(await scoreFacts(r.household, loaders, asOf), params) };
    }),
  );
  // highest score first; ties: earlier application (rows are already in that order, and sort is stable)
  scored.sort((a, b) => b.score.total - a.score.total);
  return scored.map((r, i) => {
    const since = r.entry.requeuedOn ?? r.entry.enteredOn;
    return {
      rank: i + 1,
      orderedBy: orderAfter(scored[i - 1], r),
      household: r.household,
      score: r.score,
      enteredOn: r.entry.enteredOn,
      daysWaiting: daysBetween(r.entry.enteredOn, asOf),
      recheckDue: wholeYears(since, asOf) >= 1,
    };
  });
}

/** why `next` follows `above` on the list: the first rule of the ordering that tells them apart */
function orderAfter(
  above: { score: WaitlistScore; household: HouseholdRow } | undefined,
  next: { score: WaitlistScore; household: HouseholdRow },
): WaitlistOrder {
  if (!above) return 'FIRST';
  if (above.score.total !== next.score.total) return 'FEWER_POINTS';
  if (above.household.applicationDate !== next.household.applicationDate) return 'LATER_APPLICATION';
  return 'LATER_REGISTRATION';
}

/** A household's Guiyang points as of a date. */
export async function waitlistScore(h: HouseholdRow, loaders: RecordLoaders, policies: PolicyCache, asOf: string): Promise<WaitlistScore> {
  const [facts, params] = await Promise.all([scoreFacts(h, loaders, asOf), policies.parameters(POINTS_POLICY, asOf)]);
  return guiyangScore(facts, params);
}

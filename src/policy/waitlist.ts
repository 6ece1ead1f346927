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

export interface WaitlistPosition {
  rank: number;
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
      household: r.household,
      score: r.score,
      enteredOn: r.entry.enteredOn,
      daysWaiting: daysBetween(r.entry.enteredOn, asOf),
      recheckDue: wholeYears(since, asOf) >= 1,
    };
  });
}

/** A household's Guiyang points as of a date. */
export async function waitlistScore(h: HouseholdRow, loaders: RecordLoaders, policies: PolicyCache, asOf: string): Promise<WaitlistScore> {
  const [facts, params] = await Promise.all([scoreFacts(h, loaders, asOf), policies.parameters(POINTS_POLICY, asOf)]);
  return guiyangScore(facts, params);
}

// Guiyang: each year a random 5% of the households of each district are spot-checked. The draw is
// the lottery's seeded shuffle over the district's housed households in id order; the seed, the
// population and the sample are stored, so anyone can run the draw again and get the same sample.
import { randomBytes } from 'node:crypto';
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { districts, households } from '../db/schema.js';
import { raiseAlerts } from '../detection/detect.js';
import { drawOrder } from '../policy/lottery.js';
import { parametersAsOf } from '../policy/service.js';
import { policies } from '../policy/tables.js';
import { spotChecks } from './tables.js';

export type SpotCheck = typeof spotChecks.$inferSelect;

/** the sample a seed gives: the first ⌈share × n⌉ of the shuffled population */
export function spotCheckSample(seed: string, population: readonly number[], share: number): number[] {
  return drawOrder(seed, population).slice(0, Math.ceil(population.length * share));
}

/**
 * Draws the year's spot check in every district whose jurisdiction's policy sets a share; a district
 * already drawn that year keeps its draw. Each sampled household gets an alert to verify it.
 */
export async function drawSpotChecks(db: Db, year: number, asOf: string, drawnBy: string, seed?: string): Promise<SpotCheck[]> {
  const drawn: SpotCheck[] = [];
  for (const policy of await db.select().from(policies)) {
    const share = (await parametersAsOf(db, policy.id, asOf)).get('REVIEW.SPOT_CHECK_SHARE');
    if (!share) continue;
    const inScope = await db.select().from(districts).where(eq(districts.jurisdiction, policy.jurisdiction)).orderBy(asc(districts.id));
    for (const district of inScope) {
      const population = (
        await db
          .select({ id: households.id })
          .from(households)
          .where(and(eq(households.districtId, district.id), inArray(households.status, ['HOUSED', 'SUBSIDISED'])))
          .orderBy(asc(households.id))
      ).map((h) => h.id);
      const districtSeed = seed ? `${seed}:${district.id}` : randomBytes(16).toString('hex');
      const [row] = await db
        .insert(spotChecks)
        .values({
          year,
          districtId: district.id,
          seed: districtSeed,
          share: String(share.value),
          population,
          sample: spotCheckSample(districtSeed, population, share.value),
          drawnBy,
        })
        .onConflictDoNothing()
        .returning();
      if (!row) continue;
      drawn.push(row);
      await raiseAlerts(
        db,
        row.sample.map((householdId) => ({
          householdId,
          districtId: district.id,
          rule: 'SPOT_CHECK_SELECTED',
          article: share.article,
          severity: 'LOW' as const,
          action: 'verify the household in person (yearly random spot check)',
          period: String(year),
          summary: `drawn for the ${year} spot check of ${district.id} (${row.sample.length} of ${population.length}, seed ${row.seed})`,
          evidence: { spotCheckId: row.id, seed: row.seed },
        })),
        'spot-check',
      );
    }
  }
  return drawn;
}

export async function listSpotChecks(db: Db, year: number): Promise<SpotCheck[]> {
  return db.select().from(spotChecks).where(eq(spotChecks.year, year)).orderBy(asc(spotChecks.districtId));
}

// KC-13(4): units are allocated by lottery. The draw is a seeded Fisher-Yates shuffle (pure-rand's
// xoroshiro128+, seeded from SHA-256 of the published seed), so anyone holding the seed and the
// inputs can run it again and get the same order. The draw as the bureau runs it (offers made for
// the units drawn) is in src/allocation/draw.ts.
import { createHash } from 'node:crypto';
import prand from 'pure-rand';

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

import { z } from 'zod';
import type { HubContext } from '../src/context.js';
import { hubError, parseInput } from '../src/errors.js';
import type { Resolvers } from '../src/generated/graphql.js';
import { reviewedHouseholds, reviewVerdictCounts } from '../src/jobs/review-outcomes.js';
import { listReviews } from '../src/jobs/reviews.js';
import { drawSpotChecks, listSpotChecks, spotCheckSample } from '../src/jobs/spot-check.js';

const year = z.number().int().min(2000).max(2100);
const drawInput = z.object({ year, seed: z.string().min(8, 'at least 8 characters, published before the draw').max(200).nullish() });

function jobsOf(ctx: HubContext) {
  if (!ctx.jobs) throw hubError('JOBS_DISABLED', 'this hub instance runs no jobs (JOBS_ENABLED=false)');
  return ctx.jobs;
}

export const reviewResolvers: Resolvers = {
  Query: {
    reviewRuns: (_, { first }, ctx) => listReviews(ctx.db, Math.min(Math.max(first, 1), ctx.config.MAX_PAGE_SIZE)),
    reviewRun: async (_, args, ctx) => {
      const id = parseInput(z.object({ id: z.coerce.number().int().positive('must be a review run id') }), args, 'args').id;
      return (await listReviews(ctx.db, 1, id))[0] ?? null;
    },
    spotChecks: (_, args, ctx) => listSpotChecks(ctx.db, parseInput(z.object({ year }), args, 'args').year),
  },
  Mutation: {
    startReview: async (_, { kind }, ctx) => {
      const run = await jobsOf(ctx).startReview(kind, ctx.who);
      return (await listReviews(ctx.db, 1, run.id))[0]!;
    },
    drawSpotChecks: (_, args, ctx) => {
      const input = parseInput(drawInput, args, 'args');
      return drawSpotChecks(ctx.db, input.year, ctx.today, ctx.who, input.seed ?? undefined);
    },
  },
  ReviewRun: {
    verdicts: (run, _, ctx) => reviewVerdictCounts(ctx.db, run),
    reviewed: (run, args, ctx) => reviewedHouseholds(ctx.db, run, args.verdict ?? null, Math.min(Math.max(args.first ?? 100, 1), 500)),
  },
  ReviewedHousehold: {
    household: async (r, _, ctx) => (await ctx.loaders.household.load(r.householdId))!,
  },
  SpotCheck: {
    share: (s) => Number(s.share),
    populationHouseholdIds: (s) => s.population,
    sampleHouseholdIds: (s) => s.sample,
    verified: (s) => {
      const again = spotCheckSample(s.seed, s.population, Number(s.share));
      return again.length === s.sample.length && again.every((id, i) => id === s.sample[i]);
    },
  },
};

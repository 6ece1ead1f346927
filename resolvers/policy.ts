import type { Resolvers } from '../src/generated/graphql.js';
import { checkAsOf, checkApplicantUnder, qualificationOf, recordQualification } from '../src/policy/qualification.js';
import { findPolicy, listPolicies, parameterHistory, parametersInForce, setPolicyParameter } from '../src/policy/service.js';
import { rankedWaitlist, waitlistScore } from '../src/policy/waitlist.js';

export const policyResolvers: Resolvers = {
  Query: {
    checkApplicant: (_, args, ctx) => checkApplicantUnder(args.input, args.policy, { ...ctx, districts: ctx.caller?.districts ?? null }),
    policies: (_, __, ctx) => listPolicies(ctx.db),
    policy: (_, { id }, ctx) => findPolicy(ctx.db, id),
    waitlist: (_, args, ctx) => rankedWaitlist(ctx.db, ctx.loaders, ctx.policies, args.districtId, checkAsOf(ctx.today, args.asOf)),
  },
  Mutation: {
    setPolicyParameter: (_, { input }, ctx) => setPolicyParameter(ctx.db, input, ctx.who),
    recordQualification: (_, args, ctx) => recordQualification(args.householdId, args.policy, args.asOf, ctx, ctx.who),
  },
  Policy: {
    parameters: (p, { asOf }, ctx) => parametersInForce(ctx.db, p.id, asOf ?? ctx.today),
    history: (p, { code }, ctx) => parameterHistory(ctx.db, p.id, code),
  },
  StoredQualification: {
    verdict: (e) => e.outcome,
    evaluatedOn: (e) => e.asOf,
  },
  Household: {
    qualification: (h, args, ctx) => qualificationOf(h, args.policy, args.asOf, ctx),
    score: (h, args, ctx) => waitlistScore(h, ctx.loaders, ctx.policies, checkAsOf(ctx.today, args.asOf)),
  },
};

import type { HubContext } from '../src/context.js';
import type { HouseholdRow } from '../src/households/loaders.js';
import { checkAsOf, checkApplicantUnder, qualificationOf, recordQualification, type PolicyRow } from '../src/policy/qualification.js';
import { findPolicy, listPolicies, parameterHistory, parametersAsOf, setPolicyParameter, type StoredEvaluation } from '../src/policy/service.js';
import { rankedWaitlist, waitlistScore } from '../src/policy/waitlist.js';

export const policyResolvers = {
  Query: {
    checkApplicant: (_: unknown, args: { input: unknown; policy?: string | null }, ctx: HubContext) =>
      checkApplicantUnder(args.input, args.policy, { ...ctx, districts: ctx.caller?.districts ?? null }),
    policies: (_: unknown, __: unknown, ctx: HubContext) => listPolicies(ctx.db),
    policy: (_: unknown, { id }: { id: string }, ctx: HubContext) => findPolicy(ctx.db, id),
    waitlist: (_: unknown, args: { districtId: string; asOf?: string | null }, ctx: HubContext) =>
      rankedWaitlist(ctx.db, ctx.loaders, ctx.policies, args.districtId, checkAsOf(ctx.today, args.asOf)),
  },
  Mutation: {
    setPolicyParameter: (_: unknown, { input }: { input: unknown }, ctx: HubContext) => setPolicyParameter(ctx.db, input, ctx.who),
    recordQualification: (_: unknown, args: { householdId: string; policy?: string | null; asOf?: string | null }, ctx: HubContext) =>
      recordQualification(args.householdId, args.policy, args.asOf, ctx, ctx.who),
  },
  Policy: {
    parameters: async (p: PolicyRow, { asOf }: { asOf?: string | null }, ctx: HubContext) => [...(await parametersAsOf(ctx.db, p.id, asOf ?? ctx.today)).values()],
    history: (p: PolicyRow, { code }: { code?: string | null }, ctx: HubContext) => parameterHistory(ctx.db, p.id, code),
  },
  StoredQualification: {
    verdict: (e: StoredEvaluation) => e.outcome,
    evaluatedOn: (e: StoredEvaluation) => e.asOf,
  },
  Household: {
    qualification: (h: HouseholdRow, args: { policy?: string | null; asOf?: string | null }, ctx: HubContext) => qualificationOf(h, args.policy, args.asOf, ctx),
    score: (h: HouseholdRow, args: { asOf?: string | null }, ctx: HubContext) => waitlistScore(h, ctx.loaders, ctx.policies, checkAsOf(ctx.today, args.asOf)),
  },
};

import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import type { HubContext } from '../src/context.js';
import { households, waitlistEntries } from '../src/db/schema.js';
import { daysBetween, wholeYears } from '../src/domain/working-days.js';
import { badUserInput } from '../src/errors.js';
import type { HouseholdRow } from '../src/households/loaders.js';
import { evaluate, evaluateGuiyang } from '../src/policy/engine.js';
import { checkApplicant } from '../src/policy/applicant-check.js';
import { householdFacts, scoreFacts } from '../src/policy/facts.js';
import { guiyangScore } from '../src/policy/points.js';
import { parametersAsOf, setPolicyParameter } from '../src/policy/service.js';
import { policies, policyParameters } from '../src/policy/tables.js';

type PolicyRow = typeof policies.$inferSelect;

async function policyById(ctx: HubContext, id: string): Promise<PolicyRow> {
  const policy = await ctx.policies.policy(id);
  if (!policy) throw badUserInput('policy', `no policy ${id}`);
  return policy;
}

function checkAsOf(ctx: HubContext, asOf: string | null | undefined): string {
  if (asOf && asOf > ctx.today) throw badUserInput('asOf', 'must not be in the future');
  return asOf ?? ctx.today;
}

export const policyResolvers = {
  Query: {
    checkApplicant: async (_: unknown, args: { input: unknown; policy?: string | null }, ctx: HubContext) => {
      const policy = await policyById(ctx, args.policy ?? 'KC');
      const { facts, discrepancies } = await checkApplicant(args.input, ctx.agency, ctx.today, ctx.today, { db: ctx.db, districts: ctx.caller?.districts ?? null });
      const params = await ctx.policies.parameters(policy.id, ctx.today);
      return { ...(policy.jurisdiction === 'GUIYANG' ? evaluateGuiyang(facts, params) : evaluate(facts, params)), discrepancies };
    },
    policies: (_: unknown, __: unknown, ctx: HubContext) => ctx.db.select().from(policies).orderBy(asc(policies.id)),
    policy: async (_: unknown, { id }: { id: string }, ctx: HubContext) => (await ctx.db.select().from(policies).where(eq(policies.id, id)))[0] ?? null,
    waitlist: async (_: unknown, args: { districtId: string; asOf?: string | null }, ctx: HubContext) => {
      const asOf = checkAsOf(ctx, args.asOf);
      const rows = await ctx.db
        .select({ household: households, entry: waitlistEntries })
        .from(waitlistEntries)
        .innerJoin(households, eq(households.id, waitlistEntries.householdId))
        .where(and(eq(waitlistEntries.districtId, args.districtId), inArray(households.status, ['WAITLISTED', 'SUBSIDISED'])))
        .orderBy(asc(households.applicationDate), asc(households.id));
      const params = await ctx.policies.parameters('GY', asOf);
      const scored = await Promise.all(
        rows.map(async (r) => {
          ctx.loaders.household.prime(r.household.id, r.household);
          return { ...r, score: guiyangScore(await scoreFacts(r.household, ctx.loaders, asOf), params) };
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
    },
  },
  Mutation: {
    setPolicyParameter: (_: unknown, { input }: { input: unknown }, ctx: HubContext) => setPolicyParameter(ctx.db, input, ctx.who),
  },
  Policy: {
    parameters: async (p: PolicyRow, { asOf }: { asOf?: string | null }, ctx: HubContext) =>
      [...(await parametersAsOf(ctx.db, p.id, asOf ?? ctx.today)).values()],
    history: (p: PolicyRow, { code }: { code?: string | null }, ctx: HubContext) =>
      ctx.db
        .select()
        .from(policyParameters)
        .where(code ? and(eq(policyParameters.policyId, p.id), eq(policyParameters.code, code)) : eq(policyParameters.policyId, p.id))
        .orderBy(asc(policyParameters.code), desc(policyParameters.effectiveFrom)),
  },
  Household: {
    qualification: async (h: HouseholdRow, args: { policy?: string | null; asOf?: string | null }, ctx: HubContext) => {
      const asOf = checkAsOf(ctx, args.asOf);
      const policy = await policyById(ctx, args.policy ?? 'KC');
      const [facts, params] = await Promise.all([householdFacts(h, ctx.loaders, ctx.agency, asOf, ctx.today), ctx.policies.parameters(policy.id, asOf)]);
      const result = policy.jurisdiction === 'GUIYANG' ? evaluateGuiyang(facts, params) : evaluate(facts, params);
      const previous = await ctx.evaluations.record(h.id, policy, result);
      return {
        ...result,
        policy,
        sinceLast: previous && { previousVerdict: previous.verdict, changedCriteria: previous.changedCriteria },
      };
    },
    score: async (h: HouseholdRow, args: { asOf?: string | null }, ctx: HubContext) => {
      const asOf = checkAsOf(ctx, args.asOf);
      return guiyangScore(await scoreFacts(h, ctx.loaders, asOf), await ctx.policies.parameters('GY', asOf));
    },
  },
};

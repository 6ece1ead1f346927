import { connectors } from '../connectors/index.js';
import { AGENCIES, type AgencyId } from '../src/agency/connector.js';
import { feedRefusal, fromAgency, fromAgencyNow } from '../src/agency/errors.js';
import { agencyFeedStatus } from '../src/agency/feed-status.js';
import { kindFieldResolvers } from '../src/agency/kind-fields.js';
import { feedMutationName } from '../src/agency/sdl.js';
import { householdAgencySummary, SUMMARY_POLICY } from '../src/agency/summary.js';
import type { HubContext } from '../src/context.js';
import { ingestAndDetect } from '../src/detection/after-feed.js';
import { badUserInput } from '../src/errors.js';
import type { MutationSubmitCivilAffairsFeedArgs, Resolvers } from '../src/generated/graphql.js';

const MAX_FEED_RECORDS = 10_000;

/** every submitXxxFeed mutation takes the same arguments; only its records' kinds differ */
type FeedArgs = Omit<MutationSubmitCivilAffairsFeedArgs, 'records'> & { records: Record<string, readonly unknown[] | null | undefined> };

function submitFeed(agency: AgencyId) {
  return async (_: unknown, args: FeedArgs, ctx: HubContext) => {
    const parts = Object.entries(args.records).flatMap(([kind, records]) => (records ? [{ kind, records: [...records] }] : []));
    const total = parts.reduce((n, p) => n + p.records.length, 0);
    if (total > MAX_FEED_RECORDS) {
      throw badUserInput('records', `at most ${MAX_FEED_RECORDS} records per call; send larger files to POST /feeds/${agency}/{kind}`);
    }
    if (args.asOf && args.asOf > ctx.today) throw badUserInput('asOf', 'must not be in the future');
    try {
      return await ingestAndDetect(
        ctx.database,
        connectors[agency],
        {
          batchKey: args.batchKey,
          mode: args.mode ?? 'KEEP_VALID',
          asOf: args.asOf ?? ctx.today,
          today: ctx.today,
          parts,
          declarations: { complete: args.complete ?? [], nothingToReport: args.nothingToReport ?? [] },
        },
        ctx.today,
      );
    } catch (error) {
      throw feedRefusal(error) ?? error;
    }
  };
}

/** the fields that follow from the connectors: one feed mutation per agency, one field per kind shown */
const generated = {
  Mutation: Object.fromEntries(AGENCIES.map((agency) => [feedMutationName(agency), submitFeed(agency)])),
  ...kindFieldResolvers(connectors),
};

const handWritten: Resolvers = {
  Query: {
    agencyFeeds: async (_, args, ctx) => {
      const policy = await ctx.policies.policy(args.policy ?? 'KC');
      if (!policy) throw badUserInput('policy', `no policy ${args.policy}`);
      const views = await agencyFeedStatus(ctx.db, await ctx.policies.parameters(policy.id, ctx.today), ctx.today, args.batches ?? 5);
      return views.map((v) => ({ ...v, name: connectors[v.agency].name, live: !!ctx.config.agencySources[v.agency] }));
    },
  },
  Person: {
    death: (p, _, ctx) => {
      const earliest = <C extends { diedOn: string }, P extends { diedOn: string }>(civil: C[], police: P[]) =>
        [...civil, ...police].sort((a, b) => (a.diedOn < b.diedOn ? -1 : 1))[0] ?? null;
      const civil = fromAgencyNow(() => ctx.agency.peek('civil-affairs', 'death', p.residentId));
      const police = fromAgencyNow(() => ctx.agency.peek('public-security', 'death', p.residentId));
      if (civil && police) return earliest(civil, police);
      return Promise.all([
        fromAgency(() => ctx.agency.load('civil-affairs', 'death', p.residentId)),
        fromAgency(() => ctx.agency.load('public-security', 'death', p.residentId)),
      ]).then(([c, p]) => earliest(c, p));
    },
  },
  Household: {
    agencySummary: async (h, _, ctx) =>
      fromAgency(async () => householdAgencySummary(h, ctx.loaders, ctx.agency, await ctx.policies.parameters(SUMMARY_POLICY, ctx.today), ctx.today)),
  },
  DeathRecord: {
    agency: (d) => d.agency,
  },
};

export const agencyResolvers = [generated, handWritten];

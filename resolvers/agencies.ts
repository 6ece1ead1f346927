import { connectors } from '../connectors/index.js';
import { AGENCIES, type AgencyId } from '../src/agency/connector.js';
import { feedRefusal, fromAgency } from '../src/agency/errors.js';
import type { FeedMode } from '../src/agency/ingest.js';
import { ingestAndDetect } from '../src/detection/after-feed.js';
import { kindFieldResolvers } from '../src/agency/kind-fields.js';
import type { AgencyValue } from '../src/agency/loaders.js';
import { feedMutationName } from '../src/agency/sdl.js';
import { householdAgencySummary } from '../src/agency/summary.js';
import type { HubContext } from '../src/context.js';
import { badUserInput } from '../src/errors.js';
import type { HouseholdRow, PersonRow } from '../src/households/loaders.js';

const FEED_MUTATIONS = Object.fromEntries(AGENCIES.map((agency) => [feedMutationName(agency), agency]));

const MAX_FEED_RECORDS = 10_000;

interface FeedArgs {
  batchKey: string;
  asOf?: string | null;
  mode?: FeedMode | null;
  records: Record<string, unknown[] | null>;
  complete?: string[] | null;
  nothingToReport?: string[] | null;
}

function submitFeed(agency: AgencyId) {
  return async (_: unknown, args: FeedArgs, ctx: HubContext) => {
    const parts = Object.entries(args.records)
      .filter((entry): entry is [string, unknown[]] => Array.isArray(entry[1]))
      .map(([kind, records]) => ({ kind, records }));
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

const { Person, HousingUnit } = kindFieldResolvers(connectors);

export const agencyResolvers = {
  Mutation: Object.fromEntries(Object.entries(FEED_MUTATIONS).map(([name, agency]) => [name, submitFeed(agency)])),
  Person: {
    ...Person,
    death: async (p: PersonRow, _: unknown, ctx: HubContext) => {
      const [civil, police] = await Promise.all([
        fromAgency(() => ctx.agency.load('civil-affairs', 'death', p.residentId)),
        fromAgency(() => ctx.agency.load('public-security', 'death', p.residentId)),
      ]);
      return [...civil, ...police].sort((a, b) => (a.diedOn < b.diedOn ? -1 : 1))[0] ?? null;
    },
  },
  HousingUnit,
  Household: {
    // measured under the policy qualification answers by default, so the two agree
    agencySummary: async (h: HouseholdRow, _: unknown, ctx: HubContext) =>
      fromAgency(async () => householdAgencySummary(h, ctx.loaders, ctx.agency, await ctx.policies.parameters('KC', ctx.today), ctx.today)),
  },
  DeathRecord: {
    agency: (d: AgencyValue) => d.agency,
  },
};

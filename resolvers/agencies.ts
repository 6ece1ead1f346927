import { connectors } from '../connectors/index.js';
import type { AgencyId } from '../src/agency/connector.js';
import { feedRefusal, fromAgency } from '../src/agency/errors.js';
import type { FeedMode } from '../src/agency/ingest.js';
import { ingestAndDetect } from '../src/detection/after-feed.js';
import type { AgencyValue } from '../src/agency/loaders.js';
import { householdAgencySummary } from '../src/agency/summary.js';
import type { HubContext } from '../src/context.js';
import { badUserInput } from '../src/errors.js';
import type { HouseholdRow, PersonRow, UnitRow } from '../src/households/loaders.js';

interface Range {
  from?: string | null;
  to?: string | null;
}

const list = (agency: AgencyId, kind: string) => (p: PersonRow, _: unknown, ctx: HubContext) =>
  fromAgency(() => ctx.agency.load(agency, kind, p.residentId));

const single = (agency: AgencyId, kind: string) => async (p: PersonRow, _: unknown, ctx: HubContext) =>
  (await fromAgency(() => ctx.agency.load(agency, kind, p.residentId)))[0] ?? null;

const monthly = (agency: AgencyId, kind: string) => async (p: PersonRow, range: Range, ctx: HubContext) =>
  inRange(await fromAgency(() => ctx.agency.load(agency, kind, p.residentId)), range);

function inRange(values: AgencyValue[], { from, to }: Range): AgencyValue[] {
  return values
    .filter((v) => (!from || (v.month as string) >= from) && (!to || (v.month as string) <= to))
    .sort((a, b) => ((a.month as string) < (b.month as string) ? -1 : 1));
}

const FEED_MUTATIONS: Record<string, AgencyId> = {
  submitCivilAffairsFeed: 'civil-affairs',
  submitPublicSecurityFeed: 'public-security',
  submitSocialSecurityFeed: 'social-security',
  submitProvidentFundFeed: 'provident-fund',
  submitUtilitiesFeed: 'utilities',
  submitRealEstateFeed: 'real-estate',
  submitMarketRegulationFeed: 'market-regulation',
};

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

export const agencyResolvers = {
  Mutation: Object.fromEntries(Object.entries(FEED_MUTATIONS).map(([name, agency]) => [name, submitFeed(agency)])),
  Person: {
    allowance: single('civil-affairs', 'allowance'),
    incomes: async (p: PersonRow, _: unknown, ctx: HubContext) =>
      (await fromAgency(() => ctx.agency.load('civil-affairs', 'income', p.residentId))).sort((a, b) => (a.year as number) - (b.year as number)),
    maritalStatus: single('civil-affairs', 'marital'),
    death: async (p: PersonRow, _: unknown, ctx: HubContext) => {
      const [civil, police] = await Promise.all([
        fromAgency(() => ctx.agency.load('civil-affairs', 'death', p.residentId)),
        fromAgency(() => ctx.agency.load('public-security', 'death', p.residentId)),
      ]);
      return [...civil, ...police].sort((a, b) => ((a.diedOn as string) < (b.diedOn as string) ? -1 : 1))[0] ?? null;
    },
    hukou: single('public-security', 'hukou'),
    vehicles: list('public-security', 'vehicle'),
    pensionContributions: monthly('social-security', 'pension'),
    labourContracts: list('social-security', 'contract'),
    providentFundDeposits: monthly('provident-fund', 'deposit'),
    properties: list('real-estate', 'property'),
    businesses: list('market-regulation', 'business'),
  },
  HousingUnit: {
    utilityUse: async (u: UnitRow, range: Range, ctx: HubContext) =>
      inRange(await fromAgency(() => ctx.agency.load('utilities', 'reading', u.id)), range),
  },
  Household: {
    // measured under the policy qualification answers by default, so the two agree
    agencySummary: async (h: HouseholdRow, _: unknown, ctx: HubContext) =>
      fromAgency(async () => householdAgencySummary(h, ctx.loaders, ctx.agency, await ctx.policies.parameters('KC', ctx.today), ctx.today)),
  },
  DeathRecord: {
    agency: (d: AgencyValue) => d.agency,
  },
};

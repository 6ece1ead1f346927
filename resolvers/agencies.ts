import { connectors } from '../connectors/index.js';
import { AGENCIES, type AgencyId } from '../src/agency/connector.js';
import { fromAgency } from '../src/agency/errors.js';
import { BatchKeyReused, FeedConflict, FeedInputError, type FeedMode } from '../src/agency/ingest.js';
import { ingestAndDetect } from '../src/detection/after-feed.js';
import type { AgencyValue } from '../src/agency/loaders.js';
import { feedMutationName } from '../src/agency/sdl.js';
import { householdAgencySummary } from '../src/agency/summary.js';
import type { HubContext } from '../src/context.js';
import { badUserInput, conflict } from '../src/errors.js';
import type { HouseholdRow, PersonRow, UnitRow } from '../src/households/loaders.js';

interface Range {
  from?: string | null;
  to?: string | null;
}

const sortKey = (v: unknown): string | number => (typeof v === 'number' ? v : String(v));

/** oldest first by the kind's orderBy field; a monthly field keeps only [from, to] */
function ordered(values: AgencyValue[], field: string, { from, to }: Range = {}): AgencyValue[] {
  return values
    .filter((v) => (!from || sortKey(v[field]) >= from) && (!to || sortKey(v[field]) <= to))
    .sort((a, b) => {
      const x = sortKey(a[field]);
      const y = sortKey(b[field]);
      return typeof x === 'number' && typeof y === 'number' ? x - y : x < y ? -1 : 1;
    });
}

/** The Person and HousingUnit field of every kind that declares one (its `graphql` descriptor). */
function kindFields() {
  const fields: Record<'Person' | 'HousingUnit', Record<string, unknown>> = { Person: {}, HousingUnit: {} };
  for (const connector of Object.values(connectors)) {
    for (const [name, kind] of Object.entries(connector.kinds)) {
      const g = kind.graphql;
      if (!g) continue;
      const load = (subject: string | number, ctx: HubContext) => fromAgency(() => ctx.agency.loadByName(connector.agency, name, subject));
      const field = async (subject: string | number, range: Range, ctx: HubContext) => {
        const values = await load(subject, ctx);
        if (g.cardinality === 'one') return values[0] ?? null;
        return g.orderBy ? ordered(values, g.orderBy, g.cardinality === 'monthly' ? range : {}) : values;
      };
      if (kind.subject.type === 'person') fields.Person[g.field] = (p: PersonRow, range: Range, ctx: HubContext) => field(p.residentId, range, ctx);
      else fields.HousingUnit[g.field] = (u: UnitRow, range: Range, ctx: HubContext) => field(u.id, range, ctx);
    }
  }
  return fields;
}

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
      if (error instanceof FeedInputError) throw badUserInput(error.field, error.message.slice(error.field.length + 2));
      if (error instanceof BatchKeyReused) throw conflict('batchKey', error.message);
      if (error instanceof FeedConflict) throw conflict('records', error.message);
      throw error;
    }
  };
}

const { Person, HousingUnit } = kindFields();

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
    agencySummary: async (h: HouseholdRow, _: unknown, ctx: HubContext) => {
      const members = await ctx.loaders.membersByHousehold.load(h.id);
      return fromAgency(() => householdAgencySummary(ctx.agency, members.map((m) => m.residentId)));
    },
  },
  DeathRecord: {
    agency: (d: AgencyValue) => d.agency,
  },
};

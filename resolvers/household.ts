import type { GraphQLResolveInfo } from 'graphql';
import { connectors } from '../connectors/index.js';
import { personAgencyFields } from '../src/agency/kind-fields.js';
import { whenAtHand } from '../src/db/at-hand.js';
import { planReadAhead } from '../src/households/page-read.js';
import { selects } from '../src/selection.js';
import type { HubContext } from '../src/context.js';
import type { PersonRow } from '../src/households/loaders.js';
import { subjectRef } from '../src/agency/live-graphql.js';
import { isFinalStage } from '../src/applications/stages.js';
import { advanceApplication } from '../src/applications/service.js';
import { daysBetween } from '../src/domain/working-days.js';
import { isUnpaid, summarizeArrears } from '../src/households/arrears.js';
import { listHouseholds, registerHousehold } from '../src/households/service.js';
import type { Resolvers } from '../src/generated/graphql.js';

const AGENCY_FIELDS = personAgencyFields(connectors);

/** people whose agency fields the query asks for: their records read at once (one batch a page), so each field answers at hand */
function withAgencyRecords(people: PersonRow[], ctx: HubContext, info: GraphQLResolveInfo): PersonRow[] | Promise<PersonRow[]> {
  return people.length && selects(info, AGENCY_FIELDS) ? ctx.agency.prefetch(people.map((p) => p.residentId)).then(() => people) : people;
}

function parseId(id: string): number | null {
  const n = Number(id);
  return Number.isSafeInteger(n) && n > 0 ? n : null;
}

export const householdResolvers: Resolvers = {
  Query: {
    household: (_, { id }, ctx) => {
      const n = parseId(id);
      return n === null ? null : ctx.loaders.household.load(n);
    },
    households: async (_, args, ctx, info) => {
      // what the page's fields will read, read in the statement that lists it (src/households/page-read.ts)
      const ahead = planReadAhead(ctx, info);
      const connection = await listHouseholds(ctx.db, args, ctx.scope, ctx.config.MAX_PAGE_SIZE, ahead ?? undefined, ctx.database.namedStatements);
      for (const h of connection.nodes) ctx.loaders.household.prime(h.id, h);
      ahead?.settle(connection.along, connection.nodes);
      return connection;
    },
    person: (_, { residentId }, ctx) => ctx.loaders.personByResidentId.load(residentId.toUpperCase()),
  },
  Mutation: {
    registerHousehold: (_, { input }, ctx) => registerHousehold(ctx.db, input, ctx.today),
    advanceApplication: (_, { input }, ctx) => advanceApplication(ctx.db, input, ctx.today),
  },
  Household: {
    // an entity the gateway names by id; the caller's roles and districts apply (src/auth/authorize.ts)
    __resolveReference: (ref, ctx) => {
      const n = parseId(String(ref.id));
      return n === null ? null : ctx.loaders.household.load(n);
    },
    // values a page read ahead (src/households/page-read.ts) are at hand: returned without a promise
    district: (h, _, ctx) => whenAtHand(ctx.loaders.district.get(h.districtId), (d) => d!),
    members: (h, _, ctx, info) => whenAtHand(ctx.loaders.membersByHousehold.get(h.id), (people) => withAgencyRecords(people, ctx, info)),
    head: (h, _, ctx) => whenAtHand(ctx.loaders.membersByHousehold.get(h.id), (people) => people.find((m) => m.relation === 'HEAD') ?? null),
    member: async (h, { id }, ctx) => {
      const n = parseId(id);
      const person = n === null ? null : await ctx.loaders.person.load(n);
      return person && person.householdId === h.id ? person : null;
    },
    evaluations: (h, _, ctx) => ctx.loaders.evaluationsByHousehold.load(h.id),
    size: (h, _, ctx) => ctx.loaders.memberCountByHousehold.peek(h.id) ?? whenAtHand(ctx.loaders.membersByHousehold.get(h.id), (people) => people.length),
    currentHousing: (h, _, ctx) => {
      const housing = ctx.loaders.currentHousing.peek(h.id);
      const members = ctx.loaders.membersByHousehold.peek(h.id);
      if (housing !== undefined && members) return housing && { ...housing, size: members.length };
      return Promise.all([ctx.loaders.currentHousing.load(h.id), ctx.loaders.membersByHousehold.load(h.id)]).then(([c, m]) => c && { ...c, size: m.length });
    },
    tenancy: (h, _, ctx) => ctx.loaders.activeTenancyByHousehold.get(h.id),
    tenancies: (h, _, ctx) => ctx.loaders.tenanciesByHousehold.load(h.id),
    unit: (h, _, ctx) => whenAtHand(ctx.loaders.activeTenancyByHousehold.get(h.id), (tenancy) => (tenancy ? ctx.loaders.unit.get(tenancy.unitId) : null)),
    application: (h, _, ctx) => ctx.loaders.applicationByHousehold.get(h.id),
    waitlistEntry: (h, _, ctx) => ctx.loaders.waitlistByHousehold.load(h.id),
  },
  Person: {
    __resolveReference: (ref, ctx) => {
      const n = parseId(String(ref.id));
      return n === null ? null : ctx.loaders.person.load(n);
    },
    household: async (p, _, ctx) => (await ctx.loaders.household.load(p.householdId))!,
    // for the gateway only (src/auth/authorize.ts): the key an agency's subgraph knows the person by
    subjectRef: (p, _, ctx) => (ctx.config.FEDERATION_SUBJECT_SECRET ? subjectRef(ctx.config.FEDERATION_SUBJECT_SECRET, p.residentId) : null),
  },
  CurrentHousing: {
    // not rounded: the KC-12 area test (< 15 m²) must see the exact value
    perCapitaArea: (c) => (c.size > 0 ? c.floorArea / c.size : 0),
  },
  Tenancy: {
    unit: async (t, _, ctx) => (await ctx.loaders.unit.load(t.unitId))!,
    rentLedger: async (t, _, ctx) => (await ctx.loaders.ledgerByTenancy.load(t.id)).map((line) => ({ ...line, asOf: ctx.today })),
    arrears: (t, _, ctx) => whenAtHand(ctx.loaders.ledgerByTenancy.get(t.id), (ledger) => summarizeArrears(ledger, ctx.today)),
  },
  RentLedgerEntry: {
    unpaid: (line) => isUnpaid(line, line.asOf),
  },
  Application: {
    overdue: (a, _, ctx) => !isFinalStage(a.stage) && a.stageDeadline !== null && ctx.today > a.stageDeadline,
    history: (a, _, ctx) => ctx.loaders.applicationEvents.load(a.id),
  },
  WaitlistEntry: {
    daysWaiting: (w, _, ctx) => daysBetween(w.enteredOn, ctx.today),
  },
};

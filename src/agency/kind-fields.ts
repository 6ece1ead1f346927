// The resolvers of the Person and HousingUnit fields generated from the kinds (src/agency/sdl.ts):
// one per kind with a `graphql` descriptor, from the request's loaders (live or feed).
import type { HubContext } from '../context.js';
import type { PersonRow, UnitRow } from '../households/loaders.js';
import type { AgencyId, Connector } from './connector.js';
import { fromAgency, fromAgencyNow } from './errors.js';
import type { AgencyValue } from './loaders.js';

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
export function kindFieldResolvers(connectors: Record<AgencyId, Connector>) {
  const fields: Record<'Person' | 'HousingUnit', Record<string, unknown>> = { Person: {}, HousingUnit: {} };
  for (const connector of Object.values(connectors)) {
    for (const [name, kind] of Object.entries(connector.kinds)) {
      const g = kind.graphql;
      if (!g) continue;
      const shape = (values: AgencyValue[], range: Range) => {
        if (g.cardinality === 'one') return values[0] ?? null;
        return g.orderBy ? ordered(values, g.orderBy, g.cardinality === 'monthly' ? range : {}) : values;
      };
      // records the request has read already (Household.members prefetches them) answer without a promise
      const field = (subject: string | number, range: Range, ctx: HubContext) => {
        const ready = fromAgencyNow(() => ctx.agency.peekByName(connector.agency, name, subject));
        return ready ? shape(ready, range) : fromAgency(() => ctx.agency.loadByName(connector.agency, name, subject)).then((values) => shape(values, range));
      };
      if (kind.subject.type === 'person') fields.Person[g.field] = (p: PersonRow, range: Range, ctx: HubContext) => field(p.residentId, range, ctx);
      else fields.HousingUnit[g.field] = (u: UnitRow, range: Range, ctx: HubContext) => field(u.id, range, ctx);
    }
  }
  return fields;
}

/** The Person fields that show agency records: a selection with one of them is worth a prefetch of the people's records. */
export function personAgencyFields(connectors: Record<AgencyId, Connector>): ReadonlySet<string> {
  return new Set([...kindFields(connectors, 'person'), 'death']);
}

/** The HousingUnit fields that show agency records (utility readings). */
export function unitAgencyFields(connectors: Record<AgencyId, Connector>): ReadonlySet<string> {
  return new Set(kindFields(connectors, 'unit'));
}

const kindFields = (connectors: Record<AgencyId, Connector>, subject: 'person' | 'unit') =>
  Object.values(connectors).flatMap((c) => Object.values(c.kinds).flatMap((k) => (k.graphql && k.subject.type === subject ? [k.graphql.field] : [])));

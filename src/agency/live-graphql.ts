// The contract between the hub and an agency that runs its own GraphQL subgraph (issue 15), in one place so
// the agency simulator's subgraph, the hub's GraphQL live source and the composition test cannot drift apart.
//
// Keys that leak nothing: the agency knows people by resident ID, the hub by its internal Person id; neither
// crosses the gateway. Both sides compute a pseudonym, subjectRef = base64url(HMAC-SHA256(secret, residentId)),
// with a secret shared between the hub and the agencies in the graph (FEDERATION_SUBJECT_SECRET), and the
// hub's Person carries it as a second key (`@key(fields: "subjectRef", resolvable: false)`, @inaccessible: the
// gateway plans with it, its clients never see it). Without the secret it cannot be reversed (an HMAC), nor
// computed from a resident ID; so the gateway, its clients and its logs carry no resident ID.
//
// The agency's subgraph: `type Person @key(fields: "subjectRef")` with one nullable field named after the
// agency (`civilAffairs: CivilAffairsProfile`): the date its records hold as of, and per record kind the
// kind's fields under the name the hub shows them by (`allowance`, `incomes`, …), the subject field left out.
import { createHmac } from 'node:crypto';
import { getTableColumns, is } from 'drizzle-orm';
import { PgEnumColumn } from 'drizzle-orm/pg-core';
import type { AgencyId, Connector, RecordKind } from './connector.js';
import { columnGraphqlType } from './sdl.js';

/** the pseudonym of a resident ID both sides compute: base64url(HMAC-SHA256(secret, resident ID in upper case)) */
export function subjectRef(secret: string, residentId: string): string {
  return createHmac('sha256', secret).update(residentId.trim().toUpperCase(), 'utf8').digest('base64url');
}

/** what a subjectRef looks like (43 base64url characters); anything else is refused without a lookup */
export const SUBJECT_REF = /^[A-Za-z0-9_-]{43}$/;

const pascal = (name: string) => name.replace(/(^|[-_])([a-z0-9])/g, (_, __, c: string) => c.toUpperCase());
const camel = (name: string) => name.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/** `civil-affairs` → `civilAffairs`: the agency's field on Person */
export const profileField = (agency: AgencyId) => camel(agency);
/** `civil-affairs` → `CivilAffairsProfile` */
export const profileType = (agency: AgencyId) => `${pascal(agency)}Profile`;

export interface ProfileKind {
  /** the kind's name in the connector (`income`) */
  name: string;
  kind: RecordKind;
  /** its field on the profile (`incomes`) */
  field: string;
  /** one: the current record or null; many: a list */
  many: boolean;
  /** its GraphQL type in the agency's subgraph (`CivilAffairsIncome`): prefixed, so it cannot clash with the hub's types */
  type: string;
  /** the fields of a record but the subject's, as the kind's schema names them */
  fields: string[];
}

/** the kinds an agency answers for on its profile; an agency with a kind about housing units cannot (its subject is not a person) */
export function profileKinds(connector: Connector): ProfileKind[] {
  return Object.entries(connector.kinds).map(([name, kind]) => {
    if (kind.subject.type !== 'person') throw new Error(`${connector.agency}/${name}: only kinds about a person can be answered on Person`);
    return {
      name,
      kind,
      field: kind.graphql?.field ?? name,
      many: kind.graphql !== undefined && kind.graphql.cardinality !== 'one',
      type: `${pascal(connector.agency)}${pascal(name)}`,
      fields: Object.keys(kind.schema.shape).filter((f) => f !== kind.subject.field),
    };
  });
}

/** whether an agency can be a GraphQL live source: every kind it sends is about a person */
export const answersOnPerson = (connector: Connector) => Object.values(connector.kinds).every((k) => k.subject.type === 'person');

/** The agency subgraph's SDL, as the simulator serves it and as the composition test composes it. */
export function agencySubgraphSdl(connector: Connector): string {
  const agency = connector.agency;
  const kinds = profileKinds(connector);
  const enums = new Map<string, readonly string[]>();
  const types = kinds.map((k) => {
    const columns = getTableColumns(k.kind.table);
    const lines = k.fields.map((f) => {
      const column = columns[f];
      if (!column) throw new Error(`${agency}/${k.name}.${f}: the table has no such column`);
      let type = columnGraphqlType(k.kind, f, column);
      if (is(column, PgEnumColumn)) {
        type = `${pascal(agency)}${type}`;
        enums.set(type, column.enum.enumValues);
      }
      return `  ${f}: ${type}${column.notNull ? '!' : ''}\n`;
    });
    return `type ${k.type} {\n${lines.join('')}}\n`;
  });
  const profile = kinds.map((k) => `  ${k.field}: ${k.many ? `[${k.type}!]!` : k.type}\n`).join('');
  return `# generated from connectors/${agency} by src/agency/live-graphql.ts: the ${agency} subgraph's contract with the hub
extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key"])

"""
an ISO 8601 calendar date, YYYY-MM-DD
"""
scalar Date

"""
A person, known to this agency by the pseudonym it shares with the hub (never by resident ID): base64url of
HMAC-SHA256(the shared secret, the resident ID).
"""
type Person @key(fields: "subjectRef") {
  subjectRef: ID!
  """
  what ${connector.name} knows of this person; null when the agency cannot answer
  """
  ${profileField(agency)}: ${profileType(agency)}
}

"""
${connector.name}: every current record about one person (lists empty, and fields null, when there are none)
"""
type ${profileType(agency)} {
  """
  the date the agency's records hold as of
  """
  asOf: Date!
${profile}}

${types.join('\n')}
${[...enums].map(([name, values]) => `enum ${name} {\n${values.map((v) => `  ${v}\n`).join('')}}\n`).join('\n')}`;
}

/** the query the hub's live source sends: every kind's fields for a batch of pseudonyms, in one request */
export function entitiesQuery(connector: Connector): string {
  const kinds = profileKinds(connector);
  const selection = kinds.map((k) => `${k.field} { ${k.fields.join(' ')} }`).join(' ');
  return `query HubLivePull($representations: [_Any!]!) { _entities(representations: $representations) { ... on Person { subjectRef ${profileField(connector.agency)} { asOf ${selection} } } } }`;
}

export const representations = (refs: readonly string[]) => refs.map((ref) => ({ __typename: 'Person', subjectRef: ref }));

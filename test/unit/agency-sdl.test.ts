// The generated SDL is what the connectors say now, and each kind's schema, table and enums agree.
import { readFileSync } from 'node:fs';
import { is } from 'drizzle-orm';
import { PgEnumColumn } from 'drizzle-orm/pg-core';
import { buildSchema, GraphQLEnumType, GraphQLInputObjectType, GraphQLObjectType, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { connectors } from '../../connectors/index.js';
import { deposit } from '../../connectors/provident-fund/index.js';
import { psDeaths } from '../../connectors/public-security/tables.js';
import { residentId } from '../../src/agency/fields.js';
import { generateAgencySdl, graphqlEnumName, inputTypeName, recordColumns, withKindsTable } from '../../src/agency/sdl.js';

const committed = readFileSync(new URL('../../schema/generated/agencies.graphql', import.meta.url), 'utf8');
const kinds = Object.values(connectors).flatMap((c) => Object.entries(c.kinds).map(([name, kind]) => ({ agency: c.agency, name, kind })));

// enough of the rest of the schema for the generated file to build on its own
const STUBS = `
scalar Date
enum Role { ADMIN AGENCY }
directive @auth(roles: [Role!]!) on FIELD_DEFINITION | OBJECT
directive @agencyFeed(agency: String!) on FIELD_DEFINITION
enum DataSource { FEED LIVE }
enum FeedMode { KEEP_VALID ALL_OR_NOTHING }
type FeedResult { accepted: Int! }
type Person { residentId: String! }
type HousingUnit { id: Int! }
type Query { ok: Boolean }
type Mutation { ok: Boolean }
`;

/** the values a field's schema accepts when it is an enum (also under nullish and transform) */
function enumValues(schema: z.ZodType): readonly string[] | null {
  if (schema instanceof z.ZodEnum) return schema.options.map(String);
  if (schema instanceof z.ZodOptional || schema instanceof z.ZodNullable) return enumValues(schema.unwrap() as z.ZodType);
  if (schema instanceof z.ZodPipe) return enumValues(schema.in as z.ZodType);
  return null;
}

describe('generated agency SDL', () => {
  it('is what the connectors declare now (run npm run generate:sdl after changing a kind)', () => {
    expect(committed).toBe(generateAgencySdl(connectors));
  });

  it("docs/agency-api.md's kinds table is current too", () => {
    const doc = readFileSync(new URL('../../docs/agency-api.md', import.meta.url), 'utf8');
    expect(doc).toBe(withKindsTable(doc, connectors));
  });

  it('refuses a monthly field without the field it ranges over, and one input type declared two ways', () => {
    const { orderBy: _, ...noOrder } = deposit.graphql!;
    const monthly = { ...connectors, 'provident-fund': { ...connectors['provident-fund'], kinds: { deposit: { ...deposit, graphql: noOrder } } } };
    expect(() => generateAgencySdl(monthly)).toThrow('deposit: a monthly field needs orderBy');
    const death = { ...connectors['public-security'].kinds['death']!, table: psDeaths, schema: z.strictObject({ residentId }) };
    const twoWays = { ...connectors, 'public-security': { ...connectors['public-security'], kinds: { death } } };
    expect(() => generateAgencySdl(twoWays)).toThrow(/DeathInput differs/);
  });

  it('builds, with each kind as its table and schema say', () => {
    const schema = buildSchema(STUBS + committed);
    for (const { kind } of kinds) {
      const input = schema.getType(inputTypeName(kind));
      expect(input, inputTypeName(kind)).toBeInstanceOf(GraphQLInputObjectType);
      expect(Object.keys((input as GraphQLInputObjectType).getFields())).toEqual(Object.keys(kind.schema.shape));
      if (!kind.graphql) continue;
      const output = schema.getType(kind.graphql.type) as GraphQLObjectType;
      const shown = recordColumns(kind)
        .map(([p]) => p)
        .filter((p) => p !== kind.subject.field);
      expect(Object.keys(output.getFields())).toEqual([...shown, 'asOf', 'source']);
      const on = schema.getType(kind.subject.type === 'person' ? 'Person' : 'HousingUnit') as GraphQLObjectType;
      expect(on.getFields()[kind.graphql.field], `${kind.kind} field`).toBeDefined();
    }
    parse(committed);
  });
});

describe.each(kinds)('kind $agency/$name', ({ name, kind }) => {
  it('is filed under its own name', () => expect(kind.kind).toBe(name));

  it('has a schema field for every column of its table but provenance, and no other', () => {
    expect(Object.keys(kind.schema.shape).sort()).toEqual(
      recordColumns(kind)
        .map(([p]) => p)
        .sort(),
    );
  });

  it('keys and subject name fields of its schema', () => {
    for (const field of [...kind.key, kind.subject.field, ...(kind.scheduledDates ?? [])]) expect(kind.schema.shape).toHaveProperty(field);
  });

  it('accepts exactly the values of its pgEnums, and the SDL enum lists them', () => {
    const schema = buildSchema(STUBS + committed);
    for (const [property, column] of recordColumns(kind)) {
      if (!is(column, PgEnumColumn)) continue;
      const values = column.enum.enumValues;
      expect(enumValues(kind.schema.shape[property] as z.ZodType), `${kind.kind}.${property}`).toEqual(values);
      const sdl = schema.getType(graphqlEnumName(column.enum.enumName)) as GraphQLEnumType;
      expect(sdl.getValues().map((v) => v.name)).toEqual(values);
    }
  });
});
